/**
 * Progress and pace (进度评价) of one item, as pure functions of its milestones and a date, so that
 * any past date can be evaluated from the history.
 */
import { byText } from './order';
import type { CalendarDate } from './dates';
import { m, translated } from './i18n';

export type MilestoneFacts = {
	dueOn: CalendarDate;
	weight: number;
	completedOn: CalendarDate | null;
};

export type ItemFacts = {
	status: 'active' | 'completed' | 'cancelled';
	completedOn: CalendarDate | null;
};

export const paces = ['done', 'ahead', 'on_pace', 'behind', 'not_started'] as const;
export type Pace = (typeof paces)[number];

function share(milestones: MilestoneFacts[], counts: (m: MilestoneFacts) => boolean): number {
	const total = milestones.reduce((sum, m) => sum + m.weight, 0);
	if (total <= 0) return 0;
	const part = milestones.filter(counts).reduce((sum, m) => sum + m.weight, 0);
	return part / total;
}

/** 序时进度: the weight of milestones due by `date` over the total weight (0–1). */
export function expectedProgress(milestones: MilestoneFacts[], date: CalendarDate): number {
	return share(milestones, (m) => m.dueOn <= date);
}

/** Actual progress: the weight of milestones completed by `date` over the total weight (0–1). */
export function actualProgress(milestones: MilestoneFacts[], date: CalendarDate): number {
	return share(milestones, (m) => m.completedOn !== null && m.completedOn <= date);
}

/** Whether the item had been closed (销号) by `date`. */
export function isDone(item: ItemFacts, date: CalendarDate): boolean {
	return item.status === 'completed' && item.completedOn !== null && item.completedOn <= date;
}

/**
 * 进度评价 on `date`: 已完成 once closed; 未启动 while nothing is done; otherwise actual against
 * expected progress: ahead, on pace or behind.
 */
export function paceOf(item: ItemFacts, milestones: MilestoneFacts[], date: CalendarDate): Pace {
	if (isDone(item, date)) return 'done';
	const actual = actualProgress(milestones, date);
	const expected = expectedProgress(milestones, date);
	if (actual === 0 && expected === 0) return 'not_started';
	// Rounded to whole per-mille so that weights like 1/3 + 2/3 compare as equal.
	const diff = Math.round((actual - expected) * 1000);
	if (diff > 0) return 'ahead';
	if (diff < 0) return 'behind';
	return 'on_pace';
}

export const paceLabels = translated<Pace>({
	done: m.pace_done,
	ahead: m.pace_ahead,
	on_pace: m.pace_on_pace,
	behind: m.pace_behind,
	not_started: m.pace_not_started
});

export const statusLabels = translated<ItemFacts['status']>({
	active: m.status_active,
	completed: m.status_completed,
	cancelled: m.status_cancelled
});

/** `0.456` → `46%` */
export function percent(share: number): string {
	return `${Math.round(share * 100)}%`;
}

/**
 * The whole percents of a breakdown (lights, paces) that sum to 100, as a filed document's shares
 * must: each count's share rounded down, then the points left over given to the largest remainders
 * (the first of equal ones first). Rounded one by one, 5/13/33/35 came to 101%. All zero when the
 * counts are.
 */
export function wholePercents(counts: readonly number[]): number[] {
	const total = counts.reduce((a, b) => a + b, 0);
	if (total === 0) return counts.map(() => 0);
	const exact = counts.map((n) => (n * 100) / total);
	const whole = exact.map(Math.floor);
	let left = 100 - whole.reduce((a, b) => a + b, 0);
	const byRemainder = counts.map((_, k) => k).sort((a, b) => exact[b] - whole[b] - (exact[a] - whole[a]) || a - b);
	for (const k of byRemainder) {
		if (left-- <= 0) break;
		whole[k] += 1;
	}
	return whole;
}

/** Expected and actual progress at the end of each month from `from` to `to` (both `YYYY-MM`). */
export function progressByMonth(
	milestones: MilestoneFacts[],
	months: string[],
	monthEnd: (month: string) => string
): { month: string; expected: number; actual: number }[] {
	return months.map((month) => {
		const end = monthEnd(month);
		return { month, expected: expectedProgress(milestones, end), actual: actualProgress(milestones, end) };
	});
}

export const milestoneStates = ['done', 'late', 'overdue', 'open'] as const;
/** A milestone on a day: 已完成 by its due date, 逾期完成 after it, 已逾期 while open past it, else 未到期. */
export type MilestoneState = (typeof milestoneStates)[number];

export function milestoneState(ms: Pick<MilestoneFacts, 'dueOn' | 'completedOn'>, date: string): MilestoneState {
	// A completion dated after `date` was not yet done on `date`.
	if (ms.completedOn !== null && ms.completedOn <= date) return ms.completedOn > ms.dueOn ? 'late' : 'done';
	return ms.dueOn < date ? 'overdue' : 'open';
}

export const milestoneStateLabels = translated<MilestoneState>({
	done: m.pace_done,
	late: m.milestone_done_late,
	overdue: m.milestone_overdue,
	open: m.milestone_open
});

export type MilestoneBar = { title: string; from: string; to: string; state: MilestoneState };

/** Each milestone as a span from the previous one's due date (or the item's start) to its own. */
export function milestoneBars(startOn: string | null, milestones: (MilestoneFacts & { title: string })[], date: string): MilestoneBar[] {
	const sorted = [...milestones].sort((a, b) => byText(a.dueOn, b.dueOn));
	return sorted.map((m, i) => {
		const previous = i === 0 ? (startOn ?? m.dueOn) : sorted[i - 1].dueOn;
		const from = previous < m.dueOn ? previous : m.dueOn;
		return { title: m.title, from, to: m.dueOn, state: milestoneState(m, date) };
	});
}
