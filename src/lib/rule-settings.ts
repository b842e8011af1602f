/** What an administrator may set of the rule thresholds, and the checks each value must pass. */
import { z } from 'zod';
import { m, translated } from './i18n';
import type { RuleSettings } from './settings';

export type { RuleSettings };

const whole = (label: () => string, min: number, max: number) =>
	z.coerce
		.number({ error: () => m.form_not_a_number({ label: label() }) })
		.int({ error: () => m.form_not_whole({ label: label() }) })
		.min(min, { error: () => m.form_too_small_number({ label: label(), min }) })
		.max(max, { error: () => m.form_too_large_number({ label: label(), max }) });

export const ruleSettingsSchema = z
	.object({
		reportDueDay: whole(m.rule_report_due_day, 1, 28),
		deadlineWarningDays: whole(m.rule_deadline_warning_days, 0, 60),
		paceYellowPoints: whole(m.rule_pace_yellow_points, 1, 100),
		paceRedPoints: whole(m.rule_pace_red_points, 1, 100),
		missedReportsYellow: whole(m.rule_missed_yellow, 1, 12),
		missedReportsRed: whole(m.rule_missed_red, 1, 12)
	})
	.refine((s) => s.paceRedPoints > s.paceYellowPoints, { path: ['paceRedPoints'], error: () => m.rule_pace_order() })
	.refine((s) => s.missedReportsRed > s.missedReportsYellow, { path: ['missedReportsRed'], error: () => m.rule_missed_order() });

export const ruleSettingLabels = translated<keyof RuleSettings>({
	reportDueDay: m.rule_label_report_due_day,
	deadlineWarningDays: m.rule_label_deadline_warning_days,
	paceYellowPoints: m.rule_label_pace_yellow_points,
	paceRedPoints: m.rule_label_pace_red_points,
	missedReportsYellow: m.rule_label_missed_yellow,
	missedReportsRed: m.rule_label_missed_red
});
