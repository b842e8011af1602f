/**
 * The lines of a 月报 row's 具体举措/节点 (measures): each milestone met in the month,
 * `✓ 节点名称（date）`, and the next one due, `→ 节点名称（date）`. One spelling for the ledger files
 * (Excel, CSV: the import reads the met lines back, `server/monthly/ledger-format.ts`), the Word
 * documents and the page; each writes the date its own way: the ledger as 2026-11-20 (what every
 * spreadsheet and the import read best), a 公文 and the page as prose does, 2026年11月20日 (docs/domain.md).
 */
import type { CalendarDate } from './dates';

export const MET_MARK = '✓';
export const NEXT_MARK = '→';

export type MeasureLine = { met: boolean; title: string; on: CalendarDate };

/** How a writer spells a date: the ledger's own form (2026-11-20) unless told otherwise. */
export type DateText = (date: CalendarDate) => string;
export const isoDate: DateText = (date) => date;

export function measureLine({ met, title, on }: MeasureLine, dateText: DateText = isoDate): string {
	return `${met ? MET_MARK : NEXT_MARK} ${title}（${dateText(on)}）`;
}

/** A row's lines as one cell, one line each. */
export function measuresText(lines: MeasureLine[], dateText: DateText = isoDate): string {
	return lines.map((line) => measureLine(line, dateText)).join('\n');
}
