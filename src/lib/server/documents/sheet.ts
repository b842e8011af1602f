/**
 * A spreadsheet sheet made as a document of its own as printed (exceljs): its title, a line under it
 * (the month, the moment it was counted), a bordered header repeated on every page, rows tall enough
 * for their wrapped text (WPS and LibreOffice print the stored height), 宋体 throughout, A4 landscape
 * fitted to the width, pages broken so that a group's header never ends a page (`pageBreaks`), and
 * "第 1 页，共 3 页" in the footer. The monthly ledger and the slip register
 * are made of these, written as they are made (`streamedWorkbook`).
 */
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { xmlSafeText } from '../xml-safe-text';
import { stampZip } from './zip-stamp';

export const border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } } as const;
const FONT = 'SimSun';
export const font = (extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({ name: FONT, size: 10, ...extra });

export type SheetColumn<T> = { header: string; width: number; value: (row: T) => string | number };

/** The width a text takes in Excel's column units: about 1.8 for a Chinese character at 10-point 宋体, 1 for others. */
function textWidth(line: string): number {
	let width = 0;
	for (let i = 0; i < line.length; i++) {
		const code = line.charCodeAt(i);
		width += code >= 0x2e80 && code <= 0xffef ? 1.8 : 1;
		// A character beyond the BMP (an emoji: a pair of surrogates, the first in that range) is one wide character.
		if (code >= 0xd800 && code <= 0xdbff && (line.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
	}
	return width;
}

/** A height that shows every wrapped line (a line of 10-point 宋体 takes about 13.5 points); it may pass a row's limit. */
function textHeight<T>(columns: SheetColumn<T>[], values: (string | number)[]): number {
	const lines = values.map((v, i) =>
		String(v)
			.split('\n')
			.reduce((n, line) => n + Math.max(1, Math.ceil(textWidth(line) / Math.max(1, columns[i].width - 1))), 0)
	);
	return 13.5 * Math.max(1, ...lines) + 4;
}

/**
 * Excel's tallest row, in points: a taller text is shown by merging each cell over rows of ten lines
 * (short rows, so a page breaks where it is full rather than before a 409-point row).
 */
const MAX_ROW_HEIGHT = 409;
const MERGED_ROW_HEIGHT = 13.5 * 10;

/**
 * A workbook written as it is made (exceljs's streaming writer): each row goes to the zip as it is
 * committed, so a province's ledger (hundreds of thousands of cells) never stands whole in memory.
 * Sheets are written one after another: finish one (`done`) before starting the next.
 */
export function streamedWorkbook(created: Date, creator: string) {
	const chunks: Buffer[] = [];
	const stream = new PassThrough();
	stream.on('data', (chunk: Buffer) => chunks.push(chunk));
	const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: true });
	// Stamped with the moment the document speaks of, not the moment it was written, inside and in the
	// zip's entries (zip-stamp.ts): the same month exported twice is the same file, byte for byte.
	book.created = created;
	book.modified = created;
	book.creator = book.lastModifiedBy = creator;
	return {
		book,
		/** The file, once every sheet is done. */
		async file(): Promise<Buffer> {
			await book.commit();
			return stampZip(Buffer.concat(chunks), created);
		}
	};
}

type Book = ReturnType<typeof streamedWorkbook>['book'];

/** A sheet with its title, its month line and a bordered header, and the writers of its rows. */
export function documentSheet<T>(book: Book, name: string, title: string, subtitle: string, columns: SheetColumn<T>[]) {
	const width = columns.length;
	const sheet = book.addWorksheet(name, {
		pageSetup: {
			paperSize: 9,
			orientation: 'landscape',
			fitToPage: true,
			fitToWidth: 1,
			fitToHeight: 0,
			horizontalCentered: true,
			margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
			printTitlesRow: '3:3'
		},
		headerFooter: { oddFooter: `&C&"${FONT}"第 &P 页，共 &N 页` },
		views: [{ state: 'frozen', ySplit: 3 }]
	});
	sheet.columns = columns.map((c) => ({ width: c.width }));
	centredOnThePage(sheet);
	/** Each row's height as written: the page breaks are chosen from them once every row is. */
	const heights = new Map<number, number>();
	const commit = (row: ExcelJS.Row, height: number) => {
		row.height = height;
		heights.set(row.number, height);
		row.commit();
	};
	/** A row of one cell across the sheet. */
	const wholeWidth = (value: string, style: Partial<ExcelJS.Style>, height: number) => {
		const row = sheet.addRow([value]);
		sheet.mergeCells(row.number, 1, row.number, width);
		row.getCell(1).style = style;
		commit(row, height);
		return row.number;
	};
	wholeWidth(title, { font: font({ bold: true, size: 16 }), alignment: { horizontal: 'center' } }, 24);
	wholeWidth(
		subtitle,
		{ font: font(), alignment: { wrapText: true, vertical: 'top' } },
		13.5 * Math.ceil(textWidth(subtitle) / columns.reduce((n, c) => n + c.width, 0)) + 6
	);
	const header = sheet.addRow(columns.map((c) => c.header));
	const headerStyle: Partial<ExcelJS.Style> = {
		font: font({ bold: true }),
		alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
		fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } },
		border
	};
	header.eachCell((cell) => (cell.style = headerStyle));
	commit(header, 30);

	// One style object per look, shared by every cell that has it: exceljs knows a style it has seen by
	// its object and writes each look once, where a style per cell cost seconds in a province's ledger.
	// A shared style is never changed in place: a cell gets another look by getting another object.
	const looks = new Map<string, Partial<ExcelJS.Style>>();
	const look = (horizontal: 'left' | 'center', fill: string | undefined) => {
		const key = `${horizontal}|${fill ?? ''}`;
		let style = looks.get(key);
		if (!style) {
			style = { font: font(), border, alignment: { wrapText: true, vertical: 'top', horizontal } };
			if (fill) style.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
			looks.set(key, style);
		}
		return style;
	};
	const groupStyle: Partial<ExcelJS.Style> = {
		font: font({ bold: true }),
		border,
		fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } }
	};
	const groupRows = new Set<number>();
	return {
		/**
		 * Writes one row; `fills`: a background colour (ARGB) for some of its cells, by column number.
		 * A text taller than Excel's tallest row (a report of 2,000 characters) would print cut at
		 * 409 points: such a row takes as many rows as it needs, each column merged down them, its
		 * text whole in the first (the import reads the others as blank lines).
		 */
		addRow(row: T, fills: Record<number, string> = {}) {
			const values = columns.map((c) => c.value(row)).map((v) => (typeof v === 'string' ? xmlSafeText(v) : v));
			const height = textHeight(columns, values);
			const count = height > MAX_ROW_HEIGHT ? Math.ceil(height / MERGED_ROW_HEIGHT) : 1;
			const rows = [sheet.addRow(values)];
			while (rows.length < count) rows.push(sheet.addRow(values.map(() => null)));
			const styles = values.map((v, i) => look(typeof v === 'number' ? 'center' : 'left', fills[i + 1]));
			for (const r of rows) for (let c = 1; c <= width; c++) r.getCell(c).style = styles[c - 1];
			if (count > 1) for (let c = 1; c <= width; c++) sheet.mergeCells(rows[0].number, c, rows[0].number + count - 1, c);
			for (const r of rows) commit(r, height / count);
		},
		/** A group's header (a theme, a unit): kept on the page of the group's first row. */
		addGroup(name: string) {
			groupRows.add(wholeWidth(xmlSafeText(name), groupStyle, 15));
		},
		/** A line in place of rows (本月无滞后事项。). */
		addNote(text: string) {
			const row = sheet.addRow([text]);
			row.getCell(1).style = { font: font() };
			commit(row, 15);
		},
		/** Breaks the pages (`pageBreaks`) and finishes the sheet: call it once every row is written. */
		done() {
			// The rows are written already; their breaks go to the list exceljs writes at the sheet's end,
			// as `Row.addPageBreak` would put them (the typings leave the list out).
			const breaks = (sheet as unknown as { rowBreaks: { id: number; max: number; man: number }[] }).rowBreaks;
			for (const after of pageBreaks(
				heights,
				4,
				columns.map((c) => c.width),
				groupRows
			))
				breaks.push({ id: after, max: 16838, man: 1 });
			sheet.commit();
		}
	};
}

