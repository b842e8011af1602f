/**
 * The rule thresholds in force: the defaults, overridden by what an administrator saved; and the
 * checks each value must pass when saved.
 */
import { requireRole, type CommandContext } from './workflow/access';
import { inArray, sql } from 'drizzle-orm';
import { StaleVersionError } from './workflow/errors';
import { z } from 'zod';
import { m } from '$lib/i18n';
import { defaultRuleSettings, type RuleSettings } from '$lib/settings';
import type { Db, Tx } from './db';
import { rowsAsOfEach } from './as-of';
import { setting } from './db/schema';
import { wholeNumber } from './forms';
import { putSetting } from './history';

export const ruleSettingsSchema = z
	.object({
		reportDueDay: wholeNumber(m.rule_report_due_day, 1, 28),
		deadlineWarningDays: wholeNumber(m.rule_deadline_warning_days, 0, 60),
		paceYellowPoints: wholeNumber(m.rule_pace_yellow_points, 1, 100),
		paceRedPoints: wholeNumber(m.rule_pace_red_points, 1, 100),
		missedReportsYellow: wholeNumber(m.rule_missed_yellow, 1, 12),
		missedReportsRed: wholeNumber(m.rule_missed_red, 1, 12),
		instructionReplyDays: wholeNumber(m.rule_instruction_reply_days, 1, 60),
		proposalReplyMonths: wholeNumber(m.rule_proposal_reply_months, 1, 12)
	})
	.refine((s) => s.paceRedPoints > s.paceYellowPoints, { path: ['paceRedPoints'], error: () => m.rule_pace_order() })
	.refine((s) => s.missedReportsRed > s.missedReportsYellow, { path: ['missedReportsRed'], error: () => m.rule_missed_order() });

const keys = Object.keys(defaultRuleSettings) as (keyof RuleSettings)[];

/**
 * The thresholds in force now, or (`instant`) as they stood then: a past month or an as-of view is
 * judged by the rules of its own time, so changing a threshold today never rewrites it.
 */
export function readRuleSettings(db: Tx, instant: string | null = null): RuleSettings {
	if (instant !== null) return ruleSettingsAsOfEach(db, [instant])[0];
	return withDefaults(db.select().from(setting).where(inArray(setting.key, keys)).all());
}

/** The thresholds as they stood at each of `instants` (ascending), read together from the history. */
export function ruleSettingsAsOfEach(db: Tx, instants: string[]): RuleSettings[] {
	return rowsAsOfEach(db, setting, instants).map(withDefaults);
}

function withDefaults(rows: { key: string; value: unknown }[]): RuleSettings {
	const saved = Object.fromEntries(rows.filter((r) => (keys as string[]).includes(r.key)).map((r) => [r.key, r.value]));
	return { ...defaultRuleSettings, ...saved } as RuleSettings;
}

/**
 * The version of the settings: the id of their last change in the history (0 before any). The form
 * carries it, so that saving over a change someone made meanwhile is refused and shown, not silent.
 */
export function settingsVersion(db: Tx): number {
	return db.get<{ id: number | null }>(sql`SELECT max(id) AS id FROM change_log WHERE entity = 'setting'`)?.id ?? 0;
}

/** The thresholds as they stood at the settings' `version` (the change id it names). */
function settingsAtVersion(db: Tx, version: number): RuleSettings {
	const rows = db.all<{ after: string }>(sql`
		SELECT after FROM (
			SELECT after, row_number() OVER (PARTITION BY entity_id ORDER BY id DESC) AS rn
			FROM change_log WHERE entity = 'setting' AND id <= ${version}
		) WHERE rn = 1 AND after IS NOT NULL`);
	return withDefaults(rows.map((r) => JSON.parse(r.after) as { key: string; value: unknown }));
}

/** Refuses (409, with what changed and who changed it) a save over settings changed since `version`. */
function expectSettingsVersion(tx: Tx, version: number, current: RuleSettings): void {
	const now = settingsVersion(tx);
	if (now === version) return;
	const then = settingsAtVersion(tx, version);
	const last = tx.get<{ at: string; name: string | null }>(
		sql`SELECT c.at, u.display_name AS name FROM change_log c LEFT JOIN user u ON u.id = c.actor_id WHERE c.id = ${now}`
	);
	const changes = keys.filter((k) => then[k] !== current[k]).map((k) => ({ field: k, before: then[k], after: current[k] }));
	throw new StaleVersionError(changes, last?.name ?? null, last?.at ?? null, now);
}

/** Saves the settings that differ from what is in force, each in the history, if none changed since `version`. */
export function saveRuleSettings(db: Db, next: RuleSettings, version: number, ctx: CommandContext): number {
	requireRole(ctx.actor, 'manageSettings');
	return db.transaction((tx) => {
		const current = readRuleSettings(tx);
		expectSettingsVersion(tx, version, current);
		const changed = keys.filter((k) => current[k] !== next[k]);
		for (const k of changed) putSetting(tx, k, next[k], ctx);
		return changed.length;
	});
}
