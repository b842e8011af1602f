/** What an administrator may set of the rule thresholds, and the checks each value must pass. */
import { z } from 'zod';
import type { RuleSettings } from './settings';

export type { RuleSettings };

const whole = (label: string, min: number, max: number) =>
	z.coerce
		.number({ error: `${label}须为数字` })
		.int(`${label}须为整数`)
		.min(min, `${label}不能小于 ${min}`)
		.max(max, `${label}不能大于 ${max}`);

export const ruleSettingsSchema = z
	.object({
		reportDueDay: whole('每月填报截止日', 1, 28),
		deadlineWarningDays: whole('临期预警天数', 0, 60),
		paceYellowPoints: whole('黄灯落后点数', 1, 100),
		paceRedPoints: whole('红灯落后点数', 1, 100),
		missedReportsYellow: whole('黄灯漏报次数', 1, 12),
		missedReportsRed: whole('红灯漏报次数', 1, 12)
	})
	.refine((s) => s.paceRedPoints > s.paceYellowPoints, { path: ['paceRedPoints'], message: '红灯落后点数须大于黄灯落后点数' })
	.refine((s) => s.missedReportsRed > s.missedReportsYellow, { path: ['missedReportsRed'], message: '红灯漏报次数须大于黄灯漏报次数' });

export const ruleSettingLabels: Record<keyof RuleSettings, string> = {
	reportDueDay: '每月填报截止日(日)',
	deadlineWarningDays: '临期预警天数(天,节点到期前多少天亮黄灯)',
	paceYellowPoints: '黄灯:落后序时进度点数(≥)',
	paceRedPoints: '红灯:落后序时进度点数(>)',
	missedReportsYellow: '黄灯:连续漏报次数(≥)',
	missedReportsRed: '红灯:连续漏报次数(≥)'
};
