/**
 * The monthly summary as an Excel ledger (exceljs). Every sheet is a document of its own as printed:
 * its title, the month and the moment it was counted, a bordered header repeated on every page, rows
 * tall enough for their wrapped text (WPS and LibreOffice print the stored height), 宋体 throughout,
 * A4 landscape fitted to the width, and "第 1 页，共 3 页" in the footer. The ledger sheet (月报) groups
 * its rows by theme or unit, marks lead units with ★ and colours the light.
 */
import ExcelJS from 'exceljs';
import { formatDate } from '$lib/dates';
import type { Light } from '$lib/lights';
import { groups, summaryColumns, summaryParagraphs, summaryTitle, unitColumns } from './columns';
import type { MonthlySummary, SummaryRow } from './summary';
import { xmlSafeText } from '../xml-safe-text';

const lightFill: Record<Light, string> = { green: 'FFC6EFCE', yellow: 'FFFFEB9C', red: 'FFFFC7CE' };
const border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } } as const;
const FONT = 'SimSun';
const font = (extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({ name: FONT, size: 10, ...extra });

type SheetColumn<T> = { header: string; width: number; value: (row: T) => string | number };

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
function documentSheet<T>(book: ExcelJS.Workbook, name: string, title: string, subtitle: string, columns: SheetColumn<T>[]) {
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
	const addRow = (row: T) => {
		const values = columns.map((c) => c.value(row)).map((v) => (typeof v === 'string' ? xmlSafeText(v) : v));
		const excelRow = sheet.addRow(values);
		excelRow.height = rowHeight(columns, values);
		excelRow.eachCell({ includeEmpty: true }, (cell) => {
			cell.font = font();
			cell.border = border;
			cell.alignment = { wrapText: true, vertical: 'top', horizontal: typeof cell.value === 'number' ? 'center' : 'left' };
		});
		return excelRow;
	};
	return { sheet, addRow };
}

export async function summaryXlsx(s: MonthlySummary): Promise<Buffer> {
	const book = new ExcelJS.Workbook();
	book.creator = '苏州市重点任务督查督办';
	book.created = new Date(`${s.asOf}T00:00:00+08:00`);
	const asOf = `统计截至${formatDate(s.asOf, 'zh-CN')}${s.closed ? '' : '（本月尚未结束）'}`;
	const title = summaryTitle(s.month);

	// The ledger's summary opens with the moment it was counted (截至…).
	const ledger = documentSheet(book, '月报', title, summaryParagraphs(s).join(''), summaryColumns);
	const statusColumn = summaryColumns.findIndex((c) => c.key === 'status') + 1;
	for (const group of groups(s.rows)) {
		const groupRow = ledger.sheet.addRow([group.name]);
		ledger.sheet.mergeCells(groupRow.number, 1, groupRow.number, summaryColumns.length);
		Object.assign(groupRow.getCell(1), {
			font: font({ bold: true }),
			border,
			fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } }
		});
		for (const row of group.rows) {
			ledger.addRow(row).getCell(statusColumn).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: lightFill[row.light] } };
		}
	}

	const units = documentSheet(book, '单位情况', `${title}·各单位情况`, asOf, [
		{ header: '序号', width: 6, value: (u: MonthlySummary['units'][number] & { no: number }) => u.no },
		...unitColumns
	]);
	s.units.forEach((u, i) => units.addRow({ ...u, no: i + 1 }));

	const annex = documentSheet(book, '滞后事项', `${title}·附件：滞后事项清单`, asOf, summaryColumns as SheetColumn<SummaryRow>[]);
	for (const row of s.lagging) annex.addRow(row);
	if (s.lagging.length === 0) annex.sheet.addRow(['本月无滞后事项。']);

	return Buffer.from(await book.xlsx.writeBuffer());
}
