import { requireUser } from '$lib/server/auth/guard';
import { parseFilters } from '$lib/dashboard-filters';
import { suzhouToday } from '$lib/dates';
import { appDb } from '$lib/server/app-db';
import { dashboardSoon, isFinalView } from '$lib/server/dashboard';
import { keepAcrossWrites } from '$lib/server/page-cache';
import type { PageServerLoad } from './$types';

export const load = (async ({ url, locals }) => {
	requireUser(locals);
	const today = suzhouToday();
	const { filters, problems } = parseFilters(url.searchParams, today);
	const db = appDb();
	// A view as of a day no write can reach any more is kept across writes.
	if (isFinalView(db, filters)) keepAcrossWrites(locals);
	return { today, filters, problems, ...(await dashboardSoon(db, filters, today)) };
}) satisfies PageServerLoad;
