import { requireUser } from '$lib/server/auth/guard';
import { error } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { parseFilters } from '$lib/dashboard-filters';
import { suzhouToday } from '$lib/dates';
import { appDb } from '$lib/server/app-db';
import { dashboardSoon } from '$lib/server/dashboard';
import { theme } from '$lib/server/db/schema';
import type { PageServerLoad } from './$types';
import { m } from '$lib/i18n';

// A theme is addressed by its stable code (YRD, INN, …).
export const load = (async ({ locals, params, url }) => {
	requireUser(locals);
	const db = appDb();
	const row = db
		.select()
		.from(theme)
		.where(eq(theme.code, params.id.slice(0, 10)))
		.get();
	if (!row) error(404, m.theme_not_found({ id: params.id.slice(0, 20) }));
	const today = suzhouToday();
	const { filters, problems } = parseFilters(url.searchParams, today);
	const scoped = { ...filters, theme: row.code };
	return { theme: row, today, filters: scoped, problems, view: await dashboardSoon(db, scoped, today) };
}) satisfies PageServerLoad;
