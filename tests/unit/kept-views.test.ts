/**
 * Views of closed months kept in the database (kept-views.ts): computed once, read back whole by a
 * connection that kept nothing (as after a restart), and only for instants no write can reach.
 */
import { eq, like, ne } from 'drizzle-orm';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFilters } from '$lib/dashboard-filters';
import { dashboard, dashboardSoon } from '$lib/server/dashboard';
import { computePastViewsWith, evaluatedPortfolio } from '$lib/server/portfolio';
import { openDatabase } from '$lib/server/db';
import { initiative, keptView } from '$lib/server/db/schema';
import { KEPT_VIEW_FORMAT } from '$lib/server/kept-views';
import { keepMonths, monthsToKeep } from '$lib/server/monthly/month-keeper';
import { FIRST_MONTH } from '$lib/reporting-calendar';
import { monthlySummary } from '$lib/server/monthly/summary';
import { seedIfEmpty } from '$lib/server/seed';
import { FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';

const TODAY = '2026-11-27';
let t: TempDb;

beforeAll(() => {
	t = tempDatabase();
	seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW });
});
afterAll(() => t.close());

/** A connection that has kept nothing in memory: the server after a restart. */
function restarted<T>(read: (db: ReturnType<typeof openDatabase>) => T, path = t.path): T {
	const db = openDatabase(path);
	try {
		return read(db);
	} finally {
		db.$client.close();
	}
}

describe('views of closed months kept in the database', () => {
	const monthEnd = parseFilters(new URLSearchParams('asOf=2026-10-31'), TODAY).filters;

	it('keeps a closed month’s summary and its month-end dashboard, read back whole after a restart', () => {
		const summary = monthlySummary(t.db, '2026-10', TODAY);
		const view = dashboard(t.db, monthEnd, TODAY);
		const keys = t.db
			.select({ key: keptView.key })
			.from(keptView)
			.all()
			.map((r) => r.key);
		expect(keys).toEqual(expect.arrayContaining(['summary|2026-10|theme|zh-CN', 'dashboard|zh-CN|?asOf=2026-10-31']));
		expect(restarted((db) => monthlySummary(db, '2026-10', TODAY))).toEqual(summary);
		expect(restarted((db) => dashboard(db, monthEnd, TODAY))).toEqual(view);
	});

	it('serves the kept body, not a new computation, and computes again a view kept in another format', () => {
		const key = 'dashboard|zh-CN|?asOf=2026-10-31';
		const kept = t.db.select().from(keptView).where(eq(keptView.key, key)).get()!;
		const marked = { ...JSON.parse(gunzipSync(kept.body).toString('utf8')), itemCount: -1 };
		t.db
			.update(keptView)
			.set({ body: gzipSync(JSON.stringify(marked)) })
			.where(eq(keptView.key, key))
			.run();
		expect(restarted((db) => dashboard(db, monthEnd, TODAY)).itemCount).toBe(-1);
		t.db
			.update(keptView)
			.set({ format: KEPT_VIEW_FORMAT - 1 })
			.where(eq(keptView.key, key))
			.run();
		expect(restarted((db) => dashboard(db, monthEnd, TODAY)).itemCount).toBe(40);
	});

	it('keeps nothing of this month, of a filtered view or of a day that is not a month’s end', () => {
		monthlySummary(t.db, '2026-11', TODAY);
		dashboard(t.db, parseFilters(new URLSearchParams('asOf=2026-10-31&light=red'), TODAY).filters, TODAY);
		dashboard(t.db, parseFilters(new URLSearchParams('asOf=2026-10-15'), TODAY).filters, TODAY);
		dashboard(t.db, parseFilters(new URLSearchParams(''), TODAY).filters, TODAY);
		expect(t.db.select().from(keptView).where(like(keptView.key, '%2026-11%')).all()).toEqual([]);
		expect(t.db.select().from(keptView).where(like(keptView.key, '%light=%')).all()).toEqual([]);
		expect(t.db.select().from(keptView).where(like(keptView.key, '%10-15%')).all()).toEqual([]);
		expect(t.db.select().from(keptView).where(eq(keptView.key, 'dashboard|zh-CN|')).all()).toEqual([]);
	});
});

