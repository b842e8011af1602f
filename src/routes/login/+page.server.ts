import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { appDb, isDemo } from '$lib/server/app-db';
import { safeRedirectTarget } from '$lib/server/auth/guard';
import { attemptLogin } from '$lib/server/auth/login';
import { SESSION_COOKIE } from '$lib/server/auth/sessions';
import { readSecuritySettings } from '$lib/server/auth/settings';
import { DEMO_PASSWORD } from '$lib/server/demo/generate';
import { parseForm, type FormErrors, readForm } from '$lib/server/forms';
import { clientAddress } from '$lib/server/request';
import type { Actions, PageServerLoad } from './$types';

const security = readSecuritySettings();

const credentials = z.object({
	username: z.string({ error: '请填写用户名' }).trim().min(1, '请填写用户名').max(64, '用户名过长'),
	password: z.string({ error: '请填写密码' }).min(1, '请填写密码').max(256, '密码过长')
});

export const load = (({ locals, url }) => {
	if (locals.user) redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo')));
	return {
		demoAccounts: isDemo() ? { password: DEMO_PASSWORD, usernames: ['admin', 'supervisor', 'staff', 'leader'] } : null
	};
}) satisfies PageServerLoad;

const messages = {
	invalid: () => `用户名或密码错误。连续失败 ${security.maxFailedLogins} 次,账户将被锁定 ${security.lockoutMinutes} 分钟。`,
	locked: (minutes = security.lockoutMinutes) => `登录失败次数过多,账户已被临时锁定,请 ${minutes} 分钟后再试。`,
	rate_limited: () => `来自您所在地址的登录失败次数过多,请 ${security.lockoutMinutes} 分钟后再试。`,
	disabled: () => '该账户已停用,请联系系统管理员。'
};
const statuses = { invalid: 400, locked: 429, rate_limited: 429, disabled: 403 } as const;

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
		event.cookies.set(SESSION_COOKIE, result.token, {
			path: '/',
			httpOnly: true,
			sameSite: 'lax',
			secure: event.url.protocol === 'https:',
			maxAge: security.sessionMaxHours * 3600
		});
		redirect(303, result.mustChangePassword ? '/account/password' : safeRedirectTarget(event.url.searchParams.get('redirectTo')));
	}
} satisfies Actions;
