/**
 * The rule thresholds in force: the defaults, overridden by what an administrator saved; and the
 * checks each value must pass when saved.
 */
import { requireRole, type CommandContext } from './workflow/access';
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { m } from '$lib/i18n';
import { defaultRuleSettings, type RuleSettings } from '$lib/settings';
import type { Db, Tx } from './db';
import { rowsAsOf } from './as-of';
import { setting } from './db/schema';
import { wholeNumber } from './forms';
import { putSetting, type ChangeContext } from './history';

export const ruleSettingsSchema = z
	.object({
		reportDueDay: wholeNumber(m.rule_report_due_day, 1, 28),
		deadlineWarningDays: wholeNumber(m.rule_deadline_warning_days, 0, 60),
		paceYellowPoints: wholeNumber(m.rule_pace_yellow_points, 1, 100),
		paceRedPoints: wholeNumber(m.rule_pace_red_points, 1, 100),
		missedReportsYellow: wholeNumber(m.rule_missed_yellow, 1, 12),
		missedReportsRed: wholeNumber(m.rule_missed_red, 1, 12)
	})
	.refine((s) => s.paceRedPoints > s.paceYellowPoints, { path: ['paceRedPoints'], error: () => m.rule_pace_order() })
	.refine((s) => s.missedReportsRed > s.missedReportsYellow, { path: ['missedReportsRed'], error: () => m.rule_missed_order() });

const keys = Object.keys(defaultRuleSettings) as (keyof RuleSettings)[];

/**
 * The thresholds in force now, or (`instant`) as they stood then: a past month or an as-of view is
 * judged by the rules of its own time, so changing a threshold today never rewrites it.
 */
export function readRuleSettings(db: Tx, instant: string | null = null): RuleSettings {
	const rows =
		instant === null
			? db.select().from(setting).where(inArray(setting.key, keys)).all()
			: rowsAsOf(db, setting, instant).filter((r) => (keys as string[]).includes(r.key));
	const saved = Object.fromEntries(rows.map((r) => [r.key, r.value]));
	return { ...defaultRuleSettings, ...saved } as RuleSettings;
}

/** Saves the settings that differ from what is in force, each in the history. */
export function saveRuleSettings(db: Db, next: RuleSettings, ctx: CommandContext): number {
	requireRole(ctx.actor, 'manageSettings');
	return db.transaction((tx) => {
		const current = readRuleSettings(tx);
		const changed = keys.filter((k) => current[k] !== next[k]);
		for (const k of changed) putSetting(tx, k, next[k], ctx);
		return changed.length;
	});
}
