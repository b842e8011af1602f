import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { appDb, isDemo } from '$lib/server/app-db';
import { LOST_FORM, safeRedirectTarget } from '$lib/server/auth/guard';
import { attemptLogin } from '$lib/server/auth/login';
import { sessionCookie, SESSION_COOKIE } from '$lib/server/auth/sessions';
import { readSecuritySettings } from '$lib/server/auth/settings';
import { DEMO_PASSWORD } from '$lib/server/demo/generate';
import { filesNotRead, parseForm, type FormErrors, readForm, secretText, typedTexts } from '$lib/server/forms';
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
		// The login form's own address: this one without the mark of a form passed on (`toLogin`).
		action: `?${withoutLostForm(url.searchParams)}`,
		demoAccounts: isDemo() ? { password: DEMO_PASSWORD, usernames: ['admin', 'supervisor', 'staff', 'leader'] } : null
	};
}) satisfies PageServerLoad;

/** The label of a lost form's field, for the report's (the form most written at length); the others by their place. */
function labelOf(name: string, index: number): string {
	const labels: Record<string, () => string> = {
		progress: m.field_progress,
		problems: m.field_problems,
		nextSteps: m.field_next_steps,
		answer: m.field_answer,
		reason: m.field_reason
	};
	if (name in labels) return labels[name]();
	if (/^evidence-\d+$/.test(name)) return m.field_evidence();
	return m.lost_text({ n: index + 1 });
}

function withoutLostForm(query: URLSearchParams): string {
	const kept = new URLSearchParams(query);
	kept.delete(LOST_FORM);
	return kept.toString();
}

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
		// Files are never part of a login; a form that lost its sign-in may carry some (see `toLogin`).
		const form = await readForm(event.request, 'texts only');
		// Not a login: a form sent without a session, passed on here whole. Its texts are shown to copy.
		if (event.url.searchParams.has(LOST_FORM)) {
			const lost = typedTexts(form).map((typed, i) => ({ label: labelOf(typed.name, i), text: typed.text }));
			return fail(401, { lost, filesNotSent: filesNotRead(form) });
		}
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
