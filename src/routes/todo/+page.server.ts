import { suzhouToday } from '$lib/dates';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { todoFor } from '$lib/server/todo';
import type { PageServerLoad } from './$types';

export const load = (({ locals }) => {
	const user = requireUser(locals);
	const today = suzhouToday();
	return { today, role: user.role, todo: todoFor(appDb(), user, today) };
}) satisfies PageServerLoad;
