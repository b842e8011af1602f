import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/i18n';
import { passwordPolicyText } from '$lib/password-policy';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { sessionCookie, SESSION_COOKIE } from '$lib/server/auth/sessions';
import { readSecuritySettings } from '$lib/server/auth/settings';
import { parseForm, readForm, secretText } from '$lib/server/forms';
import { clientAddress } from '$lib/server/request';
import { changeOwnPassword, PasswordChangeLockedError, UserChangeError } from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

const security = readSecuritySettings();

const change = z
	.object({
		currentPassword: secretText(m.current_password, 256),
		password: secretText(m.new_password, 256),
		confirm: z.string({ error: () => m.confirm_password_missing() }).max(256, { error: () => m.login_password_too_long() })
	})
	.refine((v) => v.password === v.confirm, { path: ['confirm'], error: () => m.passwords_differ() });

export const load = (({ locals, url }) => {
	const user = requireUser(locals);
	return { mustChange: user.mustChangePassword, changed: url.searchParams.has('changed'), policy: passwordPolicyText() };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const user = requireUser(event.locals);
		const parsed = parseForm(await readForm(event.request), change);
		if (!parsed.ok) return fail(400, { errors: parsed.errors });
		try {
			const token = await changeOwnPassword(
				appDb(),
				user.id,
				parsed.data.currentPassword,
				parsed.data.password,
				{ at: new Date().toISOString(), address: clientAddress(event), userAgent: event.request.headers.get('user-agent') },
				security
			);
			event.cookies.set(SESSION_COOKIE, token, sessionCookie(event.url, security));
		} catch (error) {
			if (error instanceof PasswordChangeLockedError) {
				event.cookies.delete(SESSION_COOKIE, { path: '/' });
				redirect(303, '/login?locked');
			}
			if (error instanceof UserChangeError) return fail(400, { errors: { [error.field]: error.message } });
			throw error;
		}
		redirect(303, '/account/password?changed');
	}
} satisfies Actions;
