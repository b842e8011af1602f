import { requireUser } from '$lib/server/auth/guard';
import { suzhouToday } from '$lib/dates';
import { summaryMonths } from '$lib/server/monthly/summary';
import type { PageServerLoad } from './$types';

export const load = (({ locals }) => {
	requireUser(locals);
	const today = suzhouToday();
	return { months: summaryMonths(today), current: today.slice(0, 7) };
}) satisfies PageServerLoad;
