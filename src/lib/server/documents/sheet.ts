/**
 * A spreadsheet sheet made as a document of its own as printed (exceljs): its title, a line under it
 * (the month, the moment it was counted), a bordered header repeated on every page, rows tall enough
 * for their wrapped text (WPS and LibreOffice print the stored height), 宋体 throughout, A4 landscape
 * fitted to the width, pages broken so that a group's header never ends a page (`pageBreaks`), and
 * "第 1 页，共 3 页" in the footer. The monthly ledger and the slip register
 * are made of these.
 */
import type ExcelJS from 'exceljs';
import { xmlSafeText } from '../xml-safe-text';

export const border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } } as const;
const FONT = 'SimSun';
export const font = (extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({ name: FONT, size: 10, ...extra });

export type SheetColumn<T> = { header: string; width: number; value: (row: T) => string | number };

/** The width a text takes in Excel's column units: about 1.8 for a Chinese character at 10-point 宋体, 1 for others. */
function textWidth(line: string): number {
	let width = 0;
	for (const ch of line) width += /[\u2e80-\uffef]/.test(ch) ? 1.8 : 1;
	return width;
}

/** A height that shows every wrapped line (a line of 10-point 宋体 takes about 13.5 points). */
function rowHeight<T>(columns: SheetColumn<T>[], values: (string | number)[]): number {
	const lines = values.map((v, i) =>
		String(v)
			.split('\n')
			.reduce((n, line) => n + Math.max(1, Math.ceil(textWidth(line) / Math.max(1, columns[i].width - 1))), 0)
	);
	return Math.min(409, 13.5 * Math.max(1, ...lines) + 4);
}

/** A sheet with its title, its month line and a bordered header; returns the sheet and a row writer. */
export function documentSheet<T>(book: ExcelJS.Workbook, name: string, title: string, subtitle: string, columns: SheetColumn<T>[]) {
	const sheet = book.addWorksheet(name);
	const width = columns.length;
	sheet.columns = columns.map((c) => ({ width: c.width }));
	sheet.mergeCells(1, 1, 1, width);
	Object.assign(sheet.getCell(1, 1), { value: title, font: font({ bold: true, size: 16 }), alignment: { horizontal: 'center' } });
	sheet.getRow(1).height = 24;
	sheet.mergeCells(2, 1, 2, width);
	Object.assign(sheet.getCell(2, 1), { value: subtitle, font: font(), alignment: { wrapText: true, vertical: 'top' } });
	sheet.getRow(2).height = 13.5 * Math.ceil(textWidth(subtitle) / columns.reduce((n, c) => n + c.width, 0)) + 6;
	const header = sheet.getRow(3);
	header.values = columns.map((c) => c.header);
	header.height = 30;
	header.eachCell((cell) => {
		cell.font = font({ bold: true });
		cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
		cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
		cell.border = border;
	});
	sheet.pageSetup = {
		paperSize: 9,
		orientation: 'landscape',
		fitToPage: true,
		fitToWidth: 1,
		fitToHeight: 0,
		horizontalCentered: true,
		margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 }
	};
	sheet.pageSetup.printTitlesRow = '3:3';
	sheet.headerFooter.oddFooter = `&C&"${FONT}"第 &P 页，共 &N 页`;
	sheet.views = [{ state: 'frozen', ySplit: 3 }];
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
	/** Writes one row; `fills`: a background colour (ARGB) for some of its cells, by column number. */
	const addRow = (row: T, fills: Record<number, string> = {}) => {
		const values = columns.map((c) => c.value(row)).map((v) => (typeof v === 'string' ? xmlSafeText(v) : v));
		const excelRow = sheet.addRow(values);
		excelRow.height = rowHeight(columns, values);
		excelRow.eachCell({ includeEmpty: true }, (cell, column) => {
			cell.style = look(typeof cell.value === 'number' ? 'center' : 'left', fills[column]);
		});
		return excelRow;
	};
	/** Sets the page breaks once every row is written; `keptWithNext`: the rows of group headers. */
	const breakPages = (keptWithNext: Set<number> = new Set()) => {
		const heights = new Map<number, number>();
		sheet.eachRow({ includeEmpty: true }, (row, n) => heights.set(n, row.height ?? 15));
		for (const after of pageBreaks(
			heights,
			4,
			columns.map((c) => c.width),
			keptWithNext
		))
			sheet.getRow(after).addPageBreak();
	};
	return { sheet, addRow, breakPages };
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
