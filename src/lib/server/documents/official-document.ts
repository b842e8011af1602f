/**
 * The pieces of a 公文 (official document) laid out after GB/T 9704, shared by every Word file the
 * office files: A4 with the standard margins, the issuing office in red over a red rule (发文机关标识),
 * the title in 小标宋 二号, the body in 仿宋 三号 with 黑体 headings, the signature and the date in
 * Chinese, and page numbers "— 1 —" at the foot (the `docx` package).
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
	type IParagraphOptions,
	type ISectionOptions
} from 'docx';
import { xmlSafeText } from '../xml-safe-text';
import { stampZip } from './zip-stamp';

/** The fonts of a 公文, by the names Word knows on Chinese Windows. */
export const FONT = {
	title: '方正小标宋简体',
	heading: 'SimHei',
	body: 'FangSong',
	kai: 'KaiTi',
	table: 'SimSun',
	latin: 'Times New Roman'
} as const;
/** Sizes in half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 小五 9 pt (wide tables). */
export const SIZE = { office: 52, title: 44, body: 32, footer: 28, table: 18 } as const;
/** Twips (twentieths of a point) per millimetre. */
export const MM = 56.7;
export const RED = 'C00000';

export function run(text: string, options: { font?: string; size?: number; bold?: boolean; color?: string; lineBreak?: boolean } = {}) {
	const eastAsia = options.font ?? FONT.body;
	return new TextRun({
		text: xmlSafeText(text),
		break: options.lineBreak ? 1 : undefined,
		bold: options.bold,
		color: options.color,
		size: options.size ?? SIZE.body,
		font: { ascii: FONT.latin, hAnsi: FONT.latin, eastAsia }
	});
}

/** A first-level heading (一、…) in 黑体, kept on the page of what follows it. */
export const heading = (text: string) =>
	new Paragraph({ spacing: { before: 240, after: 120 }, keepNext: true, children: [run(text, { font: FONT.heading })] });

/**
 * A body paragraph: 仿宋 三号, two characters' indent, 28-point lines. The last paragraph before the
 * signature is kept with it (`keepNext`): GB/T 9704 never lets the signature and date stand alone.
 */
export const body = (text: string, options: { keepNext?: boolean } = {}) =>
	new Paragraph({
		indent: { firstLine: 640 },
		spacing: { line: 560, lineRule: 'exact' },
		keepNext: options.keepNext,
		children: [run(text)]
	});

/** 发文机关标识: the office's name in red over a red rule. */
export const officeBanner = (office: string, docNumber?: string): Paragraph[] => {
	const redLine = { bottom: { color: RED, space: 8, style: BorderStyle.SINGLE, size: 18 } };
	const name = (more: Partial<IParagraphOptions>) =>
		new Paragraph({
			alignment: AlignmentType.CENTER,
			children: [run(office, { font: FONT.title, size: SIZE.office, color: RED })],
			...more
		});
	if (!docNumber) return [name({ spacing: { after: 240 }, border: redLine })];
	// 发文字号: centred two lines under the office's name, the red line under it (GB/T 9704, 7.2.4).
	return [
		name({ spacing: { after: 480 } }),
		new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, border: redLine, children: [run(docNumber)] })
	];
};

/**
 * The document's title, centred in 小标宋 二号, on the lines given: a 公文's title breaks where its
 * words allow (GB/T 9704: 回行时词意完整), which a word processor left to itself does not know ("月报
 * （2026年10" over "月）").
 */
export const title = (lines: string[]) =>
	new Paragraph({
		alignment: AlignmentType.CENTER,
		spacing: { before: 480, after: 240 },
		children: lines.map((line, i) => run(line, { font: FONT.title, size: SIZE.title, lineBreak: i > 0 }))
	});

/** The office and the date, right-aligned, where a 公文 is signed. */
export const signature = (office: string, date: string) => [
	new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 720 }, keepNext: true, keepLines: true, children: [run(office)] }),
	new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(date)] })
];

/** Page numbers as a 公文 prints them: "— 1 —", 四号, at the foot of every page. */
export const pageNumberFooter = new Footer({
	children: [
		new Paragraph({
			alignment: AlignmentType.CENTER,
			children: [
				new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: SIZE.footer, font: { ascii: FONT.latin, eastAsia: FONT.table } })
			]
		})
	]
});

