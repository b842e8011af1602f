/**
 * The monthly summary as a Word circular (the `docx` package), laid out as a 公文 after GB/T 9704:
 * A4 with the standard margins, the issuing office in red over a red rule, the title in 小标宋 二号,
 * the body in 仿宋 三号 with 黑体 first-level headings, the date written in Chinese, and page numbers
 * "— 1 —" at the foot. The tables follow on A4 landscape pages in 宋体 小五, with their header
 * repeated on every page.
 */
import {
	AlignmentType,
	BorderStyle,
	Document,
	Footer,
	Packer,
	PageNumber,
	PageOrientation,
	Paragraph,
	ShadingType,
	Table,
	TableCell,
	TableRow,
	TextRun,
	WidthType,
	type ISectionOptions
} from 'docx';
import { formatDate } from '$lib/dates';
import type { Light } from '$lib/lights';
import { groups, summaryColumns, summaryParagraphs, summaryTitle, unitColumns } from './columns';
import type { MonthlySummary } from './summary';
import { issuingOffice } from '../config';
import { xmlSafeText } from '../xml-safe-text';

/** The fonts of a 公文, by the names Word knows on Chinese Windows. */
const FONT = { title: '方正小标宋简体', heading: 'SimHei', body: 'FangSong', table: 'SimSun', latin: 'Times New Roman' } as const;
/** Sizes in half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 小五 9 pt (the wide tables). */
const SIZE = { title: 44, body: 32, footer: 28, table: 18 } as const;
/** Twips (twentieths of a point) per millimetre. */
const MM = 56.7;

const lightShade: Record<Light, string> = { green: 'C6EFCE', yellow: 'FFEB9C', red: 'FFC7CE' };

function run(text: string, options: { font?: string; size?: number; bold?: boolean; color?: string } = {}) {
	const eastAsia = options.font ?? FONT.body;
	return new TextRun({
		text,
		bold: options.bold,
		color: options.color,
		size: options.size ?? SIZE.body,
		font: { ascii: FONT.latin, hAnsi: FONT.latin, eastAsia }
	});
}

function textCell(text: string | number, options: { bold?: boolean; shade?: string; span?: number } = {}) {
	return new TableCell({
		columnSpan: options.span,
		shading: options.shade ? { type: ShadingType.CLEAR, color: 'auto', fill: options.shade } : undefined,
		children: xmlSafeText(String(text))
			.split('\n')
			.map((line) => new Paragraph({ children: [run(line, { font: FONT.table, size: SIZE.table, bold: options.bold })] }))
	});
}

/** The printable width of an A4 landscape page with the margins below, in twips. */
const LANDSCAPE_WIDTH = Math.floor(297 * MM - 2 * 20 * MM);

function table(headers: string[], rows: TableRow[], widths?: number[]) {
	const total = widths?.reduce((a, b) => a + b, 0) ?? 0;
	return new Table({
		width: { size: 100, type: WidthType.PERCENTAGE },
		columnWidths: widths?.map((w) => Math.floor((w / total) * LANDSCAPE_WIDTH)),
		rows: [new TableRow({ tableHeader: true, children: headers.map((h) => textCell(h, { bold: true, shade: 'D9E1F2' })) }), ...rows]
	});
}

const heading = (text: string) => new Paragraph({ spacing: { before: 240, after: 120 }, children: [run(text, { font: FONT.heading })] });
const body = (text: string) =>
	new Paragraph({ indent: { firstLine: 640 }, spacing: { line: 560, lineRule: 'exact' }, children: [run(text)] });

/** Page numbers as a 公文 prints them: "— 1 —", 四号, at the foot of every page. */
const footer = new Footer({
	children: [
		new Paragraph({
			alignment: AlignmentType.CENTER,
			children: [
				new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: SIZE.footer, font: { ascii: FONT.latin, eastAsia: FONT.table } })
			]
		})
	]
});

export async function summaryDocx(s: MonthlySummary, office = issuingOffice()): Promise<Buffer> {
	const lightIndex = summaryColumns.findIndex((c) => c.key === 'status');
	const mainRows = groups(s.rows).flatMap((g) => [
		new TableRow({ cantSplit: true, children: [textCell(g.name, { bold: true, shade: 'F2F2F2', span: summaryColumns.length })] }),
		...g.rows.map(
			(r) =>
				new TableRow({
					children: summaryColumns.map((c, i) => textCell(c.value(r), i === lightIndex ? { shade: lightShade[r.light] } : {}))
				})
		)
	]);
	const unitRows = s.units.map((u) => new TableRow({ children: unitColumns.map((c) => textCell(c.value(u))) }));
	const laggingRows = s.lagging.map((r) => new TableRow({ children: summaryColumns.map((c) => textCell(c.value(r))) }));
	const issuedOn = formatDate(s.asOf, 'zh-CN');
	const footers = { default: footer };

	const letter: ISectionOptions = {
		properties: {
			page: { size: { orientation: PageOrientation.PORTRAIT }, margin: { top: 37 * MM, bottom: 35 * MM, left: 28 * MM, right: 26 * MM } }
		},
		footers,
		children: [
			new Paragraph({
				alignment: AlignmentType.CENTER,
				spacing: { after: 240 },
				border: { bottom: { color: 'C00000', space: 8, style: BorderStyle.SINGLE, size: 18 } },
				children: [run(office, { font: FONT.title, size: 52, color: 'C00000' })]
			}),
			new Paragraph({
				alignment: AlignmentType.CENTER,
				spacing: { before: 480, after: 240 },
				children: [run(summaryTitle(s.month), { font: FONT.title, size: SIZE.title })]
			}),
			new Paragraph({
				alignment: AlignmentType.CENTER,
				spacing: { after: 240 },
				children: [run(`（统计截至${issuedOn}${s.closed ? '' : '，本月尚未结束'}）`, { font: 'KaiTi' })]
			}),
			heading('一、总体情况'),
			...summaryParagraphs(s).map(body),
			body('重点任务推进情况、各单位情况和滞后事项清单见附表。'),
			new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 720 }, children: [run(office)] }),
			new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(issuedOn)] })
		]
	};
	const landscape = { orientation: PageOrientation.LANDSCAPE };
	const margin = { top: 20 * MM, bottom: 20 * MM, left: 20 * MM, right: 20 * MM };
	const tables: ISectionOptions = {
		properties: { page: { size: landscape, margin } },
		footers,
		children: [
			heading('二、重点任务推进情况'),
			table(
				summaryColumns.map((c) => c.header),
				mainRows,
				summaryColumns.map((c) => c.width)
			),
			heading('三、各单位情况'),
			table(
				unitColumns.map((c) => c.header),
				unitRows
			),
			heading('附件：滞后事项清单'),
			s.lagging.length
				? table(
						summaryColumns.map((c) => c.header),
						laggingRows,
						summaryColumns.map((c) => c.width)
					)
				: body('本月无滞后事项。')
		]
	};
	const doc = new Document({
		creator: office,
		title: summaryTitle(s.month),
		styles: { default: { document: { run: { font: { ascii: FONT.latin, hAnsi: FONT.latin, eastAsia: FONT.body }, size: SIZE.body } } } },
		sections: [letter, tables]
	});
	return Packer.toBuffer(doc);
}
