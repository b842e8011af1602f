/**
 * The monthly ledger's cells as the exports write them and the import reads them back from what
 * people typed in Excel or WPS on Chinese Windows: the 具体举措/节点 lines (written by
 * `$lib/measure-lines`: a milestone met is `✓ 节点名称（2026-11-20）`, the next one due
 * `→ 节点名称（2026-12-31）`), dates and months in the ways people write them, and the 佐证材料 cell.
 */
import { isCalendarDate, isMonth, type CalendarDate, type Month } from '$lib/dates';
import { NEXT_MARK } from '$lib/measure-lines';
import { halfWidth } from '$lib/half-width';

/**
 * The 佐证材料 cell of an item's row: the evidence of its milestones met in the month, one line each,
 * and a text given for several once (a ledger's one cell for the row's ticks is stored with each).
 */
export function evidenceCell(met: { evidence: string | null }[]): string {
	return [...new Set(met.map((ms) => ms.evidence ?? '').filter(Boolean))].join('\n');
}

/** The tick marks people type for "done": ✓ ✔ √ ☑ (the Chinese input method offers √). */
const TICKS = /[✓✔√☑✅]/;

/** A list's number or bullet people put before a line: `1.`, `1、`, `（1）`, `-`, `•`. */
const LIST_MARK = /^(?:\d{1,3}\s*[.、．)）]|[（(]\d{1,3}[)）]|[-•·*])\s*/;

/**
 * Whether a line holds a tick anywhere, so that a milestone met written otherwise than the export
 * writes it (`1. ✓ …`, `已完成 ✓ …`) is read or named as an error, never skipped. The export's own line
 * of the next milestone (`→ …`) is not one, whatever its title holds (`→ 第三方评估√通过（…）`).
 */
export function looksLikeMetLine(line: string): boolean {
	return TICKS.test(line) && !line.trim().replace(LIST_MARK, '').startsWith(NEXT_MARK);
}

/** `2026-11-20`, `2026/11/20`, `2026.11.20`, `2026年11月20日` (any width, with or without leading zeros). */
export function readLedgerDate(text: string): CalendarDate | null {
	const match = /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?$/.exec(halfWidth(text.trim()));
	if (!match) return null;
	const date = `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}`;
	return isCalendarDate(date) ? date : null;
}

/**
 * A date cell's value as the file keeps it (the days since 1899-12-30, Excel's count: 46752 is
 * 2027-12-31) as a date; null for a text that is no such count.
 */
export function excelSerialDate(text: string): CalendarDate | null {
	if (!/^\d{1,7}(?:\.\d+)?$/.test(text)) return null;
	const days = Math.floor(Number(text));
	if (days < 1 || days > 2_958_465) return null;
	return new Date(Date.UTC(1899, 11, 30) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Reads a milestone-met line: a tick, the milestone's title, and its completion date in its last
 * brackets, of either width. Null when the line cannot be read (the caller reports it on its cell).
 * Read by position, not by one pattern: `✓ (.+?)\s*（…）` backtracked as the cube of a line of spaces
 * (a cell of 4,000 characters held the server for seconds, 20,000 for minutes).
 */
export function readMetLine(line: string): { title: string; date: CalendarDate } | null {
	const text = line.trim().replace(LIST_MARK, '');
	if (!TICKS.test(text[0] ?? '')) return null;
	const close = text.at(-1);
	if (close !== ')' && close !== '）') return null;
	const open = Math.max(text.lastIndexOf('('), text.lastIndexOf('（'));
	const title = text.slice(1, Math.max(open, 1)).trim();
	const date = open > 0 ? readLedgerDate(text.slice(open + 1, -1)) : null;
	return date && title ? { title, date } : null;
}

/** The month column of a CSV ledger: `2026-11`, `2026/11`, `2026.11`, `2026年11月` (any width). */
export function readLedgerMonth(text: string): Month | null {
	const match = /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?$/.exec(halfWidth(text.trim()));
	const month = match ? `${match[1]}-${match[2].padStart(2, '0')}` : null;
	return month && isMonth(month) ? month : null;
}

/**
 * Files already uploaded that a 佐证材料 cell names: `文件：现场照片.png` (or 附件, with either colon),
 * several separated by line breaks or semicolons. The import attaches them to the milestones met.
 */
export function readFileReferences(evidence: string): string[] {
	return [...evidence.matchAll(/(?:文件|附件)\s*[:：]\s*([^\n;；]+)/g)].map((match) => match[1].trim()).filter(Boolean);
}
