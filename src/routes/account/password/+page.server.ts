import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/i18n';
import { passwordPolicyText } from '$lib/password-policy';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { parseForm, readForm, secretText } from '$lib/server/forms';
import { changeContext } from '$lib/server/request';
import { changeOwnPassword, UserChangeError } from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

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
			const { at, address } = changeContext(event);
			await changeOwnPassword(appDb(), user.id, parsed.data.currentPassword, parsed.data.password, event.locals.sessionId!, {
				at,
				address
			});
		} catch (error) {
			if (error instanceof UserChangeError) return fail(400, { errors: { [error.field]: error.message } });
			throw error;
		}
		redirect(303, '/account/password?changed');
	}
} satisfies Actions;
