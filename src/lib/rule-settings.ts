/** The names of the rule thresholds an administrator may set, in the interface language. */
import { m, translated } from './i18n';
import type { RuleSettings } from './settings';

export type { RuleSettings };

export const ruleSettingLabels = translated<keyof RuleSettings>({
	reportDueDay: m.rule_label_report_due_day,
	deadlineWarningDays: m.rule_label_deadline_warning_days,
	paceYellowPoints: m.rule_label_pace_yellow_points,
	paceRedPoints: m.rule_label_pace_red_points,
	missedReportsYellow: m.rule_label_missed_yellow,
	missedReportsRed: m.rule_label_missed_red,
	instructionReplyDays: m.rule_label_instruction_reply_days,
	proposalReplyMonths: m.rule_label_proposal_reply_months
});
