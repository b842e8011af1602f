/** The rule thresholds in force: the defaults, overridden by what an administrator saved. */
import { inArray } from 'drizzle-orm';
import { defaultRuleSettings, type RuleSettings } from '$lib/settings';
import type { Db, Tx } from './db';
import { setting } from './db/schema';
import { putSetting, type ChangeContext } from './history';

const keys = Object.keys(defaultRuleSettings) as (keyof RuleSettings)[];

export function readRuleSettings(db: Tx): RuleSettings {
	const rows = db.select().from(setting).where(inArray(setting.key, keys)).all();
	const saved = Object.fromEntries(rows.map((r) => [r.key, r.value]));
	return { ...defaultRuleSettings, ...saved } as RuleSettings;
}

/** Saves the settings that differ from what is in force, each in the history. */
export function saveRuleSettings(db: Db, next: RuleSettings, ctx: ChangeContext): number {
	return db.transaction((tx) => {
		const current = readRuleSettings(tx);
		const changed = keys.filter((k) => current[k] !== next[k]);
		for (const k of changed) putSetting(tx, k, next[k], ctx);
		return changed.length;
	});
}
