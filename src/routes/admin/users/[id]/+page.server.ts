import { requirePermission } from '$lib/server/auth/guard';
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { passwordPolicyText } from '$lib/password-policy';
import { appDb } from '$lib/server/app-db';
import { formAction } from '$lib/server/form-action';
import { listUnits } from '$lib/server/units';
import { lockedUntil } from '$lib/server/auth/login';
import { readSecuritySettings } from '$lib/server/auth/settings';
import { getUser, passwordResetSchema, resetPassword, setUserDisabled, unlockUser, updateUser, userChangeSchema } from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/i18n';

export const load = (({ locals, params }) => {
	requirePermission(locals, 'manageUsers');
	const id = /^\d{1,9}$/.test(params.id) ? Number(params.id) : null;
	const db = appDb();
	const user = id === null ? null : getUser(db, id);
	if (!user) error(404, m.user_not_found({ id: params.id.slice(0, 20) }));
	// A lock by failed sign-ins, which the administrator may lift (unlockUser).
	const locked = lockedUntil(db, user.username, new Date(), readSecuritySettings());
	return { user, units: listUnits(db), policy: passwordPolicyText(), lockedUntil: locked };
}) satisfies PageServerLoad;

/** The user a page is about comes from its URL, never from the form. */
const userIdOf = (params: Record<string, string>) => Number(/^\d{1,9}$/.test(params.id) ? params.id : 0);
const none = z.object({});

export const actions = {
	update: (event) =>
		formAction(event, {
			permission: 'manageUsers',
			parse: userChangeSchema.omit({ userId: true }),
			run: ({ db, change }, data) => updateUser(db, { ...data, userId: userIdOf(event.params) }, change),
			next: () => `/admin/users/${event.params.id}?done=updated`
		}),
	disable: (event) =>
		formAction(event, {
			permission: 'manageUsers',
			parse: none,
			run: ({ db, change }) => setUserDisabled(db, userIdOf(event.params), true, change),
			next: () => `/admin/users/${event.params.id}?done=disabled`
		}),
	enable: (event) =>
		formAction(event, {
			permission: 'manageUsers',
			parse: none,
			run: ({ db, change }) => setUserDisabled(db, userIdOf(event.params), false, change),
			next: () => `/admin/users/${event.params.id}?done=enabled`
		}),
	unlock: (event) =>
		formAction(event, {
			permission: 'manageUsers',
			parse: none,
			run: ({ db, change }) => unlockUser(db, userIdOf(event.params), readSecuritySettings(), change),
			next: () => `/admin/users/${event.params.id}?done=unlocked`
		}),
	resetPassword: (event) =>
		formAction(event, {
			permission: 'manageUsers',
			parse: passwordResetSchema.omit({ userId: true }),
			run: ({ db, change }, data) => resetPassword(db, userIdOf(event.params), data.password, change),
			next: () => `/admin/users/${event.params.id}?done=reset`
		})
} satisfies Actions;
