import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { passwordPolicyText } from '$lib/password-policy';
import { appDb } from '$lib/server/app-db';
import { adminUserAction } from '$lib/server/user-actions';
import { getUser, listUnits, passwordResetSchema, resetPassword, setUserDisabled, updateUser, userChangeSchema } from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ params }) => {
	const id = /^\d{1,9}$/.test(params.id) ? Number(params.id) : null;
	const db = appDb();
	const user = id === null ? null : getUser(db, id);
	if (!user) error(404, `没有编号为“${params.id}”的用户。`);
	return { user, units: listUnits(db), policy: passwordPolicyText };
}) satisfies PageServerLoad;

const target = z.object({ userId: z.coerce.number().int().positive() });
const back = (done: string) => (id: number) => `/admin/users/${id}?done=${done}`;

export const actions = {
	update: (event) => adminUserAction(event, userChangeSchema, (db, data, ctx) => updateUser(db, data, ctx).id, back('updated')),
	disable: (event) =>
		adminUserAction(event, target, (db, data, ctx) => (setUserDisabled(db, data.userId, true, ctx), data.userId), back('disabled')),
	enable: (event) =>
		adminUserAction(event, target, (db, data, ctx) => (setUserDisabled(db, data.userId, false, ctx), data.userId), back('enabled')),
	resetPassword: (event) =>
		adminUserAction(
			event,
			passwordResetSchema,
			async (db, data, ctx) => (await resetPassword(db, data.userId, data.password, ctx), data.userId),
			back('reset')
		)
} satisfies Actions;
