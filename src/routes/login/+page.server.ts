import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { appDb, isDemo } from '$lib/server/app-db';
import { safeRedirectTarget } from '$lib/server/auth/guard';
import { attemptLogin } from '$lib/server/auth/login';
import { sessionCookie, SESSION_COOKIE } from '$lib/server/auth/sessions';
import { readSecuritySettings } from '$lib/server/auth/settings';
import { DEMO_PASSWORD } from '$lib/server/demo/generate';
import { parseForm, type FormErrors, readForm, secretText } from '$lib/server/forms';
import { clientAddress } from '$lib/server/request';
import { m } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

const security = readSecuritySettings();

const credentials = z.object({
	username: z
		.string({ error: () => m.login_username_missing() })
		.trim()
		.min(1, { error: () => m.login_username_missing() })
		.max(64, { error: () => m.login_username_too_long() }),
	password: secretText(m.password, 256)
});

export const load = (({ locals, url }) => {
	if (locals.user) redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo'), url.origin));
	return {
		lockedOut: url.searchParams.has('locked') ? m.password_change_locked({ minutes: security.lockoutMinutes }) : null,
		unsaved: url.searchParams.has('unsaved'),
		demoAccounts: isDemo() ? { password: DEMO_PASSWORD, usernames: ['admin', 'supervisor', 'staff', 'leader'] } : null
	};
}) satisfies PageServerLoad;

const messages = {
	invalid: () => m.login_invalid({ attempts: security.maxFailedLogins, minutes: security.lockoutMinutes }),
	locked: (minutes = security.lockoutMinutes) => m.login_locked({ minutes }),
	rate_limited: () => m.login_rate_limited({ minutes: security.lockoutMinutes }),
	busy: () => m.login_busy(),
	disabled: () => m.login_disabled()
};
const statuses = { invalid: 400, locked: 429, rate_limited: 429, busy: 429, disabled: 403 } as const;

export const actions = {
	default: async (event) => {
		const form = await readForm(event.request);
		const parsed = parseForm(form, credentials);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const result = await attemptLogin(
			appDb(),
			{ ...parsed.data, address: clientAddress(event), userAgent: event.request.headers.get('user-agent') },
			new Date(),
			security
		);
		if (!result.ok) {
			return fail(statuses[result.reason], {
				values: { username: parsed.data.username },
				errors: { form: messages[result.reason](result.minutes) } as FormErrors
			});
		}
		event.cookies.set(SESSION_COOKIE, result.token, sessionCookie(event.url, security));
		redirect(
			303,
			result.mustChangePassword ? '/account/password' : safeRedirectTarget(event.url.searchParams.get('redirectTo'), event.url.origin)
		);
	}
} satisfies Actions;