describe('lights at closed months’ ends kept in the database', () => {
	const september = 'lights|2026-09-30T15:59:59.999Z|2026-09-30';

	it('keeps the lights at a month’s end and at the end of the month before, and the next summary after a restart compares with them', () => {
		const summary = monthlySummary(t.db, '2026-10', TODAY);
		const kept = t.db
			.select({ key: keptView.key })
			.from(keptView)
			.where(like(keptView.key, 'lights|%'))
			.all()
			.map((r) => r.key);
		expect(kept).toEqual(expect.arrayContaining([september, 'lights|2026-10-31T15:59:59.999Z|2026-10-31']));

		// A copy where only September's lights are kept: October is computed again from its own month's end.
		const copy = join(t.dir, 'lights-copy.db');
		t.db.$client.exec(`VACUUM INTO '${copy}'`);
		restarted((db) => db.delete(keptView).where(ne(keptView.key, september)).run(), copy);
		expect(restarted((db) => monthlySummary(db, '2026-10', TODAY), copy)).toEqual(summary);

		// What it compares with is the kept lights: an item's September light written otherwise reads as a change.
		const item = summary.rows.find((r) => !summary.summary.changes.some((c) => c.code === r.code))!;
		const id = restarted((db) => db.select({ id: initiative.id }).from(initiative).where(eq(initiative.code, item.code)).get()!.id, copy);
		const other = item.light === 'green' ? 'red' : 'green';
		restarted((db) => {
			const row = db.select().from(keptView).where(eq(keptView.key, september)).get()!;
			const pairs = (JSON.parse(gunzipSync(row.body).toString('utf8')) as [number, string][]).map(([i, l]) => [i, i === id ? other : l]);
			db.update(keptView)
				.set({ body: gzipSync(JSON.stringify(pairs)) })
				.where(eq(keptView.key, september))
				.run();
			db.delete(keptView).where(ne(keptView.key, september)).run();
		}, copy);
		const marked = restarted((db) => monthlySummary(db, '2026-10', TODAY), copy);
		expect(marked.summary.changes).toContainEqual({ code: item.code, title: item.title, from: other, to: item.light });
	});

	it('keeps a month’s end lights from its evaluation equal to those read as the month before: this month compares the same either way', () => {
		// October's lights were kept from October's evaluation (its summary above); a copy without them
		// reads October's end from the history as the month before, as this month's summary does.
		const october = 'lights|2026-10-31T15:59:59.999Z|2026-10-31';
		expect(t.db.select().from(keptView).where(eq(keptView.key, october)).get()).toBeDefined();
		const [kept, read] = ['kept.db', 'read.db'].map((name) => join(t.dir, name));
		t.db.$client.exec(`VACUUM INTO '${kept}'`);
		t.db.$client.exec(`VACUUM INTO '${read}'`);
		restarted((db) => db.delete(keptView).run(), read);
		const november = restarted((db) => monthlySummary(db, '2026-11', TODAY), kept);
		expect(november.summary.changes.length).toBeGreaterThan(0);
		expect(restarted((db) => monthlySummary(db, '2026-11', TODAY), read)).toEqual(november);
	});
});

