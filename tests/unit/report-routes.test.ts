/**
 * The report and contribution pages send a lead unit's and a co-unit's staff to their own page of the
 * month: a month that is no month is a 404 there, before any redirect is built from it.
 */
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '$lib/server/auth/sessions';
import { initiative, initiativeCoUnit } from '$lib/server/db/schema';
import { seedIfEmpty } from '$lib/server/seed';
import { load as loadContribution } from '../../src/routes/initiatives/[code]/contribution/[month]/+page.server';
import { load as loadReport } from '../../src/routes/initiatives/[code]/report/[month]/+page.server';
import { FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';
import { staffOf } from '../helpers/people';

let t: TempDb;
let lead: SessionUser;
let coUnit: SessionUser;
const CODE = 'YRD-02';

beforeAll(() => {
	t = tempDatabase();
	seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW });
	// The routes read the server's database (appDb): this one.
	process.env.DATABASE_URL = t.path;
	const item = t.db.select().from(initiative).where(eq(initiative.code, CODE)).get()!;
	lead = staffOf(t.db, item.leadUnitId!)!;
	const coUnits = t.db.select().from(initiativeCoUnit).where(eq(initiativeCoUnit.initiativeId, item.id)).all();
	coUnit = coUnits.map((c) => staffOf(t.db, c.unitId)).find((u) => u !== null)!;
	expect(lead).toBeTruthy();
	expect(coUnit).toBeTruthy();
});
afterAll(() => t.close());

type Load = (event: never) => unknown;

/** What a load answers: the status of an HTTP error or a redirect (its location too), or 200. */
function outcome(load: Load, user: SessionUser, month: string) {
	try {
		load({ params: { code: CODE, month }, locals: { user } } as never);
		return { status: 200 };
	} catch (e) {
		if (isRedirect(e)) return { status: e.status, location: e.location };
		if (isHttpError(e)) return { status: e.status };
		throw e;
	}
}

const badMonths = ['😀', '\u0000', '十月', '2026-10\r\n', '2026-13'];

describe('a month that is no month', () => {
	it.each(badMonths)('is a 404 for the lead unit on the contribution page (%j)', (month) => {
		expect(outcome(loadContribution as Load, lead, month)).toEqual({ status: 404 });
	});

	it.each(badMonths)('is a 404 for a co-unit on the report page (%j)', (month) => {
		expect(outcome(loadReport as Load, coUnit, month)).toEqual({ status: 404 });
	});
});

describe('a valid month', () => {
	it('sends each unit to its own page', () => {
		expect(outcome(loadContribution as Load, lead, '2026-10')).toEqual({ status: 303, location: `/initiatives/${CODE}/report/2026-10` });
		expect(outcome(loadReport as Load, coUnit, '2026-10')).toEqual({ status: 303, location: `/initiatives/${CODE}/contribution/2026-10` });
	});
});
