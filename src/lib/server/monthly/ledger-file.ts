/**
 * An uploaded ledger (.xlsx or .csv) read into a table of cell texts, within limits that hold
 * whatever is sent: a file of a few hundred kilobytes can stand for gigabytes (a zip bomb, a CSV of
 * newlines), so every limit is checked before the work it bounds, and nothing holds the event loop
 * for long: the zip is checked and inflated by zlib off the main thread, and the first tab's sheet is
 * read from its XML (sheet-reader.ts), only its cells, refusing a row or a column past the ledger's.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { m } from '$lib/i18n';
import { WorkflowError } from '../workflow/errors';
import { ledgerHeaders } from './columns';
import { csvCellText } from './csv-cell';
import { enteredText } from '../xml-safe-text';
import { checkZip } from '../zip-check';
import { readWorkbookParts, type WorkbookParts } from './workbook-parts';
import { sheetRows } from './sheet-reader';
import { columnName, columnNumber } from './cell-address';

export const LEDGER_LIMITS = {
	/** The upload itself. */
	bytes: 5 * 1024 * 1024,
	/** Rows of the table (a province's unit has far fewer items). */
	rows: 2000,
	/** Line breaks in a CSV: each row may hold several (the milestones), but not thousands. */
	csvLineBreaks: 50_000,
	/** Commas in a CSV: the separators of every row, and those in the texts. */
	csvCommas: 200_000,
	/** Columns read per row (the ledger has 14). */
	columns: 40,
	/**
	 * The furthest column a cell with a value may be in: a sheet of 2,000 rows of 760 numbers (4 MB)
	 * read whole by exceljs took a gigabyte and held the server for seconds.
	 */
	cellsPerRow: 100,
	/** Files inside an .xlsx (the export writes about a dozen). */
	zipEntries: 200,
	/** What the files inside an .xlsx may inflate to, each and together. */
	zipEntryBytes: 40 * 1024 * 1024,
	zipTotalBytes: 80 * 1024 * 1024,
	/**
	 * Characters of the ledger sheet's XML, read on the event loop: 2,000 rows of a ledger, their texts
	 * kept apart as shared texts (as Excel, WPS and LibreOffice write them), are a few million.
	 */
	sheetCharacters: 16 * 1024 * 1024,
	/**
	 * Characters of one cell, and of all cells together. An .xlsx names a shared text once and may use
	 * it in every cell: a file of 6 KB read as 800 cells of a million characters each and held the
	 * server for seconds (minutes at 25 KB). The longest cell a ledger needs is a row's milestones.
	 */
	cellCharacters: 20_000,
	characters: 10_000_000
};

/**
 * The cells of a ledger as texts, which of them held a number, a date or a truth value rather than
 * text, and the ranges of cells merged into one (`H6:H7`; a merged range's text is in its first cell).
 */
export type LedgerTable = { cells: string[][]; typed: Set<string>; merged: string[] };

/** The key of a cell in `LedgerTable.typed`: its row and column, from 0. */
export const cellKey = (row: number, column: number) => `${row}:${column}`;

/**
 * Counts the characters read, refusing a cell or a file past `LEDGER_LIMITS` as it is read, before
 * any text is scanned (cleaned, compared) at all.
 */
function characterBudget() {
	let total = 0;
	return (text: string, where: string) => {
		if (text.length > LEDGER_LIMITS.cellCharacters)
			throw new WorkflowError('file', m.import_cell_too_long({ cell: where, max: LEDGER_LIMITS.cellCharacters }));
		total += text.length;
		if (total > LEDGER_LIMITS.characters) throw new WorkflowError('file', m.import_file_too_much_text({ max: LEDGER_LIMITS.characters }));
		return text;
	};
}

const unreadable = () => new WorkflowError('file', m.import_xlsx_unreadable());
/**
 * Merges a ledger may have, in all its sheets: the export merges each group's row, and a long text's
 * row over the rows below it (13 cells), some hundreds in a unit's ledger.
 */
