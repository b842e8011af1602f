/**
 * What the dashboard counts of one item's milestones on a date. Computed with the item's evaluation,
 * so only when the item changes, and summed by the dashboard: the city's figures then cost a pass over
 * its items, not over its hundreds of thousands of milestones.
 */
import { addCalendarDays, monthOf, type CalendarDate } from './dates';
import { milestoneState } from './progress';

/** How far ahead the dashboard lists milestones due (近期到期). */
export const UPCOMING_DAYS = 30;

export type MilestoneCounts = {
	/** Milestones open past their due date (已逾期) on the date. */
	overdueMilestones: number;
	/** The month each milestone is due in, and the month each one met by the date was met in. */
	dueMonths: string[];
	metMonths: string[];
	/** Milestones not met that fall due within `UPCOMING_DAYS` after the date. */
	dueSoon: { title: string; dueOn: string }[];
};

type Milestone = { title: string; dueOn: string; completedOn: string | null };

export function milestoneCounts(milestones: readonly Milestone[], date: CalendarDate): MilestoneCounts {
	const until = addCalendarDays(date, UPCOMING_DAYS);
	const counts: MilestoneCounts = { overdueMilestones: 0, dueMonths: [], metMonths: [], dueSoon: [] };
	for (const ms of milestones) {
		counts.dueMonths.push(sharedMonthOf(ms.dueOn));
		const state = milestoneState(ms, date);
		if (state === 'overdue') counts.overdueMilestones += 1;
		else if (state === 'done' || state === 'late') counts.metMonths.push(sharedMonthOf(ms.completedOn!));
		if (ms.completedOn === null && ms.dueOn > date && ms.dueOn <= until) counts.dueSoon.push({ title: ms.title, dueOn: ms.dueOn });
	}
	return counts;
}

/**
 * The month of a day, as one string per day: every evaluated city holds a month per milestone (twice
 * 200,000 at a province's size, for a month's summary), which are then a few hundred strings shared
 * rather than as many copies. Days are calendar dates, some thousands at most; the bound only guards.
 */
const monthsOfDays = new Map<CalendarDate, string>();
function sharedMonthOf(day: CalendarDate): string {
	let month = monthsOfDays.get(day);
	if (month === undefined) {
		month = monthOf(day);
		if (monthsOfDays.size < 100_000) monthsOfDays.set(day, month);
	}
	return month;
}

/** Milestones due and met per month, summed over items (`tally.ts`): what the burn-up chart (燃尽图) plots. */
export type MonthCounts = { due: Map<string, number>; met: Map<string, number> };

/** `counts` with `item`'s months added (`sign` 1) or taken away (-1), in place. */
export function addMonths(counts: MonthCounts, item: Pick<MilestoneCounts, 'dueMonths' | 'metMonths'>, sign: 1 | -1): void {
	for (const [map, months] of [
		[counts.due, item.dueMonths],
		[counts.met, item.metMonths]
	] as const) {
		for (const month of months) {
			const n = (map.get(month) ?? 0) + sign;
			if (n === 0) map.delete(month);
			else map.set(month, n);
		}
	}
}
