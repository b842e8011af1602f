import { parseFilters } from '$lib/dashboard-filters';
import { endOfSuzhouDay, suzhouToday } from '$lib/dates';
import { isFinal } from '$lib/server/as-of';
import { appDb } from '$lib/server/app-db';
import { dashboard } from '$lib/server/dashboard';
import { keepAcrossWrites } from '$lib/server/page-cache';
import type { PageServerLoad } from './$types';

export const load = (({ url, locals }) => {
	const today = suzhouToday();
	const { filters, problems } = parseFilters(url.searchParams, today);
	const db = appDb();
	// A view as of a day no write can reach any more is kept across writes.
	if (filters.asOf && isFinal(db, endOfSuzhouDay(filters.asOf))) keepAcrossWrites(locals);
	return { today, filters, problems, ...dashboard(db, filters, today) };
}) satisfies PageServerLoad;
