import { passwordPolicyText } from '$lib/password-policy';
import { appDb } from '$lib/server/app-db';
import { adminUserAction } from '$lib/server/user-actions';
import { createUser, listUnits, listUsers, newUserSchema } from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

export const load = (() => {
	const db = appDb();
	return { users: listUsers(db), units: listUnits(db), policy: passwordPolicyText };
}) satisfies PageServerLoad;

export const actions = {
	create: (event) =>
		adminUserAction(
			event,
			newUserSchema,
			(db, data, ctx) => createUser(db, data, ctx),
			(created) => `/admin/users?created=${encodeURIComponent(created.username)}`
		)
} satisfies Actions;