const PART_LIMITS = {
	ranges: 10_000,
	rows: LEDGER_LIMITS.rows,
	columns: LEDGER_LIMITS.cellsPerRow,
	sheetCharacters: LEDGER_LIMITS.sheetCharacters
};
const tooManyRows = () => new WorkflowError('file', m.import_too_many_rows({ max: LEDGER_LIMITS.rows }));
/** A sheet's row past the limit that holds something (a row only formatted, a border drawn far down, holds nothing). */
const rowPastLimit = (row: number) => new WorkflowError('file', m.import_row_past_limit({ row, max: LEDGER_LIMITS.rows }));
const tooManyCells = () => new WorkflowError('file', m.import_csv_too_many_commas({ max: LEDGER_LIMITS.csvCommas }));
const tooManyColumns = () => new WorkflowError('file', m.import_too_many_columns({ max: LEDGER_LIMITS.cellsPerRow }));
const tooLarge = () => new WorkflowError('file', m.import_file_inflates({ mb: LEDGER_LIMITS.zipTotalBytes / 1024 / 1024 }));

/**
 * Checks the zip of an .xlsx, and that it is a workbook (a Word document renamed .xlsx is told so, not
 * read for a title); finds and reads the parts its ledger is read from (workbook-parts.ts).
 */
async function checkLedgerZip(bytes: Buffer, kind: LedgerKind): Promise<WorkbookParts> {
	const names = await checkZip(
		bytes,
		{ entries: LEDGER_LIMITS.zipEntries, entryBytes: LEDGER_LIMITS.zipEntryBytes, totalBytes: LEDGER_LIMITS.zipTotalBytes },
		unreadable,
		tooLarge
	);
	// What the zip is, by its parts: a Word document, a LibreOffice sheet, a workbook named .csv.
	if (names.includes('word/document.xml')) throw new WorkflowError('file', m.import_word_not_workbook());
	if (names.includes('mimetype') && names.includes('content.xml')) throw new WorkflowError('file', m.import_is_ods());
	if (kind === 'csv') throw new WorkflowError('file', m.import_csv_is_zip());
	if (!names.includes('xl/workbook.xml')) throw new WorkflowError('file', m.import_not_workbook());
	return readWorkbookParts(
		bytes,
		PART_LIMITS,
		unreadable,
		() => new WorkflowError('file', m.import_file_inflates({ mb: LEDGER_LIMITS.sheetCharacters / 1024 / 1024 }))
	);
}

/**
 * Whether a cell holds a number, a date or a truth value (or a formula giving one): Excel and WPS show
 * such a value through the cell's format (80%, 1,234.50, 2026年12月31日), which the file keeps apart
 * from the value (0.8, 1234.5, a day count), so its text as a person saw it cannot be read back.
 */
