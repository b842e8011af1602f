import { parseFilters } from '$lib/dashboard-filters';
import { suzhouToday } from '$lib/dates';
import { appDb } from '$lib/server/app-db';
import { dashboard } from '$lib/server/dashboard';
import type { PageServerLoad } from './$types';

export const load = (({ url }) => {
	const today = suzhouToday();
	const { filters, problems } = parseFilters(url.searchParams, today);
	return { today, filters, problems, ...dashboard(appDb(), filters, today) };
}) satisfies PageServerLoad;
