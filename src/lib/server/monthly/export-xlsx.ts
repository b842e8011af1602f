/**
 * The monthly summary as an Excel ledger (exceljs): title, frozen header, theme (or unit) rows
 * merged across the table, ★ on lead units, the light as cell colour and as text, wrapped columns,
 * A4 landscape print setup; then sheets for units and lagging items.
 */
import ExcelJS from 'exceljs';
import type { Light } from '$lib/lights';
import { groups, summaryColumns, summaryParagraphs, summaryTitle, unitColumns } from './columns';
import type { MonthlySummary } from './summary';

const lightFill: Record<Light, string> = { green: 'FFC6EFCE', yellow: 'FFFFEB9C', red: 'FFFFC7CE' };
const border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } } as const;

/**
 * A height that shows every wrapped line: Excel fits rows itself when a file opens, but WPS and
 * LibreOffice print the stored height. A Chinese character takes about two units of column width.
 */
function rowHeight(values: (string | number)[]): number {
	const lines = values.map((v, i) =>
		String(v)
			.split('\n')
			.reduce((n, line) => n + Math.max(1, Math.ceil((line.length * 2) / (summaryColumns[i].width - 1))), 0)
	);
	return Math.min(409, 15 * Math.max(1, ...lines));
}

function a4Landscape(sheet: ExcelJS.Worksheet, headerRow: number) {
	sheet.pageSetup = {
		paperSize: 9,
		orientation: 'landscape',
		fitToPage: true,
		fitToWidth: 1,
		fitToHeight: 0,
		margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 }
	};
	sheet.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
	sheet.views = [{ state: 'frozen', ySplit: headerRow }];
}

export async function summaryXlsx(s: MonthlySummary): Promise<Buffer> {
	const book = new ExcelJS.Workbook();
	book.creator = '苏州市重点任务督查督办';
	book.created = new Date(`${s.asOf}T00:00:00+08:00`);
	const sheet = book.addWorksheet('月报');
	const width = summaryColumns.length;
	sheet.columns = summaryColumns.map((c) => ({ width: c.width }));

	sheet.mergeCells(1, 1, 1, width);
	sheet.getCell(1, 1).value = summaryTitle(s.month);
	sheet.getCell(1, 1).font = { bold: true, size: 16 };
	sheet.getCell(1, 1).alignment = { horizontal: 'center' };
	sheet.mergeCells(2, 1, 2, width);
	sheet.getCell(2, 1).value = summaryParagraphs(s).join('');
	sheet.getCell(2, 1).alignment = { wrapText: true, vertical: 'top' };
	sheet.getRow(2).height = 48;

	const header = sheet.getRow(3);
	header.values = summaryColumns.map((c) => c.header);
	header.font = { bold: true };
	header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
	header.eachCell((cell) => {
		cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
		cell.border = border;
	});

	for (const group of groups(s.rows)) {
		const groupRow = sheet.addRow([group.name]);
		sheet.mergeCells(groupRow.number, 1, groupRow.number, width);
		groupRow.font = { bold: true };
		groupRow.getCell(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
		groupRow.getCell(1).border = border;
		for (const row of group.rows) {
			const values = summaryColumns.map((c) => c.value(row));
			const excelRow = sheet.addRow(values);
			excelRow.alignment = { wrapText: true, vertical: 'top' };
			excelRow.height = rowHeight(values);
			excelRow.eachCell({ includeEmpty: true }, (cell) => (cell.border = border));
			const light = excelRow.getCell(summaryColumns.findIndex((c) => c.key === 'status') + 1);
			light.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: lightFill[row.light] } };
		}
	}
	a4Landscape(sheet, 3);

	const units = book.addWorksheet('单位情况');
	units.columns = unitColumns.map((c) => ({ header: c.header, width: c.width }));
	units.getRow(1).font = { bold: true };
	for (const u of s.units) units.addRow(unitColumns.map((c) => c.value(u)));
	a4Landscape(units, 1);

	const annex = book.addWorksheet('滞后事项');
	annex.columns = summaryColumns.map((c) => ({ header: c.header, width: c.width }));
	annex.getRow(1).font = { bold: true };
	for (const row of s.lagging) annex.addRow(summaryColumns.map((c) => c.value(row))).alignment = { wrapText: true, vertical: 'top' };
	a4Landscape(annex, 1);

	return Buffer.from(await book.xlsx.writeBuffer());
}
