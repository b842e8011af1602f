/**
 * A worksheet's cells read from its XML with saxes (the XML parser exceljs itself reads with), as
 * values exceljs would give (`ExcelJS.CellValue`), so that `ledger-file.ts` reads them one way.
 *
 * Why not exceljs: its stream reader misreads (a Chinese character split between two inflated chunks
 * came back as U+FFFD) and takes only parts named sheetN.xml; its whole reader, the way round that,
 * makes an object of every cell, row and column a range in the file names (a merge, a validation, a
 * defined name, a column span, a row numbered 1,000,000,000: 18 KB ran the server out of memory). Here
 * only what the ledger needs is read (the cells, their shared texts, their links), each row is kept
 * only while it is within the ledger's rows and columns, and the work is the length of the XML.
 */
import type ExcelJS from 'exceljs';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { columnName, columnNumber } from './cell-address';

export type SheetLimits = { rows: number; columns: number };
export type SheetRefusals = {
	unreadable: () => Error;
	/** A row past `limits.rows` that holds a value. */
	rowPastLimit: (row: number) => Error;
	/** A cell past `limits.columns`. */
	tooManyColumns: () => Error;
};

/** An element's or attribute's name without its namespace prefix (`r:id` is `id`). */
export const local = (name: string) => name.slice(name.indexOf(':') + 1);

/** Parses `xml`, giving each element's opening, text and closing by local name; a malformed file is `unreadable`. */
export function parse(
	xml: string,
	unreadable: () => Error,
	on: { open?: (name: string, tag: SaxesTagPlain) => void; text?: (text: string) => void; close?: (name: string) => void }
) {
	const parser = new SaxesParser();
	let failed = false;
	parser.on('error', () => (failed = true));
	if (on.open) parser.on('opentag', (tag) => on.open!(local(tag.name), tag as SaxesTagPlain));
	if (on.text) parser.on('text', on.text);
	if (on.close) parser.on('closetag', (tag) => on.close!(local(tag.name)));
	try {
		parser.write(xml).close();
	} catch (e) {
		if (!(e instanceof Error) || !/^\d+:\d+: /.test(e.message)) throw e;
		failed = true;
	}
	if (failed) throw unreadable();
}

/** The texts of xl/sharedStrings.xml, by index: each item's runs joined, its phonetic guide (rPh) left out. */
export function sharedTexts(xml: string, unreadable: () => Error): string[] {
	const texts: string[] = [];
	let current: string[] | null = null;
	let inText = false;
	let phonetic = 0;
	parse(xml, unreadable, {
		open: (name) => {
			if (name === 'si') current = [];
			else if (name === 'rPh') phonetic++;
			else if (name === 't') inText = true;
		},
		text: (text) => {
			if (current && inText && phonetic === 0) current.push(text);
		},
		close: (name) => {
			if (name === 'si' && current) (texts.push(current.join('')), (current = null));
			else if (name === 'rPh') phonetic--;
			else if (name === 't') inText = false;
		}
	});
	return texts;
}

/** A part's relationships (`…/_rels/….rels`): their type and target, by id. */
export function relationshipTargets(xml: string, unreadable: () => Error): Map<string, { type: string; target: string }> {
	const targets = new Map<string, { type: string; target: string }>();
	parse(xml, unreadable, {
		open: (name, tag) => {
			const { Id, Type, Target } = tag.attributes;
			if (name === 'Relationship' && Id && Target) targets.set(Id, { type: Type ?? '', target: Target });
		}
	});
	return targets;
}

/** `H5` as its row and column, from 1; null for what is none. */
function address(ref: string): { row: number; column: number } | null {
	const match = /^\$?([A-Za-z]{1,3})\$?(\d{1,10})$/.exec(ref);
	if (!match) return null;
	return { column: columnNumber(match[1]), row: Number(match[2]) };
}

type Cell = { type: string; value: string | null; inline: string[] | null; formula: boolean };

