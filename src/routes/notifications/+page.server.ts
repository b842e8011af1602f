import { redirect } from '@sveltejs/kit';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { readForm, tickedIds } from '$lib/server/forms';
import { INBOX_SIZE, inboxOf, markRead } from '$lib/server/notifications/inbox';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals }) => {
	const user = requireUser(locals);
	return { notices: inboxOf(appDb(), user.id), size: INBOX_SIZE };
}) satisfies PageServerLoad;

export const actions = {
	/** Marks read the notices ticked (`read-<id>`), or one (`id`); only the reader's own. */
	read: async (event) => {
		const user = requireUser(event.locals);
		const form = await readForm(event.request);
		const one = String(form.get('id') ?? '');
		const ids = /^\d{1,9}$/.test(one) ? [Number(one)] : tickedIds(form, 'read');
		markRead(appDb(), user.id, ids, new Date().toISOString());
		const next = String(form.get('next') ?? '');
		// Straight on to the place to act, when the notice was opened from its link (a path of this site only).
		redirect(303, /^\/(?![/\\])/.test(next) ? next : '/notifications');
	},
	readAll: async (event) => {
		const user = requireUser(event.locals);
		markRead(appDb(), user.id, null, new Date().toISOString());
		redirect(303, '/notifications');
	}
} satisfies Actions;
