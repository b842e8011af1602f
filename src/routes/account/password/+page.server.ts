import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { passwordPolicyText } from '$lib/password-policy';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { parseForm, readForm } from '$lib/server/forms';
import { changeContext } from '$lib/server/request';
import { changeOwnPassword, UserChangeError } from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

const change = z
	.object({
		currentPassword: z.string({ error: '请填写当前密码' }).min(1, '请填写当前密码').max(256, '密码过长'),
		password: z.string({ error: '请填写新密码' }).min(1, '请填写新密码').max(256, '密码过长'),
		confirm: z.string({ error: '请再次填写新密码' }).max(256, '密码过长')
	})
	.refine((v) => v.password === v.confirm, { path: ['confirm'], message: '两次填写的新密码不一致' });

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
