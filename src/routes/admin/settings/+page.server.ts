import { requirePermission } from '$lib/server/auth/guard';
import { z } from 'zod';
import { appDb } from '$lib/server/app-db';
import { formAction } from '$lib/server/form-action';
import { readRuleSettings, ruleSettingsSchema, saveRuleSettings, settingsVersion } from '$lib/server/rule-settings';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/i18n';

export const load = (({ locals }) => {
	requirePermission(locals, 'manageSettings');
	const db = appDb();
	return { settings: readRuleSettings(db), version: settingsVersion(db) };
}) satisfies PageServerLoad;

/** The version the form was opened at: 0 before any setting was saved. */
const version = z.object({
	version: z.coerce
		.number({ error: () => m.form_stale() })
		.int()
		.min(0, { error: () => m.form_stale() })
});

export const actions = {
	save: (event) =>
		formAction(event, {
			permission: 'manageSettings',
			parse: ruleSettingsSchema.and(version),
			run: ({ db, change }, { version, ...data }) => saveRuleSettings(db, data, version, change),
			next: (changed) => `/admin/settings?saved=${changed}`
		})
} satisfies Actions;