/** A portrait A4 section with a 公文's margins (top 37 mm, bottom 35, left 28, right 26). */
export function letterSection(children: ISectionOptions['children']): ISectionOptions {
	return {
		properties: {
			page: { size: { orientation: PageOrientation.PORTRAIT }, margin: { top: 37 * MM, bottom: 35 * MM, left: 28 * MM, right: 26 * MM } }
		},
		footers: { default: pageNumberFooter },
		children
	};
}

/** The document defaults: 仿宋 三号 for East Asian text, Times New Roman for Latin. */
const documentStyles = {
	default: { document: { run: { font: { ascii: FONT.latin, hAnsi: FONT.latin, eastAsia: FONT.body }, size: SIZE.body } } }
};

/** A table cell in 宋体 小五 (or `size`), its lines as paragraphs. */
export function textCell(text: string | number, options: { bold?: boolean; shade?: string; span?: number; size?: number } = {}) {
	return new TableCell({
		columnSpan: options.span,
		shading: options.shade ? { type: ShadingType.CLEAR, color: 'auto', fill: options.shade } : undefined,
		// Split as cleaned, so that a text kept with \r\n breaks (before forms wrote \n) breaks the same.
		children: xmlSafeText(String(text))
			.split('\n')
			.map((line) => new Paragraph({ children: [run(line, { font: FONT.table, size: options.size ?? SIZE.table, bold: options.bold })] }))
	});
}

/** Printable widths in twips: A4 landscape with 20 mm margins, and A4 portrait with a 公文's margins. */
export const PAGE_WIDTH = { landscape: Math.floor(297 * MM - 2 * 20 * MM), portrait: Math.floor((210 - 28 - 26) * MM) } as const;

/** A full-width table whose header row (none when `headers` is empty) repeats on every page; `widths` are relative. */
export function table(
	headers: string[],
	rows: TableRow[],
	options: { widths?: number[]; page?: keyof typeof PAGE_WIDTH; size?: number } = {}
) {
	const { widths, page = 'landscape' } = options;
	const total = widths?.reduce((a, b) => a + b, 0) ?? 0;
	return new Table({
		width: { size: 100, type: WidthType.PERCENTAGE },
		columnWidths: widths?.map((w) => Math.floor((w / total) * PAGE_WIDTH[page])),
		rows: headers.length
			? [
					new TableRow({
						tableHeader: true,
						cantSplit: true,
						children: headers.map((h) => textCell(h, { bold: true, shade: 'D9E1F2', size: options.size }))
					}),
					...rows
				]
			: rows
	});
}

const xmlEscaped = (text: string) => xmlSafeText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The document's properties (docProps/core.xml) as Word shows them: by the office, created when the
 * document speaks of (`docx` would stamp the moment it was written, and name its author "Un-named").
 */
function coreProperties(head: { creator: string; title: string }, created: Date, modified: Date): string {
	const text = (tag: string, value: string) => `<${tag}>${xmlEscaped(value)}</${tag}>`;
	const time = (tag: string, at: Date) => `<${tag} xsi:type="dcterms:W3CDTF">${at.toISOString().replace(/\.\d{3}Z$/, 'Z')}</${tag}>`;
	return (
		'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
		'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
		text('dc:title', head.title) +
		text('dc:creator', head.creator) +
		text('cp:lastModifiedBy', head.creator) +
		'<cp:revision>1</cp:revision>' +
		time('dcterms:created', created) +
		time('dcterms:modified', modified) +
		'</cp:coreProperties>'
	);
}

/**
 * A 公文 as a .docx file, dated by the moment it speaks of (`created`; `modified`, when it changed
 * since: a slip voided), inside and in its zip's entries (zip-stamp.ts): the same document written
 * twice is the same file, byte for byte.
 */
export async function officialDocx(
	head: { creator: string; title: string },
	sections: ISectionOptions[],
	created: Date,
	modified: Date = created
): Promise<Buffer> {
	const doc = new Document({ ...head, styles: documentStyles, sections });
	const bytes = await Packer.toBuffer(doc, undefined, [{ path: 'docProps/core.xml', data: coreProperties(head, created, modified) }]);
	return stampZip(bytes, modified);
}
