import { requirePermission } from '$lib/server/auth/guard';
import { lockedNames } from '$lib/server/auth/login';
import { readSecuritySettings } from '$lib/server/auth/settings';
import { passwordPolicyText } from '$lib/password-policy';
import { appDb } from '$lib/server/app-db';
import { formAction } from '$lib/server/form-action';
import { listUnits } from '$lib/server/units';
import { createUser, listUsers, newUserSchema } from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals }) => {
	requirePermission(locals, 'manageUsers');
	const db = appDb();
	const locked = lockedNames(db, new Date(), readSecuritySettings());
	const users = listUsers(db).map((u) => ({ ...u, lockedUntil: locked.get(u.username) ?? null }));
	return { users, units: listUnits(db), policy: passwordPolicyText() };
}) satisfies PageServerLoad;

export const actions = {
	create: (event) =>
		formAction(event, {
			permission: 'manageUsers',
			parse: newUserSchema,
			run: ({ db, change }, data) => createUser(db, data, change),
			next: (created) => `/admin/users?created=${encodeURIComponent(created.username)}`
		})
} satisfies Actions;
