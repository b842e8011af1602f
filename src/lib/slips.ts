/**
 * 督办单 (docs/domain.md, "Slips"): which colour the rules call for, how a slip is numbered, what it
 * asks by default, and the state it is in. Pure rules, read by the server that issues slips and by
 * the pages that show them.
 */
import { type CalendarDate } from './dates';
import { m, translated } from './i18n';
import { addWorkingDays, type WorkingCalendar } from './working-days';
import type { LightReason } from './lights';

export const slipColours = ['blue', 'yellow', 'red'] as const;
export type SlipColour = (typeof slipColours)[number];

/** The kind of each colour, in the interface language: 提示单, 催办单, 督办单. */
export const slipKindLabels = translated<SlipColour>({ blue: m.slip_kind_blue, yellow: m.slip_kind_yellow, red: m.slip_kind_red });

/** The word after the register's prefix in a 文号: 苏督提, 苏督催, 苏督办. */
const numberMark: Record<SlipColour, string> = { blue: '提', yellow: '催', red: '办' };

/**
 * The colour the rules call for: red when the light is red (a date passed, far behind the pace,
 * reports missed); yellow when behind the pace or reports are missing; blue (a reminder) otherwise,
 * e.g. when a deadline is near.
 */
export function slipColourFor(reasons: Pick<LightReason, 'light' | 'kind'>[]): SlipColour {
	if (reasons.some((r) => r.light === 'red')) return 'red';
	if (reasons.some((r) => r.kind === 'pace' || r.kind === 'reports')) return 'yellow';
	return 'blue';
}

/** The 文号 of a slip: `苏督办〔2026〕12号`. */
export function slipNumber(prefix: string, colour: SlipColour, year: number, serial: number): string {
	return `${prefix}${numberMark[colour]}〔${year}〕${serial}号`;
}

/** Working days the unit has to answer, by colour (the office may set another date). */
export const replyWorkingDays: Record<SlipColour, number> = { blue: 10, yellow: 7, red: 5 };
/** The furthest a reply date may be set from the day of issue. */
export const MAX_REPLY_DAYS = 90;

/** The reply date: `replyWorkingDays` working days after the day of issue (docs/domain.md, "Working days"). */
export function defaultReplyBy(colour: SlipColour, issuedOn: CalendarDate, calendar: WorkingCalendar): CalendarDate {
	return addWorkingDays(calendar, issuedOn, replyWorkingDays[colour]);
}

/** What a slip asks by default (督办要求), written into the document in Chinese. */
const demands = {
	blue: '请对照时间节点抓紧推进，确保按期完成，并在反馈时限前报送推进情况。',
	behind: '请分析进度滞后的原因，制定追赶措施，加快推进，并在反馈时限前书面反馈整改情况。',
	reports: '请补报所缺月份的进展情况，说明未按时报送的原因，并在反馈时限前书面反馈。',
	behindAndReports:
		'请分析进度滞后的原因，制定追赶措施，加快推进；补报所缺月份的进展情况，说明未按时报送的原因；并在反馈时限前书面反馈整改情况。',
	red: '请立即研究落实，明确整改措施、责任人和完成时限，并在反馈时限前书面反馈办理结果。逾期未反馈的，将在月度通报中予以通报。'
};

/**
 * The demand a slip makes by default, fitting its reasons: a 催办单 for reports not sent asks for
 * them, not for catching up a pace the item keeps (it asked "分析进度滞后的原因" of an item on pace).
 */
export function defaultDemand(colour: SlipColour, reasons: Pick<LightReason, 'kind'>[]): string {
	if (colour !== 'yellow') return demands[colour];
	const behind = reasons.some((r) => r.kind === 'pace');
	const reports = reasons.some((r) => r.kind === 'reports');
	return behind && reports ? demands.behindAndReports : reports ? demands.reports : demands.behind;
}

export const slipStates = ['open', 'overdue', 'answered', 'settled', 'voided'] as const;
export type SlipState = (typeof slipStates)[number];

export const slipStateLabels = translated<SlipState>({
	open: m.slip_state_open,
	overdue: m.slip_state_overdue,
	answered: m.slip_state_answered,
	settled: m.slip_state_settled,
	voided: m.slip_state_voided
});

/**
 * 待反馈, 逾期未反馈 (past its reply date on `today`), 已反馈, 随事项办结 (unanswered, its item closed
 * or cancelled since: nothing is asked of the unit any more) or 已作废. `itemActive` is the item's
 * status now; a reading of the past that does not know it (`slipsIssuedIn`) leaves it out.
 */
export function slipState(
	slip: { reply: string | null; voidedAt: string | null; replyBy: string },
	today: CalendarDate,
	itemActive = true
): SlipState {
	if (slip.voidedAt) return 'voided';
	if (slip.reply !== null) return 'answered';
	if (!itemActive) return 'settled';
	return today > slip.replyBy ? 'overdue' : 'open';
}
