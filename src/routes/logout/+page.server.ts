import { redirect } from '@sveltejs/kit';
import { appDb } from '$lib/server/app-db';
import { recordSecurityEvent } from '$lib/server/auth/security-log';
import { deleteSession, SESSION_COOKIE } from '$lib/server/auth/sessions';
import { clientAddress } from '$lib/server/request';
import type { Actions, PageServerLoad } from './$types';

// Logging out changes state, so it is a POST (the header's button); a GET only goes home.
export const load = (() => redirect(303, '/')) satisfies PageServerLoad;

export const actions = {
	default: (event) => {
		const { locals } = event;
		if (locals.sessionId && locals.user) {
			const db = appDb();
			deleteSession(db, locals.sessionId);
			recordSecurityEvent(db, {
				kind: 'logout',
				at: new Date().toISOString(),
				actorId: locals.user.id,
				username: locals.user.username,
				address: clientAddress(event)
			});
		}
		event.cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/login');
	}
} satisfies Actions;