/**
 * Prints the sheet centred across the page (a narrow sheet, 各单位情况, sits in the middle). The
 * streaming writer takes `horizontalCentered` but never writes it: the print options, which must
 * come just before the page margins, are written there. `tests/unit/monthly.test.ts` reads them back.
 */
function centredOnThePage(sheet: ExcelJS.Worksheet) {
	const writer = sheet as unknown as { _writePageMargins(): void; stream: { write(xml: string): void } };
	const writeMargins = writer._writePageMargins.bind(writer);
	writer._writePageMargins = () => {
		writer.stream.write('<printOptions horizontalCentered="1"/>');
		writeMargins();
	};
}

/**
 * Where the pages of a printed sheet break, chosen here rather than left to the printer, so that a
 * group's header row (`keptWithNext`) never ends a page apart from its first row. The page holds what
 * fits in A4 landscape at the scale fitting the width sets, less the repeated header, with a margin
 * for the printer's own rounding (WPS, Excel and LibreOffice scale slightly differently): every page
 * is then at most as full as the printer would make it, so it never adds a break of its own between
 * two of ours. Returns the rows after which a page breaks.
 */
export function pageBreaks(rowHeights: Map<number, number>, firstRow: number, columnWidths: number[], keptWithNext: Set<number>): number[] {
	// Excel's column width w is about 7w + 5 pixels of 0.75 point; A4 landscape is 842 × 595 points.
	const sheetWidth = columnWidths.reduce((n, w) => n + (7 * w + 5) * 0.75, 0);
	const printableWidth = 842 - (0.4 + 0.4) * 72;
	const scale = Math.min(1, printableWidth / sheetWidth);
	const printableHeight = 595 - (0.5 + 0.6) * 72;
	const repeatedHeader = rowHeights.get(firstRow - 1) ?? 0;
	const capacity = (printableHeight / scale) * 0.88 - repeatedHeader;
	let used = 0;
	for (let r = 1; r < firstRow - 1; r++) used += rowHeights.get(r) ?? 0;
	const breaks: number[] = [];
	const last = Math.max(...rowHeights.keys());
	for (let r = firstRow; r <= last; r++) {
		const height = rowHeights.get(r) ?? 15;
		if (used + height > capacity && used > 0) {
			// Break before r; a group header just above goes with it to the next page.
			const after = keptWithNext.has(r - 1) && breaks.at(-1) !== r - 2 ? r - 2 : r - 1;
			breaks.push(after);
			used = 0;
			for (let k = after + 1; k < r; k++) used += rowHeights.get(k) ?? 15;
		}
		used += height;
	}
	return breaks;
}
