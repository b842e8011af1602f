import { requireUser } from '$lib/server/auth/guard';
import { error } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { parseFilters } from '$lib/dashboard-filters';
import { endOfSuzhouDay, suzhouToday } from '$lib/dates';
import { appDb } from '$lib/server/app-db';
import { dashboard } from '$lib/server/dashboard';
import { reportsOnTime } from '$lib/server/on-time';
import { evaluatedPortfolio, pastViewReady } from '$lib/server/portfolio';
import { unit } from '$lib/server/db/schema';
import type { PageServerLoad } from './$types';
import { m } from '$lib/i18n';

export const load = (async ({ locals, params, url }) => {
	requireUser(locals);
	const db = appDb();
	const id = /^\d{1,9}$/.test(params.id) ? Number(params.id) : null;
	const row = id === null ? undefined : db.select().from(unit).where(eq(unit.id, id)).get();
	if (!row) error(404, m.unit_not_found({ id: params.id.slice(0, 20) }));
	const today = suzhouToday();
	const { filters, problems } = parseFilters(url.searchParams, today);
	const instant = filters.asOf ? endOfSuzhouDay(filters.asOf) : null;
	// A past day's city, read below whole, computed off the event loop if nobody looked at it yet.
	if (instant) await pastViewReady(db, instant, filters.asOf!);
	const view = dashboard(db, { ...filters, unit: row.id }, today);
	// Every item the unit led on the view's day, as it stood then (the view's table shows the first rows only).
	const led = evaluatedPortfolio(db, instant, view.date).items.filter((i) => i.leadUnitId === row.id);
	return {
		unit: row,
		today,
		filters: { ...filters, unit: row.id },
		problems,
		view,
		led: led.length,
		onTime: reportsOnTime(db, row.id, view.date, instant)
	};
}) satisfies PageServerLoad;
