import { error, redirect } from '@sveltejs/kit';
import { cookieName, cookieMaxAge, isLocale } from '$lib/paraglide/runtime';
import { safeRedirectTarget } from '$lib/server/auth/guard';
import { readForm } from '$lib/server/forms';
import { m } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

// Choosing the language changes what later pages say, so it is a POST (the header's button); a GET goes home.
export const load = (() => redirect(303, '/')) satisfies PageServerLoad;

export const actions = {
	/** Remembers the interface language in a cookie (read by the server and the browser) and goes back. */
	default: async (event) => {
		const form = await readForm(event.request);
		const locale = form.get('locale');
		if (typeof locale !== 'string' || !isLocale(locale)) error(400, m.language_unknown());
		event.cookies.set(cookieName, locale, {
			path: '/',
			httpOnly: false,
			sameSite: 'lax',
			secure: event.url.protocol === 'https:',
			maxAge: cookieMaxAge
		});
		const back = form.get('back');
		redirect(303, safeRedirectTarget(typeof back === 'string' ? back : null, event.url.origin));
	}
} satisfies Actions;
