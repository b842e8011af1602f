import { suzhouToday } from '$lib/dates';
import { summaryMonths } from '$lib/server/monthly/summary';
import type { PageServerLoad } from './$types';

export const load = (() => {
	const today = suzhouToday();
	return { months: summaryMonths(today), current: today.slice(0, 7) };
}) satisfies PageServerLoad;
