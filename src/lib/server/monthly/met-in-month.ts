/**
 * The milestones a month's 月报 lists as met (✓ in 具体举措/节点, their evidence in 佐证材料, the month's
 * count of milestones met): those met on a day of the month, and those met before it whose completion
 * was recorded in it (补报: December's report ticking a milestone met on 30 November, approved after
 * November's 月报 had closed). Each completion is listed once: in the month it was met in, or, recorded
 * after that month had ended, in the month it was recorded in, so what a unit reported always reaches
 * a 月报 and a closed month's never changes. docs/domain.md, "The monthly summary".
 */
import { sql } from 'drizzle-orm';
import { addMonthsToMonth, endOfSuzhouDay, lastDayOf, monthOf, type CalendarDate, type Month } from '$lib/dates';
import type { Tx } from '../db';

/**
 * The milestones (of `milestoneIds`, or all) whose completion, dated before `month`, was recorded in
 * it: set where it had none, between the end of the month before and the end of this one.
 */
export function completedBeforeRecordedIn(db: Tx, month: Month, milestoneIds?: number[]): ReadonlySet<number> {
	if (milestoneIds?.length === 0) return new Set();
	const from = endOfSuzhouDay(lastDayOf(addMonthsToMonth(month, -1)));
	const to = endOfSuzhouDay(lastDayOf(month));
	const only = milestoneIds ? sql`AND entity_id IN (${sql.join(milestoneIds.map(String), sql`, `)})` : sql``;
	const rows = db.all<{ id: number }>(sql`
		SELECT DISTINCT CAST(entity_id AS INTEGER) AS id FROM change_log
		WHERE entity = 'milestone' AND at > ${from} AND at <= ${to} ${only}
			AND json_extract(after, '$.completedOn') < ${`${month}-01`}
			AND json_extract(before, '$.completedOn') IS NULL`);
	return new Set(rows.map((r) => r.id));
}

/** Whether the 月报 of `month` lists milestone `ms` as met, `recordedLate` being `completedBeforeRecordedIn`'s answer. */
export function listedAsMetIn(
	month: Month,
	recordedLate: ReadonlySet<number>
): (ms: { id: number; completedOn: CalendarDate | null }) => boolean {
	return (ms) =>
		ms.completedOn !== null && (monthOf(ms.completedOn) === month || (monthOf(ms.completedOn) < month && recordedLate.has(ms.id)));
}