describe('the month keeper (月末结存)', () => {
	let fresh: TempDb;
	beforeAll(() => {
		fresh = tempDatabase();
		seedIfEmpty(fresh.db, { dataset: 'demo', now: FIXED_NOW });
	});
	afterAll(() => fresh.close());

	it('keeps every closed month’s 月报 and month-end dashboard, last month first, once final, and then has nothing left to keep', () => {
		// The seed's writes (27 November) are after October's end: October and every month before it are final; November is this month.
		const months = monthsToKeep(fresh.db, TODAY);
		expect(months.slice(0, 3)).toEqual(['2026-10', '2026-09', '2026-08']);
		expect(months.at(-1)).toBe(FIRST_MONTH);
		expect(months).toHaveLength(64);
		keepMonths(fresh.db, months, TODAY);
		expect(monthsToKeep(fresh.db, TODAY)).toEqual([]);
		const keys = fresh.db
			.select({ key: keptView.key })
			.from(keptView)
			.all()
			.map((r) => r.key);
		// Each month's 月报, its page and its dashboard, and the lights at its end (what the next month's compares with).
		expect(keys).toHaveLength(64 * 4);
		expect(keys).toEqual(
			expect.arrayContaining([
				'lights|2026-10-31T15:59:59.999Z|2026-10-31',
				'lights|2021-07-31T15:59:59.999Z|2021-07-31',
				'dashboard|zh-CN|?asOf=2026-10-31',
				'summary|2026-10|theme|zh-CN',
				'summary-page|2026-10|theme|zh-CN',
				'dashboard|zh-CN|?asOf=2021-07-31',
				'summary|2021-07|theme|zh-CN'
			])
		);
		// What a download after a restart reads is what the month's computation gives (on a copy of the same seed).
		expect(restarted((db) => monthlySummary(db, '2026-10', TODAY), fresh.path)).toEqual(monthlySummary(t.db, '2026-10', TODAY));
		const monthEnd = parseFilters(new URLSearchParams('asOf=2026-10-31'), TODAY).filters;
		expect(restarted((db) => dashboard(db, monthEnd, TODAY), fresh.path)).toEqual(dashboard(t.db, monthEnd, TODAY));
	});

	it('waits for a month whose end no write has passed yet (it could still be written as of its end)', () => {
		// On 5 December, November ended after the last write (27 November): not final until a write comes.
		expect(monthsToKeep(fresh.db, '2026-12-05')).toEqual([]);
		// A month kept in another format, or kept in part, is kept again.
		fresh.db
			.update(keptView)
			.set({ format: KEPT_VIEW_FORMAT - 1 })
			.where(like(keptView.key, 'summary|2026-10|%'))
			.run();
		expect(monthsToKeep(fresh.db, TODAY)).toEqual(['2026-10']);
		fresh.db.update(keptView).set({ format: KEPT_VIEW_FORMAT }).run();
		expect(monthsToKeep(fresh.db, TODAY)).toEqual([]);
		fresh.db.delete(keptView).where(like(keptView.key, 'dashboard|%?asOf=2024-02-29')).run();
		fresh.db.delete(keptView).where(like(keptView.key, 'summary-page|2026-09|%')).run();
		expect(monthsToKeep(fresh.db, TODAY)).toEqual(['2026-09', '2024-02']);
	});
});

describe('views of past days computed elsewhere (past-worker.ts)', () => {
	it('gives the dashboard from a city computed on another connection and copied as a worker hands it, as computed in the request, once for requests at the same time', async () => {
		const day = parseFilters(new URLSearchParams('asOf=2026-06-17'), TODAY).filters;
		const ofUnit = { ...day, unit: 1 };
		const inRequest = restarted((db) => [dashboard(db, day, TODAY), dashboard(db, ofUnit, TODAY)]);
		let asked = 0;
		// As the worker does: the city as of the instant on a connection of its own, structured-cloned across.
		computePastViewsWith(async (instant, date) => {
			asked++;
			return structuredClone(restarted((db) => evaluatedPortfolio(db, instant, date)));
		});
		const db = openDatabase(t.path);
		try {
			const [first, second] = await Promise.all([dashboardSoon(db, day, TODAY), dashboardSoon(db, day, TODAY)]);
			expect(first).toEqual(inRequest[0]);
			expect(second).toEqual(inRequest[0]);
			expect(await dashboardSoon(db, ofUnit, TODAY)).toEqual(inRequest[1]);
			expect(asked).toBe(1);
			// The present is never asked elsewhere: it is kept up to date one write at a time.
			await dashboardSoon(db, { ...day, asOf: null }, TODAY);
			expect(asked).toBe(1);
		} finally {
			computePastViewsWith(null);
			db.$client.close();
		}
	});
});