function isTyped(value: ExcelJS.CellValue): boolean {
	if (typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return true;
	if (value !== null && typeof value === 'object' && ('formula' in value || 'sharedFormula' in value)) {
		return typeof (value as ExcelJS.CellFormulaValue).result !== 'string';
	}
	return false;
}

/** A cell's value as text; a formula gives its cached result, and one without a result is refused. */
function cellText(value: ExcelJS.CellValue, where: string): string {
	if (value === null || value === undefined) return '';
	if (value instanceof Date) return value.toISOString().slice(0, 10);
	if (typeof value !== 'object') return String(value);
	if ('richText' in value) return value.richText.map((t) => t.text).join('');
	if ('formula' in value || 'sharedFormula' in value) {
		const result = (value as ExcelJS.CellFormulaValue).result;
		if (result === undefined || result === null || typeof result === 'object') {
			throw new WorkflowError('file', m.import_formula_cell({ cell: where }));
		}
		return String(result);
	}
	if ('hyperlink' in value) return linkText(value);
	if ('error' in value) throw new WorkflowError('file', m.import_formula_cell({ cell: where }));
	return '';
}

/**
 * A link's cell as text: what it shows, and the address it leads to when the text does not give it
 * (a unit's 见链接 leading to its evidence online): the address is what the unit gave, and the
 * system keeps texts, not links. A link to a place in the workbook itself leads nowhere outside it.
 */
function linkText({ text, hyperlink }: ExcelJS.CellHyperlinkValue): string {
	const shown = typeof text === 'string' ? text : cellText(text as ExcelJS.CellValue, '');
	const address = hyperlink?.trim() ?? '';
	if (!/^[a-z][a-z0-9+.-]*:/i.test(address)) return shown;
	// Excel links an address typed in a cell itself (www.example.cn to http://www.example.cn/, an e-mail to mailto:): its text gives it.
	const bare = address.replace(/^(mailto:|[a-z][a-z0-9+.-]*:\/\/)/i, '').replace(/\/$/, '');
	return shown.includes(bare) ? shown : `${shown}（${address}）`;
}

/** A range's cells (`H6:H7`), by row and column from 0, as `cellKey` counts them. */
export function cellRange(ref: string): { top: number; left: number; bottom: number; right: number } | null {
	const match = /^([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})$/.exec(ref);
	if (!match) return null;
	const column = (name: string) => columnNumber(name) - 1;
	const [top, bottom] = [Number(match[2]) - 1, Number(match[4]) - 1].sort((a, b) => a - b);
	const [left, right] = [column(match[1]), column(match[3])].sort((a, b) => a - b);
	return { top, left, bottom, right };
}

/** Reads the cells of a row into `table`, within the character budget. */
function readRow(
	table: LedgerTable,
	budget: ReturnType<typeof characterBudget>,
	number: number,
	cellAt: (c: number) => ExcelJS.CellValue,
	count: number
) {
	if (count > LEDGER_LIMITS.cellsPerRow) throw tooManyColumns();
	const cells: string[] = [];
	for (let c = 1; c <= Math.min(count, LEDGER_LIMITS.columns); c++) {
		const value = cellAt(c);
		const where = `${columnName(c)}${number}`;
		cells.push(budget(cellText(value, where), where));
		if (isTyped(value)) table.typed.add(cellKey(number - 1, c - 1));
	}
	table.cells[number - 1] = cells;
}

/** The first worksheet (the first tab) of an .xlsx as cell texts (sheet-reader.ts). */
async function xlsxTable(bytes: Buffer): Promise<LedgerTable> {
	const parts = await checkLedgerZip(bytes, 'xlsx');
	const table: LedgerTable = { cells: [], typed: new Set(), merged: parts.merges };
	const budget = characterBudget();
	const rows = sheetRows(
		parts.sheet,
		parts.shared,
		parts.links,
		{ rows: LEDGER_LIMITS.rows, columns: LEDGER_LIMITS.cellsPerRow },
		{ unreadable, rowPastLimit, tooManyColumns }
	);
	for (const row of rows) readRow(table, budget, row.number, row.cellAt, row.count);
	for (let i = 0; i < table.cells.length; i++) table.cells[i] ??= [];
	return table;
}

/**
 * A CSV's text: UTF-8 (with or without a byte-order mark) as this system exports it, or GB18030
 * (which contains GBK), what WPS and Excel save as "CSV" on Chinese Windows, or UTF-16 with its
 * byte-order mark (Excel's "Unicode" text). A file that is not valid UTF-8 is read as GB18030, which
 * Node's TextDecoder knows (full ICU); a file that is neither is refused, never read with characters
 * replaced.
 */
export function csvText(bytes: Uint8Array): string {
	const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : null;
	try {
		return new TextDecoder(utf16 ?? 'utf-8', { fatal: true }).decode(bytes);
	} catch {
		if (utf16) throw new WorkflowError('file', m.import_csv_encoding());
		try {
			return new TextDecoder('gb18030', { fatal: true }).decode(bytes);
		} catch {
			// Neither: its texts would be read garbled, so the file is refused with the reason.
			throw new WorkflowError('file', m.import_csv_encoding());
		}
	}
}

/**
 * The character a CSV's cells are separated by: the comma this system writes, or the semicolon or
 * tab that Excel writes where the system's list separator is one (a European Windows, Excel's "text"
 * files), whichever its header line holds most of (the line naming 重点任务; the first line when none
 * does): the texts of the rows, which may hold any of them, are not counted. The header names every
 * column the import reads, so a file read with the wrong one is refused for its header, never misread.
 */
function csvDelimiter(text: string): string {
	const lines = text.slice(0, 64 * 1024).split('\n', 10);
	const head = lines.find((line) => line.includes(ledgerHeaders.item)) ?? lines[0];
	const count = (c: string) => head.split(c).length - 1;
	const [best] = [',', ';', '\t'].sort((a, b) => count(b) - count(a));
	return count(best) > count(',') ? best : ',';
}

/** A CSV as cell texts: line breaks and separators counted before parsing, formula guards taken off (`csv-cell.ts`). */
function csvTable(bytes: Buffer): LedgerTable {
	const text = csvText(bytes);
	const count = (character: string, max: number, refusal: () => WorkflowError) => {
		let n = 0;
		for (let i = text.indexOf(character); i !== -1; i = text.indexOf(character, i + 1)) if (++n > max) throw refusal();
	};
	const delimiter = csvDelimiter(text);
	// Line breaks of every kind a row or a cell may hold (a CR alone is one, as the parser reads it).
	count('\n', LEDGER_LIMITS.csvLineBreaks, tooManyRows);
	count('\r', LEDGER_LIMITS.csvLineBreaks, tooManyRows);
	count(delimiter, LEDGER_LIMITS.csvCommas, tooManyCells);
	let table: string[][];
	try {
		// A row ends at any of the line ends programs write, not only at the kind the first row ended with:
		// rows pasted in from another program (LF after the export's CRLF) were read into the row above.
		table = parseCsv(text, {
			delimiter,
			bom: true,
			relax_column_count: true,
			skip_empty_lines: false,
			record_delimiter: ['\r\n', '\n', '\r'],
			to: LEDGER_LIMITS.rows + 1
		});
	} catch {
		throw new WorkflowError('file', m.import_csv_unreadable());
	}
	if (table.length > LEDGER_LIMITS.rows) throw tooManyRows();
	const budget = characterBudget();
	const cells = table.map((row, r) =>
		row.slice(0, LEDGER_LIMITS.columns).map((text, c) => budget(csvCellText(text), `${columnName(c + 1)}${r + 1}`))
	);
	return { cells, typed: new Set(), merged: [] };
}

export type LedgerKind = 'xlsx' | 'csv';

const startsWith = (bytes: Buffer, signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
/** A zip (.xlsx, .docx), and an OLE compound file (.xls, or an .xlsx locked with a password to open it). */
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PDF = [...Buffer.from('%PDF-')];

/**
 * Refuses a file whose content is not what its name says, naming what it is: a workbook renamed .csv
 * was told its "encoding" was unknown, a CSV renamed .xlsx that it was "unreadable".
 */
async function checkContent(kind: LedgerKind, bytes: Buffer): Promise<void> {
	if (startsWith(bytes, OLE)) throw new WorkflowError('file', m.import_old_or_locked_workbook());
	if (startsWith(bytes, PDF)) throw new WorkflowError('file', m.import_is_pdf());
	if (kind === 'csv' && startsWith(bytes, ZIP)) await checkLedgerZip(bytes, kind);
	if (kind === 'xlsx' && !startsWith(bytes, ZIP)) {
		let text = false;
		try {
			// Text has no control characters but tabs and line ends.
			text = !/[\0-\x08\x0b\x0c\x0e-\x1f]/.test(csvText(bytes));
		} catch {
			// Not text either: unreadable as a workbook, as said below.
		}
		throw new WorkflowError('file', text ? m.import_xlsx_is_text() : m.import_xlsx_unreadable());
	}
}

/** The kind of ledger a file name says, or null. */
export function ledgerKind(name: string): LedgerKind | null {
	const lower = name.toLowerCase();
	return lower.endsWith('.xlsx') ? 'xlsx' : lower.endsWith('.csv') ? 'csv' : null;
}

/**
 * The uploaded ledger as a table of cell texts; refuses what is empty, too large or unreadable, with
 * the reason. Each text is cleaned as a form's is (`enteredText`: line breaks as `\n`, no characters
 * a document cannot hold), so that the import stores what a form would and compares like with like.
 */
export async function ledgerTable(kind: LedgerKind, bytes: Uint8Array): Promise<LedgerTable> {
	if (bytes.length === 0) throw new WorkflowError('file', m.import_choose_file());
	if (bytes.length > LEDGER_LIMITS.bytes)
		throw new WorkflowError('file', m.import_file_too_large({ mb: LEDGER_LIMITS.bytes / 1024 / 1024 }));
	const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	await checkContent(kind, buffer);
	const table = kind === 'xlsx' ? await xlsxTable(buffer) : csvTable(buffer);
	return { ...table, cells: table.cells.map((cells) => cells.map(enteredText)) };
}
