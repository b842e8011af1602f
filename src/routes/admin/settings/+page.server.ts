import { appDb } from '$lib/server/app-db';
import { formAction } from '$lib/server/form-action';
import { readRuleSettings, ruleSettingsSchema, saveRuleSettings } from '$lib/server/rule-settings';
import type { Actions, PageServerLoad } from './$types';

export const load = (() => ({ settings: readRuleSettings(appDb()) })) satisfies PageServerLoad;

export const actions = {
	save: (event) =>
		formAction(event, {
			permission: 'manageSettings',
			parse: ruleSettingsSchema,
			run: ({ db, change }, data) => saveRuleSettings(db, data, change),
			next: (changed) => `/admin/settings?saved=${changed}`
		})
} satisfies Actions;
