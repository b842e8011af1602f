/**
 * The story of one demo item: its milestones, when each was met, when the item was closed, and its
 * monthly reports, as plain data. Deterministic for a given assignment and date. Nothing here writes;
 * generate.ts turns the plan into tracked writes, so the history reads like the real thing.
 */
import { addCalendarDays, addMonthsToMonth, daysBetween, lastDayOf, monthOf, monthsFrom, type CalendarDate, type Month } from '$lib/dates';
import type { Random } from './random';

/** `late`: on pace, but this month's report is still a draft past the due day (one report missed: yellow). */
export const demoProfiles = ['done', 'ahead', 'on_pace', 'late', 'behind', 'overdue'] as const;
export type DemoProfile = (typeof demoProfiles)[number];

export type PlannedMilestone = {
	title: string;
	dueOn: CalendarDate;
	weight: number;
	completedOn: CalendarDate | null;
};

export type PlannedReport = {
	month: Month;
	/** Day it was first submitted; null while it is still a draft. */
	submittedOn: CalendarDate | null;
	/** Day the office returned it (退回), when it was returned once before approval. */
	returnedOn: CalendarDate | null;
	resubmittedOn: CalendarDate | null;
	approvedOn: CalendarDate | null;
};

export type ItemPlan = {
	milestones: PlannedMilestone[];
	closedOn: CalendarDate | null;
	reports: PlannedReport[];
};

function milestoneTitle(subject: string, index: number, count: number, due: CalendarDate): string {
	if (index === 0) return `制定${subject}实施方案并印发`;
	if (index === count - 1) return `全面完成${subject}目标任务并通过验收`;
	if (index === Math.floor(count / 2)) return `开展${subject}中期评估`;
	const half = Number(due.slice(5, 7)) <= 6 ? '上半年' : '下半年';
	return `完成${due.slice(0, 4)}年${half}${subject}阶段任务`;
}

/** Milestone dates from start to due: `count` of them, or four to seven by the span. */
function planMilestoneDates(start: CalendarDate, due: CalendarDate, count?: number): CalendarDate[] {
	const startMonth = monthOf(start);
	const spanMonths = monthsFrom(startMonth, monthOf(due)).length - 1;
	count ??= Math.min(7, Math.max(4, Math.round(spanMonths / 9)));
	if (count === 1) return [due];
	// The plan (实施方案) is due two months in; the other milestones spread evenly up to the deadline.
	const first = lastDayOf(addMonthsToMonth(startMonth, 2));
	const dates = [first];
	const rest = spanMonths - 2;
	for (let k = 1; k < count - 1; k++) {
		dates.push(lastDayOf(addMonthsToMonth(startMonth, 2 + Math.round((k * rest) / (count - 1)))));
	}
	dates.push(due);
	return dates;
}

/** A day between `from` and `to`, never after `today`. */
function dayBetween(rng: Random, from: CalendarDate, to: CalendarDate, today: CalendarDate): CalendarDate {
	const span = Math.max(0, daysBetween(from, to));
	const day = addCalendarDays(from, rng.int(0, span));
	return day > today ? today : day;
}

function planCompletions(rng: Random, profile: DemoProfile, dates: CalendarDate[], today: CalendarDate): (CalendarDate | null)[] {
	const dueByToday = dates.filter((d) => d <= today).length;
	// How many of the milestones due by today stay unmet at the end of the story.
	const unmet = profile === 'behind' ? rng.int(1, 2) : profile === 'overdue' ? 2 : 0;
	const late = profile === 'behind' || profile === 'overdue';
	return dates.map((due, k) => {
		if (profile === 'done') return dayBetween(rng, addCalendarDays(due, -20), due, today);
		if (k < dueByToday - unmet) {
			return late
				? dayBetween(rng, addCalendarDays(due, 5), addCalendarDays(due, 45), today)
				: dayBetween(rng, addCalendarDays(due, -15), due, today);
		}
		if (profile === 'ahead' && k === dueByToday) {
			const previousDue = k > 0 ? dates[k - 1] : addCalendarDays(today, -60);
			return dayBetween(
				rng,
				addCalendarDays(today, -40) > previousDue ? addCalendarDays(today, -40) : previousDue,
				addCalendarDays(today, -3),
				today
			);
		}
		return null;
	});
}

function planReports(
	rng: Random,
	profile: DemoProfile,
	start: CalendarDate,
	lastMonth: Month,
	today: CalendarDate,
	reportDueDay: number
): PlannedReport[] {
	const months = monthsFrom(monthOf(start), lastMonth);
	const currentMonth = monthOf(today);
	return months.flatMap((month, index): PlannedReport[] => {
		const fromEnd = months.length - 1 - index;
		// Lagging units skip reports: overdue items the last two months, behind items now and then.
		if (profile === 'overdue' && fromEnd < 2 && month !== currentMonth) return [];
		if (profile === 'overdue' && month === currentMonth) return [];
		if (profile === 'behind' && month !== currentMonth && rng.chance(0.06)) return [];
		const draft: PlannedReport = { month, submittedOn: null, returnedOn: null, resubmittedOn: null, approvedOn: null };
		// This month, lagging units have only a draft (系统催报 flags them), and the office has not yet
		// reviewed every report: some wait for it (待审核).
		if (month === currentMonth && (profile === 'behind' || profile === 'late')) return [draft];
		const submittedOn = `${month}-${String(rng.int(reportDueDay - 8, reportDueDay)).padStart(2, '0')}`;
		if (month === currentMonth && profile === 'on_pace' && submittedOn <= today && rng.chance(0.35)) {
			return [{ ...draft, submittedOn }];
		}
		if (submittedOn > today) {
			return month === currentMonth && rng.chance(0.5) ? [draft] : [];
		}
		const returned = rng.chance(0.1);
		const returnedOn = returned ? addCalendarDays(submittedOn, rng.int(1, 3)) : null;
		const resubmittedOn = returnedOn ? addCalendarDays(returnedOn, rng.int(1, 3)) : null;
		const approvedOn = addCalendarDays(resubmittedOn ?? submittedOn, rng.int(1, 6));
		return [
			{
				month,
				submittedOn,
				returnedOn: returnedOn && returnedOn <= today ? returnedOn : null,
				resubmittedOn: resubmittedOn && resubmittedOn <= today ? resubmittedOn : null,
				approvedOn: approvedOn <= today ? approvedOn : null
			}
		];
	});
}

export function planItem(
	rng: Random,
	assignment: { profile: DemoProfile; subject: string; start: CalendarDate; due: CalendarDate },
	today: CalendarDate,
	reportDueDay: number,
	milestoneCount?: number
): ItemPlan {
	const { profile, subject, start, due } = assignment;
	const dates = planMilestoneDates(start, due, milestoneCount);
	const completions = planCompletions(rng, profile, dates, today);
	const milestones = dates.map((dueOn, k) => ({
		title: milestoneTitle(subject, k, dates.length, dueOn),
		dueOn,
		weight: rng.pick([10, 15, 20, 25, 30]),
		completedOn: completions[k]
	}));
	const lastCompletion = completions.reduce<CalendarDate>((a, c) => (c && c > a ? c : a), start);
	const closedOn =
		profile === 'done' ? dayBetween(rng, addCalendarDays(lastCompletion, 7), addCalendarDays(lastCompletion, 25), today) : null;
	const lastMonth = closedOn ? monthOf(closedOn) : monthOf(today);
	return { milestones, closedOn, reports: planReports(rng, profile, start, lastMonth, today, reportDueDay) };
}
