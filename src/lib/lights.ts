/**
 * 红黄绿灯: the warning light of an item on a date, from the three rule families of docs/domain.md
 * (deadline, pace, reports). Each family gives a light; the item shows the worst of them.
 */
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

/** Deadline rule: red when a due date has passed unmet, yellow when one is close. */
export function deadlineLight(dueDates: CalendarDate[], date: CalendarDate, settings: Pick<RuleSettings, 'deadlineWarningDays'>): Light {
	let light: Light = 'green';
	for (const due of dueDates) {
		const daysLeft = daysBetween(date, due);
		if (daysLeft < 0) return 'red';
		if (daysLeft <= settings.deadlineWarningDays) light = 'yellow';
	}
	return light;
}

/** Pace rule: points behind 序时进度 turn the light yellow, then red. */
export function paceLight(
	milestones: MilestoneFacts[],
	date: CalendarDate,
	settings: Pick<RuleSettings, 'paceYellowPoints' | 'paceRedPoints'>
): Light {
	const behind = Math.round((expectedProgress(milestones, date) - actualProgress(milestones, date)) * 100);
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
	milestones: MilestoneFacts[];
	/** Months for which a report counts as given (submitted or approved). */
	reportedMonths: ReadonlySet<Month>;
};

/** The item's light on `date`: green once closed, else the worst of the three rule families. */
export function lightOf({ item, milestones, reportedMonths }: LightInput, date: CalendarDate, settings: RuleSettings): Light {
	if (isDone(item, date)) return 'green';
	const openDueDates = milestones.filter((m) => m.completedOn === null || m.completedOn > date).map((m) => m.dueOn);
	if (item.dueOn) openDueDates.push(item.dueOn);
	// Monthly reports are owed from the item's start; an item not yet given a start date (a catalogue
	// item awaiting 立项) owes none.
	const started = item.startOn !== null && item.startOn <= date;
	const firstMonth = item.startOn ? monthOf(item.startOn) : '';
	return worstLight(
		deadlineLight(openDueDates, date, settings),
		paceLight(milestones, date, settings),
		started ? reportLight(consecutiveMissedReports(reportedMonths, firstMonth, date, settings.reportDueDay), settings) : 'green'
	);
}

/** One rule's part in a light that is not green: its light and why, in the interface language. */
export type LightReason = { light: Exclude<Light, 'green'>; text: string };

/**
 * Why the item's light is what it is on `date` (empty when green): each rule family that gives a
 * yellow or red, with the milestone or the months concerned, worst first. The same rules as `lightOf`.
 */
export function lightReasons(
	{ item, milestones, reportedMonths }: Omit<LightInput, 'milestones'> & { milestones: (MilestoneFacts & { title?: string })[] },
	date: CalendarDate,
	settings: RuleSettings
): LightReason[] {
	if (isDone(item, date)) return [];
	const reasons: LightReason[] = [];
	const due = milestones
		.filter((ms) => ms.completedOn === null || ms.completedOn > date)
		.map((ms) => ({ what: ms.title ?? '', dueOn: ms.dueOn }));
	if (item.dueOn) due.push({ what: m.item_deadline(), dueOn: item.dueOn });
	for (const d of due.sort((a, b) => a.dueOn.localeCompare(b.dueOn))) {
		const left = daysBetween(date, d.dueOn);
		if (left < 0) reasons.push({ light: 'red', text: m.light_reason_overdue({ what: d.what, date: formatDate(d.dueOn), days: -left }) });
		else if (left <= settings.deadlineWarningDays)
			reasons.push({ light: 'yellow', text: m.light_reason_due_soon({ what: d.what, date: formatDate(d.dueOn), days: left }) });
	}
	const pace = paceLight(milestones, date, settings);
	if (pace !== 'green') {
		const points = Math.round((expectedProgress(milestones, date) - actualProgress(milestones, date)) * 100);
		reasons.push({ light: pace, text: m.light_reason_pace({ points, yellow: settings.paceYellowPoints, red: settings.paceRedPoints }) });
	}
	if (item.startOn !== null && item.startOn <= date) {
		const missed = consecutiveMissedReports(reportedMonths, monthOf(item.startOn), date, settings.reportDueDay);
		const light = reportLight(missed, settings);
		if (light !== 'green') {
			const month = formatMonth(lastDueMonth(date, settings.reportDueDay));
			reasons.push({ light, text: m.light_reason_reports({ count: missed, month }) });
		}
	}
	return reasons.sort((a, b) => severity[b.light] - severity[a.light]);
}
