import { z } from 'zod';
import { asc } from 'drizzle-orm';
import { suzhouToday } from '$lib/dates';
import { can } from '$lib/roles';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { unit } from '$lib/server/db/schema';
import { formAction } from '$lib/server/form-action';
import { calendarDate } from '$lib/server/forms';
import { WorkflowError } from '$lib/server/workflow/errors';
import { m } from '$lib/i18n';
import { slipRegister, slipYears } from '$lib/server/slip-register';
import { staffUnitOf } from '$lib/server/workflow/access';
import { issueSlipsForRedItems } from '$lib/server/workflow/slips';
import { slipFilterOf } from './filter';
import type { Actions, PageServerLoad } from './$types';

/** Rows listed on the page; the export holds them all. */
const SHOWN = 300;

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
		mayIssue: can(user.role, 'issueSlips'),
		bulk: { issued: Number(url.searchParams.get('issued') ?? 0) || 0, alreadyOpen: Number(url.searchParams.get('alreadyOpen') ?? 0) || 0 }
	};
}) satisfies PageServerLoad;

export const actions = {
	issueRed: (event) =>
		formAction(event, {
			permission: 'issueSlips',
			// The day the page was shown on: the red items are today's, never another day's by a stale page.
			parse: z.object({ day: calendarDate(m.slip_bulk_day) }),
			run: ({ db, change, today }, data) => {
				if (data.day !== today) throw new WorkflowError('form', m.slip_bulk_stale(), 409);
				return issueSlipsForRedItems(db, change, today);
			},
			next: (r) => `/slips?done=bulk&issued=${r.issued.length}&alreadyOpen=${r.alreadyOpen}`
		})
} satisfies Actions;
