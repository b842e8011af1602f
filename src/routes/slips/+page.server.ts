import { z } from 'zod';
import { asc } from 'drizzle-orm';
import { suzhouToday } from '$lib/dates';
import { can } from '$lib/roles';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { unit } from '$lib/server/db/schema';
import { formAction } from '$lib/server/form-action';
import { m } from '$lib/i18n';
import { slipRegister, slipYears } from '$lib/server/slip-register';
import { staffUnitOf } from '$lib/server/workflow/access';
import { issueSlipsForRedItems, redItemsToPress } from '$lib/server/workflow/slips';
import { slipFilterOf } from './filter';
import type { Actions, PageServerLoad } from './$types';

/** Rows listed on the page; the export holds them all. */
const SHOWN = 300;

/** Items of a bulk run named on the page; the count and the run take them all. */
const PRESS_NAMED = 100;

const pressShown = ({ items, alreadyOpen, mark }: ReturnType<typeof redItemsToPress>) => ({
	count: items.length,
	named: items.slice(0, PRESS_NAMED).map((i) => ({ code: i.code, title: i.title })),
	alreadyOpen,
	mark
});

export const load = (({ url, locals }) => {
	const user = requireUser(locals);
	const db = appDb();
	const today = suzhouToday();
	const filter = slipFilterOf(url.searchParams);
	const staffUnit = staffUnitOf(user);
	const rows = slipRegister(db, filter, staffUnit, today);
	return {
		today,
		filter,
		rows: rows.slice(0, SHOWN),
		total: rows.length,
		years: slipYears(db),
		// Staff read their own unit's slips only: no unit to choose.
		units: staffUnit === null ? db.select({ id: unit.id, name: unit.name }).from(unit).orderBy(asc(unit.position)).all() : [],
		// What a bulk run would issue today: the page lists the items, and the form sends their mark back.
		press: can(user.role, 'issueSlips') ? pressShown(redItemsToPress(db, today)) : null,
		bulk: { issued: Number(url.searchParams.get('issued') ?? 0) || 0, alreadyOpen: Number(url.searchParams.get('alreadyOpen') ?? 0) || 0 }
	};
}) satisfies PageServerLoad;

export const actions = {
	issueRed: (event) =>
		formAction(event, {
			permission: 'issueSlips',
			// The mark of the items the page listed: if today's are others, nothing is issued.
			parse: z.object({ shown: z.string().max(64).catch('') }),
			run: ({ db, change, today }, data) => issueSlipsForRedItems(db, change, today, data.shown),
			next: (r) => `/slips?done=bulk&issued=${r.issued.length}&alreadyOpen=${r.alreadyOpen}`
		})
} satisfies Actions;