/** A cell as exceljs gives its value: a text, a number, a truth value, a date, an error, a formula with its result. */
function cellValue(cell: Cell, shared: string[]): ExcelJS.CellValue {
	const v = cell.value;
	const result: ExcelJS.CellValue | undefined =
		cell.type === 'inlineStr'
			? (cell.inline ?? []).join('')
			: v === null
				? undefined
				: cell.type === 's'
					? (shared[Number(v)] ?? '')
					: cell.type === 'str'
						? v
						: cell.type === 'b'
							? v.trim() === '1' || v.trim() === 'true'
							: cell.type === 'e'
								? ({ error: v } as unknown as ExcelJS.CellValue)
								: cell.type === 'd'
									? new Date(v)
									: v.trim() === ''
										? undefined
										: Number(v);
	if (cell.formula) return { formula: 'formula', result } as ExcelJS.CellFormulaValue;
	return result ?? null;
}

/**
 * The worksheet `xml`'s rows within `limits`, in order, each as a function giving its cells' values
 * (from column 1) and its count of columns; `links` gives the target of a link's relationship id.
 * A row past the limit that holds a value, or a cell past the columns, is refused as it is met.
 */
export function sheetRows(
	xml: string,
	shared: string[],
	links: Map<string, string>,
	limits: SheetLimits,
	refusals: SheetRefusals
): { number: number; count: number; cellAt: (column: number) => ExcelJS.CellValue }[] {
	const rows = new Map<number, Map<number, ExcelJS.CellValue>>();
	const linked = new Map<string, string>();
	let rowNumber = 0;
	let row: Map<number, ExcelJS.CellValue> | null = null;
	let column = 0;
	let cell: (Cell & { column: number }) | null = null;
	let into: 'v' | 'is' | null = null;
	let inText = false;
	let phonetic = 0;
	parse(xml, refusals.unreadable, {
		open: (name, tag) => {
			const attrs = tag.attributes;
			if (name === 'row') {
				rowNumber = attrs.r !== undefined ? Number(attrs.r) : rowNumber + 1;
				if (!Number.isSafeInteger(rowNumber) || rowNumber < 1) throw refusals.unreadable();
				row = new Map();
				column = 0;
			} else if (name === 'c' && row) {
				const at = attrs.r !== undefined ? address(attrs.r) : { row: rowNumber, column: column + 1 };
				if (!at) throw refusals.unreadable();
				column = at.column;
				cell = { type: attrs.t ?? 'n', value: null, inline: null, formula: false, column };
			} else if (cell && name === 'v') {
				into = 'v';
				cell.value = '';
			} else if (cell && name === 'is') {
				into = 'is';
				cell.inline = [];
			} else if (cell && name === 'f') cell.formula = true;
			else if (name === 'rPh') phonetic++;
			else if (name === 't') inText = true;
			else if (name === 'hyperlink' && attrs.ref) {
				const id = Object.entries(attrs).find(([key]) => local(key) === 'id')?.[1];
				const target = id ? links.get(id) : undefined;
				if (target) linked.set(attrs.ref.split(':')[0].toUpperCase(), target);
			}
		},
		text: (text) => {
			if (!cell) return;
			if (into === 'v') cell.value += text;
			else if (into === 'is' && inText && phonetic === 0) cell.inline!.push(text);
		},
		close: (name) => {
			if (name === 'v' || name === 'is') into = null;
			else if (name === 'rPh') phonetic--;
			else if (name === 't') inText = false;
			else if (name === 'c' && cell && row) {
				const empty = cell.value === null && cell.inline === null && !cell.formula;
				if (!empty) {
					if (cell.column > limits.columns) throw refusals.tooManyColumns();
					if (rowNumber > limits.rows) throw refusals.rowPastLimit(rowNumber);
					row.set(cell.column, cell as unknown as ExcelJS.CellValue);
				}
				cell = null;
			} else if (name === 'row' && row) {
				if (row.size) rows.set(rowNumber, row);
				row = null;
			}
		}
	});
	return [...rows.keys()]
		.sort((a, b) => a - b)
		.map((number) => {
			const cells = rows.get(number)!;
			const count = Math.max(...cells.keys());
			return {
				number,
				count,
				cellAt: (c: number) => {
					const raw = cells.get(c) as unknown as Cell | undefined;
					if (!raw) return null;
					const value = cellValue(raw, shared);
					const target = linked.get(`${columnName(c)}${number}`);
					return target && typeof value === 'string' ? ({ text: value, hyperlink: target } as ExcelJS.CellHyperlinkValue) : value;
				}
			};
		});
}
