import { fail, redirect } from '@sveltejs/kit';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { parseForm, readForm } from '$lib/server/forms';
import { readSmtp } from '$lib/server/notifications/channels';
import { preferencesOf, preferencesSchema, savePreferences } from '$lib/server/notifications/preferences';
import { changeContext } from '$lib/server/request';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals, url }) => {
	const user = requireUser(locals);
	const db = appDb();
	return { preferences: preferencesOf(db, user.id), relay: readSmtp(db) !== null, saved: url.searchParams.has('saved') };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const user = requireUser(event.locals);
		const form = await readForm(event.request);
		const parsed = parseForm(form, preferencesSchema);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors, events: form.getAll('events').map(String) });
		savePreferences(appDb(), user.id, parsed.data, changeContext(event));
		redirect(303, '/account/notifications?saved');
	}
} satisfies Actions;
