/**
 * The monthly summary as a Word circular (the `docx` package): title, date, summary paragraphs,
 * the table grouped by theme or unit, the per-unit table and the annex of lagging items, on A4
 * landscape pages, in 宋体 (SimSun) for Chinese text.
 */
import {
	AlignmentType,
	Document,
	HeadingLevel,
	Packer,
	PageOrientation,
	Paragraph,
	ShadingType,
	Table,
	TableCell,
	TableRow,
	TextRun,
	WidthType
} from 'docx';
import type { Light } from '$lib/lights';
import { groups, summaryColumns, summaryParagraphs, summaryTitle, unitColumns } from './columns';
import type { MonthlySummary } from './summary';

const lightShade: Record<Light, string> = { green: 'C6EFCE', yellow: 'FFEB9C', red: 'FFC7CE' };

function textCell(text: string | number, options: { bold?: boolean; shade?: string; span?: number } = {}) {
	return new TableCell({
		columnSpan: options.span,
		shading: options.shade ? { type: ShadingType.CLEAR, color: 'auto', fill: options.shade } : undefined,
		children: String(text)
			.split('\n')
			.map((line) => new Paragraph({ children: [new TextRun({ text: line, bold: options.bold, size: 18 })] }))
	});
}

/** The printable width of an A4 landscape page with the margins below, in twentieths of a point. */
const PAGE_WIDTH = 16838 - 900 * 2;

function table(headers: string[], rows: TableRow[], widths?: number[]) {
	const total = widths?.reduce((a, b) => a + b, 0) ?? 0;
	return new Table({
		width: { size: 100, type: WidthType.PERCENTAGE },
		columnWidths: widths?.map((w) => Math.floor((w / total) * PAGE_WIDTH)),
		rows: [new TableRow({ tableHeader: true, children: headers.map((h) => textCell(h, { bold: true, shade: 'D9E1F2' })) }), ...rows]
	});
}

export async function summaryDocx(s: MonthlySummary): Promise<Buffer> {
	const lightIndex = summaryColumns.findIndex((c) => c.key === 'status');
	const mainRows = groups(s.rows).flatMap((g) => [
		new TableRow({ children: [textCell(g.name, { bold: true, shade: 'F2F2F2', span: summaryColumns.length })] }),
		...g.rows.map(
			(r) =>
				new TableRow({
					children: summaryColumns.map((c, i) => textCell(c.value(r), i === lightIndex ? { shade: lightShade[r.light] } : {}))
				})
		)
	]);
	const unitRows = s.units.map((u) => new TableRow({ children: unitColumns.map((c) => textCell(c.value(u))) }));
	const laggingRows = s.lagging.map((r) => new TableRow({ children: summaryColumns.map((c) => textCell(c.value(r))) }));

	const doc = new Document({
		creator: '苏州市重点任务督查督办',
		title: summaryTitle(s.month),
		styles: {
			default: { document: { run: { font: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: 'SimSun' }, size: 21 } } }
		},
		sections: [
			{
				properties: {
					page: { size: { orientation: PageOrientation.LANDSCAPE }, margin: { top: 1000, bottom: 1000, left: 900, right: 900 } }
				},
				children: [
					new Paragraph({
						alignment: AlignmentType.CENTER,
						heading: HeadingLevel.TITLE,
						children: [new TextRun({ text: summaryTitle(s.month), bold: true, size: 36 })]
					}),
					new Paragraph({
						alignment: AlignmentType.CENTER,
						children: [new TextRun({ text: `统计截至 ${s.asOf}${s.closed ? '' : '(本月尚未结束)'}`, size: 21 })]
					}),
					new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ text: '一、总体情况', bold: true })] }),
					...summaryParagraphs(s).map((p) => new Paragraph({ indent: { firstLine: 420 }, children: [new TextRun(p)] })),
					new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ text: '二、重点任务推进情况', bold: true })] }),
					table(
						summaryColumns.map((c) => c.header),
						mainRows,
						summaryColumns.map((c) => c.width)
					),
					new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ text: '三、各单位情况', bold: true })] }),
					table(
						unitColumns.map((c) => c.header),
						unitRows
					),
					new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ text: '附件:滞后事项清单', bold: true })] }),
					s.lagging.length
						? table(
								summaryColumns.map((c) => c.header),
								laggingRows,
								summaryColumns.map((c) => c.width)
							)
						: new Paragraph('本月无滞后事项。')
				]
			}
		]
	});
	return Packer.toBuffer(doc);
}
