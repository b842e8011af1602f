/**
 * 红黄绿灯: the warning light of an item on a date, from the three rule families of docs/domain.md
 * (deadline, pace, reports). Each family gives a light; the item shows the worst of them.
 */
import { byText } from './order';
import { addMonthsToMonth, daysBetween, formatDate, formatMonth, monthOf, type CalendarDate, type Month } from './dates';
import { actualProgress, expectedProgress, isDone, type ItemFacts, type MilestoneFacts } from './progress';
import { m, translated } from './i18n';
import { lastDueMonth } from './reporting-calendar';
import type { RuleSettings } from './settings';

export const lights = ['green', 'yellow', 'red'] as const;
export type Light = (typeof lights)[number];

export const lightLabels = translated<Light>({ green: m.light_green, yellow: m.light_yellow, red: m.light_red });

const severity: Record<Light, number> = { green: 0, yellow: 1, red: 2 };

export function worstLight(...candidates: Light[]): Light {
	return candidates.reduce((worst, l) => (severity[l] > severity[worst] ? l : worst), 'green');
}

/** Deadline rule for one due date: red once it has passed unmet, yellow when it is close. */
function dueDateLight(daysLeft: number, settings: Pick<RuleSettings, 'deadlineWarningDays'>): Light {
	if (daysLeft < 0) return 'red';
	return daysLeft <= settings.deadlineWarningDays ? 'yellow' : 'green';
}

/** Deadline rule: red when a due date has passed unmet, yellow when one is close. */
export function deadlineLight(dueDates: CalendarDate[], date: CalendarDate, settings: Pick<RuleSettings, 'deadlineWarningDays'>): Light {
	return worstLight(...dueDates.map((due) => dueDateLight(daysBetween(date, due), settings)));
}

/** Points of progress behind 序时进度 on `date` (negative when ahead). */
function pointsBehind(milestones: MilestoneFacts[], date: CalendarDate): number {
	return Math.round((expectedProgress(milestones, date) - actualProgress(milestones, date)) * 100);
}

/** Pace rule: points behind 序时进度 turn the light yellow, then red. */
export function paceLight(
	milestones: MilestoneFacts[],
	date: CalendarDate,
	settings: Pick<RuleSettings, 'paceYellowPoints' | 'paceRedPoints'>
): Light {
	const behind = pointsBehind(milestones, date);
	if (behind > settings.paceRedPoints) return 'red';
	if (behind >= settings.paceYellowPoints) return 'yellow';
	return 'green';
}

/**
 * How many monthly reports in a row were missed, counting back from the last month that was due by
 * `date` and stopping at the first reported month or at `firstMonth` (the item's first month).
 */
export function consecutiveMissedReports(
	reportedMonths: ReadonlySet<Month>,
	firstMonth: Month,
	date: CalendarDate,
	reportDueDay: number
): number {
	let missed = 0;
	for (let m = lastDueMonth(date, reportDueDay); m >= firstMonth; m = addMonthsToMonth(m, -1)) {
		if (reportedMonths.has(m)) break;
		missed += 1;
	}
	return missed;
}

export function reportLight(missedInARow: number, settings: Pick<RuleSettings, 'missedReportsYellow' | 'missedReportsRed'>): Light {
	if (missedInARow >= settings.missedReportsRed) return 'red';
	if (missedInARow >= settings.missedReportsYellow) return 'yellow';
	return 'green';
}

export type LightInput = {
	item: ItemFacts & { dueOn: CalendarDate | null; startOn: CalendarDate | null };
	milestones: (MilestoneFacts & { title?: string })[];
	/** Months for which a report counts as given (approved, or in review: reporting-calendar.ts). */
	reportedMonths: ReadonlySet<Month>;
};

/** The due dates still open on `date`: each open milestone's (with its title) and the item's deadline (title null). */
function openDueDates({ item, milestones }: LightInput, date: CalendarDate): { title: string | null; dueOn: CalendarDate }[] {
	const open = milestones
		.filter((ms) => ms.completedOn === null || ms.completedOn > date)
		.map((ms) => ({ title: ms.title ?? '', dueOn: ms.dueOn }));
	return item.dueOn ? [...open, { title: null, dueOn: item.dueOn }] : open;
}

/**
 * Reports missed in a row on `date`. Monthly reports are owed from the item's start; an item not
 * yet given a start date (a catalogue item awaiting 立项) owes none.
 */
function missedReports({ item, reportedMonths }: LightInput, date: CalendarDate, reportDueDay: number): number {
	if (item.startOn === null || item.startOn > date) return 0;
	return consecutiveMissedReports(reportedMonths, monthOf(item.startOn), date, reportDueDay);
}

/** The item's light on `date`: green once closed, else the worst of the three rule families. */
export function lightOf(input: LightInput, date: CalendarDate, settings: RuleSettings): Light {
	if (isDone(input.item, date)) return 'green';
	return worstLight(
		deadlineLight(
			openDueDates(input, date).map((d) => d.dueOn),
			date,
			settings
		),
		paceLight(input.milestones, date, settings),
		reportLight(missedReports(input, date, settings.reportDueDay), settings)
	);
}

/** One rule's part in a light that is not green: its light and why, in the interface language. */
export type LightReason = { light: Exclude<Light, 'green'>; kind: 'overdue' | 'dueSoon' | 'pace' | 'reports'; text: string };

/**
 * Why the item's light is what it is on `date` (empty when green): each rule family that gives a
 * yellow or red, with the milestone or the months concerned, worst first. The same rules as `lightOf`.
 */
export function lightReasons(input: LightInput, date: CalendarDate, settings: RuleSettings): LightReason[] {
	if (isDone(input.item, date)) return [];
	const reasons: LightReason[] = [];
	for (const d of openDueDates(input, date).sort((a, b) => byText(a.dueOn, b.dueOn))) {
		const left = daysBetween(date, d.dueOn);
		const what = d.title ?? m.item_deadline();
		const light = dueDateLight(left, settings);
		if (light === 'red')
			reasons.push({ light, kind: 'overdue', text: m.light_reason_overdue({ what, date: formatDate(d.dueOn), days: -left }) });
		else if (light === 'yellow')
			reasons.push({ light, kind: 'dueSoon', text: m.light_reason_due_soon({ what, date: formatDate(d.dueOn), days: left }) });
	}
	const pace = paceLight(input.milestones, date, settings);
	if (pace !== 'green') {
		const points = pointsBehind(input.milestones, date);
		reasons.push({
			light: pace,
			kind: 'pace',
			text: m.light_reason_pace({ points, yellow: settings.paceYellowPoints, red: settings.paceRedPoints })
		});
	}
	const missed = missedReports(input, date, settings.reportDueDay);
	const reports = reportLight(missed, settings);
	if (reports !== 'green') {
		const month = formatMonth(lastDueMonth(date, settings.reportDueDay));
		reasons.push({ light: reports, kind: 'reports', text: m.light_reason_reports({ count: missed, month }) });
	}
	return reasons.sort((a, b) => severity[b.light] - severity[a.light]);
}
