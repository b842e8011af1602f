/**
 * 按时报送 (reports on time): one rule for every reader, the 月报's table of units, the 通报's ranking,
 * the API's `onTimeRate` and a unit's page (近 12 个月按时报送率).
 *
 * - A month's report is owed by an item active at the month's end, started and not completed by then
 *   (`owesReport`), as the item stood then.
 * - It is on time when it was first sent to the office (submitted, or approved at once) by the end of
 *   the month's due day, the due day in force at the month's end. A report sent on time, returned by
 *   the office after the due day and sent again is on time: the review's delay is not the unit's.
 * - The due day of a past month is the one in force then: changing it today rewrites no past rate.
 */
import { sql } from 'drizzle-orm';
import { addMonthsToMonth, endOfSuzhouDay, lastDayOf, monthsFrom, type CalendarDate, type Month } from '$lib/dates';
import { lastDueMonth, reportDueOn, sentStatuses } from '$lib/reporting-calendar';
import type { Tx } from './db';
import { rowsAsOfEach } from './as-of';
import { initiative } from './db/schema';
import { readRuleSettings, ruleSettingsAsOfEach } from './rule-settings';

/** The statuses of a report sent to the office (`sentStatuses`), as SQL. */
export const SENT_STATUSES = sql.join(
	sentStatuses.map((status) => sql`${status}`),
	sql`, `
);

/** What the rule reads of a report: its month and the instant of its last sending (the row's `submittedAt`). */
export type SentReport = { id: number; month: Month; submittedAt: string | null };

/** The end of `month`'s due day when `reportDueDay` is in force. */
export function dueBy(month: Month, reportDueDay: number): string {
	return endOfSuzhouDay(reportDueOn(month, reportDueDay));
}

/**
 * The ids of `reports` first sent by their month's due day (`dueByOf`). A report last sent by then was
 * first sent by then too; only the others' histories are read, for their first sending: a return and a
 * second sending are rare, so the history is read for a few reports, not a month's thousands.
 */
export function sentOnTime(db: Tx, reports: readonly SentReport[], dueByOf: (month: Month) => string): Set<number> {
	const onTime = new Set<number>();
	const later: SentReport[] = [];
	for (const r of reports) {
		if (r.submittedAt !== null && r.submittedAt <= dueByOf(r.month)) onTime.add(r.id);
		else later.push(r);
	}
	if (later.length === 0) return onTime;
	const firsts = db.all<{ id: string; first: string }>(sql`
		SELECT entity_id AS id, min(at) AS first FROM change_log
		WHERE entity = 'progress_report'
			AND entity_id IN (SELECT CAST(value AS TEXT) FROM json_each(${JSON.stringify(later.map((r) => r.id))}))
			AND json_extract(after, '$.status') IN (${SENT_STATUSES})
		GROUP BY entity_id`);
	const firstOf = new Map(firsts.map((f) => [Number(f.id), f.first]));
	for (const r of later) {
		const first = firstOf.get(r.id);
		if (first !== undefined && first <= dueByOf(r.month)) onTime.add(r.id);
	}
	return onTime;
}

/**
 * A unit's reports on time over the last twelve months whose due day had passed on `date` (its page's
 * 近 12 个月按时报送率): each month, the items it led at that month's end, active then, as they stood
 * then (`owesReport`), judged by the due day in force then. A month is owed by the unit that led the
 * item then: an item handed to another unit takes its future months with it, never its past ones.
 * `instant` is the view's (null: now); a month that ends after it is read as of the view's instant, so
 * that nothing later reaches it.
 */
export function reportsOnTime(db: Tx, unitId: number, date: CalendarDate, instant: string | null) {
	const lastDue = lastDueMonth(date, readRuleSettings(db, instant).reportDueDay);
	const months = monthsFrom(addMonthsToMonth(lastDue, -11), lastDue);
	const ends = months.map((month) => {
		const end = endOfSuzhouDay(lastDayOf(month));
		return instant !== null && instant < end ? instant : end;
	});
	const dueDays = ruleSettingsAsOfEach(db, ends).map((s) => s.reportDueDay);
	const dueByOf = new Map(months.map((month, k) => [month, dueBy(month, dueDays[k])]));
	// The items the unit may have led at a month's end, read at each month's end; each month counts those
	// it led then. One led by it at the first month's end either still is and never changed since, or
	// has a change since whose record before it names the unit; one it came to lead later, a change
	// since whose record after it does. So the items it leads now and those changes since the first
	// month's end (the index passes over older ones without reading them) name every one.
	const mayHaveLed = sql`SELECT CAST(id AS TEXT) FROM initiative WHERE lead_unit_id = ${unitId}
		UNION SELECT entity_id FROM change_log WHERE entity = 'initiative' AND at > ${ends[0]}
			AND (json_extract(after, '$.leadUnitId') = ${unitId} OR json_extract(before, '$.leadUnitId') = ${unitId})`;
	const ledAt = rowsAsOfEach(db, initiative, ends, { ids: mayHaveLed }).map((items, k) =>
		items.filter((item) => item.leadUnitId === unitId && owesReport(item, lastDayOf(months[k])))
	);
	const ids = JSON.stringify([...new Set(ledAt.flat().map((item) => item.id))]);
	// The reports of these items and months (a report is never deleted; its month and item never change).
	const reports = db.all<SentReport & { initiativeId: number }>(sql`
		SELECT id, initiative_id AS initiativeId, month, submitted_at AS submittedAt FROM progress_report
		WHERE initiative_id IN (SELECT value FROM json_each(${ids})) AND month >= ${months[0]} AND month <= ${months[months.length - 1]}`);
	const onTimeIds = sentOnTime(db, reports, (month) => dueByOf.get(month)!);
	const onTimeMonths = new Set(reports.filter((r) => onTimeIds.has(r.id)).map((r) => `${r.initiativeId}:${r.month}`));
	let due = 0;
	let onTime = 0;
	months.forEach((month, k) => {
		for (const item of ledAt[k]) {
			due += 1;
			if (onTimeMonths.has(`${item.id}:${month}`)) onTime += 1;
		}
	});
	return { due, onTime };
}

/**
 * Whether an item, as it stood at the end of `date`, owes the report of `date`'s month: active, started
 * by then and not completed by then (a month's summary reads its month's end; its last day is `date`).
 */
export function owesReport(
	item: { status: string; startOn: CalendarDate | null; completedOn: CalendarDate | null },
	date: CalendarDate
): boolean {
	return item.status === 'active' && (!item.startOn || item.startOn <= date) && !(item.completedOn && item.completedOn <= date);
}
