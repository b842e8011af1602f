import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/i18n';
import { appDb } from '$lib/server/app-db';
import { requireUser, safeRedirectTarget } from '$lib/server/auth/guard';
import { readForm } from '$lib/server/forms';
import { INBOX_SIZE, inboxOf, markRead } from '$lib/server/notifications/inbox';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals }) => {
	const user = requireUser(locals);
	return { notices: inboxOf(appDb(), user), size: INBOX_SIZE, role: user.role };
}) satisfies PageServerLoad;

const noticeId = (value: FormDataEntryValue | null) => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : null);

export const actions = {
	/** Marks one notice read (`id`), only the reader's own; with `next`, goes on to the place to act. */
	read: async (event) => {
		const user = requireUser(event.locals);
		const form = await readForm(event.request);
		const id = noticeId(form.get('id'));
		if (id === null) return fail(400, { error: m.form_stale() });
		markRead(appDb(), user, { ids: [id] }, new Date().toISOString());
		const next = form.get('next');
		// Only a place on this site, resolved as a browser resolves it (a tab in `/\t/host` is dropped).
		redirect(303, typeof next === 'string' && next ? safeRedirectTarget(next, event.url.origin) : '/notifications');
	},
	/** Marks read every notice up to the newest the page showed (`upTo`): one that came since stays unread. */
	readAll: async (event) => {
		const user = requireUser(event.locals);
		const upTo = noticeId((await readForm(event.request)).get('upTo'));
		if (upTo === null) return fail(400, { error: m.form_stale() });
		markRead(appDb(), user, { upTo }, new Date().toISOString());
		redirect(303, '/notifications');
	}
} satisfies Actions;
