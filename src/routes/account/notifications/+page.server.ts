import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/i18n';
import { feedsOf, resetFeed } from '$lib/server/calendar-feed';
import { absoluteLink } from '$lib/server/notifications/sender';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { parseForm, readForm } from '$lib/server/forms';
import { readSmtp } from '$lib/server/notifications/channels';
import { preferencesOf, preferencesSchema, savePreferences } from '$lib/server/notifications/preferences';
import { confirmAddress, dropPending, pendingAddress, resendCode } from '$lib/server/notifications/email-confirmation';
import { WorkflowError } from '$lib/server/workflow/errors';
import { changeContext } from '$lib/server/request';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals, url }) => {
	const user = requireUser(locals);
	const db = appDb();
	return {
		preferences: preferencesOf(db, user.id),
		pending: pendingAddress(db, user.id, new Date().toISOString()),
		relay: readSmtp(db) !== null,
		saved: url.searchParams.has('saved'),
		confirmed: url.searchParams.has('confirmed'),
		feeds: feedsOf(db, user),
		hasUnit: user.role === 'staff' && user.unitId !== null
	};
}) satisfies PageServerLoad;

export const actions = {
	/** A new feed address, shown once in the answer (never in an address, where logs would keep it). */
	feed: async (event) => {
		const user = requireUser(event.locals);
		const kind = String((await readForm(event.request)).get('kind') ?? '');
		if (kind !== 'personal' && (kind !== 'unit' || user.role !== 'staff')) return fail(400, { feedError: m.form_stale() });
		const token = resetFeed(appDb(), user, kind, new Date().toISOString());
		if (!token) return fail(400, { feedError: m.form_stale() });
		return { feedKind: kind, feedUrl: absoluteLink(`/calendar/${token}.ics`, event.url.origin) };
	},
	save: async (event) => {
		const user = requireUser(event.locals);
		const form = await readForm(event.request);
		const parsed = parseForm(form, preferencesSchema);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors, events: form.getAll('events').map(String) });
		savePreferences(appDb(), user.id, parsed.data, changeContext(event));
		redirect(303, '/account/notifications?saved');
	},
	/** The code sent to the new address, typed back: the address becomes the person's. */
	confirmEmail: async (event) => {
		const user = requireUser(event.locals);
		const code = String((await readForm(event.request)).get('code') ?? '').slice(0, 100);
		try {
			confirmAddress(appDb(), user.id, code, changeContext(event));
		} catch (error) {
			if (error instanceof WorkflowError) return fail(400, { confirmError: error.message, code });
			throw error;
		}
		redirect(303, '/account/notifications?confirmed');
	},
	resendCode: async (event) => {
		const user = requireUser(event.locals);
		try {
			resendCode(appDb(), user.id, changeContext(event).at);
		} catch (error) {
			if (error instanceof WorkflowError) return fail(400, { resendError: error.message });
			throw error;
		}
		return { resent: true };
	},
	/** Keeps the address in use: the one waiting is dropped, its code no longer works. */
	cancelEmail: async (event) => {
		const user = requireUser(event.locals);
		dropPending(appDb(), user.id);
		return { cancelled: true };
	}
} satisfies Actions;
