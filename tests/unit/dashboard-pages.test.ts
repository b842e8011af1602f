/**
 * The dashboard's item list in pages (`?page=`): every item on exactly one page, in the list's order,
 * a page past the last shown as the last, a filter's pages counted from its own items; only the first
 * page of a closed month's whole city is kept in the database.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ITEM_TABLE_ROWS, parseFilters } from '$lib/dashboard-filters';
import { dashboard, dashboardKey } from '$lib/server/dashboard';
import { generateSynthetic } from '$lib/server/demo/synthetic';
import { keptView } from '$lib/server/db/schema';
import { evaluatedPortfolio } from '$lib/server/portfolio';
import { FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';

const TODAY = '2026-11-27';
// The demo's 40 items and 80 generated: three pages of 50.
const ITEMS = 120;
let t: TempDb;

beforeAll(() => {
	t = tempDatabase();
	generateSynthetic(t.db, { items: ITEMS, milestonesPerItem: 2, since: '2026-03' }, FIXED_NOW);
}, 60_000);
afterAll(() => t.close());

const view = (query: string) => dashboard(t.db, parseFilters(new URLSearchParams(query), TODAY).filters, TODAY);

describe("the dashboard's item list in pages", () => {
	it('lists every item once, page after page, in the order of the whole list', () => {
		expect(ITEM_TABLE_ROWS).toBe(50);
		const all = evaluatedPortfolio(t.db, null, TODAY).items.map((i) => i.code);
		expect(all).toHaveLength(ITEMS);
		const first = view('');
		expect(first).toMatchObject({ page: 1, pages: 3, firstRow: 1, itemCount: ITEMS });
		const pages = [first, view('page=2'), view('page=3')];
		expect(pages.map((p) => p.items.length)).toEqual([50, 50, 20]);
		expect(pages.map((p) => p.firstRow)).toEqual([1, 51, 101]);
		expect(pages.flatMap((p) => p.items.map((i) => i.code))).toEqual(all);
		// The figures and charts are the whole selection's on every page.
		expect(view('page=2').figures).toEqual(first.figures);
	});

	it('shows the last page for a page past it (an old link), and the first for a page that is no number', () => {
		for (const past of ['99', '9999999', '999999999999999']) expect(view(`page=${past}`), past).toMatchObject({ page: 3, firstRow: 101 });
		for (const bad of ['0', '-1', 'abc', '1e2', '2.5', '0x2']) {
			const { filters, problems } = parseFilters(new URLSearchParams(`page=${bad}`), TODAY);
			expect(filters.page, bad).toBeNull();
			expect(problems, bad).toEqual(['页码参数无效，已显示第一页。']);
		}
		// The first page has one address: the list's own, without a page.
		expect(parseFilters(new URLSearchParams('page=1'), TODAY).filters.page).toBeNull();
	});

	it("counts a filter's pages from its own items", () => {
		const red = evaluatedPortfolio(t.db, null, TODAY).items.filter((i) => i.light === 'red');
		const v = view('light=red');
		expect(v.pages).toBe(Math.max(1, Math.ceil(red.length / ITEM_TABLE_ROWS)));
		expect(v.items.map((i) => i.code)).toEqual(red.slice(0, ITEM_TABLE_ROWS).map((i) => i.code));
	});

	it("keeps a closed month's first page in the database, and its other pages in memory only", () => {
		const monthEnd = parseFilters(new URLSearchParams('asOf=2026-10-31'), TODAY).filters;
		const second = { ...monthEnd, page: 2 };
		expect(dashboard(t.db, second, TODAY).firstRow).toBe(51);
		dashboard(t.db, monthEnd, TODAY);
		const kept = (key: string) => t.db.select({ key: keptView.key }).from(keptView).where(eq(keptView.key, key)).get();
		expect(kept(dashboardKey(monthEnd, 'zh-CN'))).toBeDefined();
		expect(kept(dashboardKey(second, 'zh-CN'))).toBeUndefined();
	});

	it('lists the first twenty deadlines of the next 30 days, and says how many there are', () => {
		const v = view('');
		expect(v.upcoming.length).toBe(Math.min(20, v.upcomingCount));
		expect(v.upcoming.map((u) => u.dueOn)).toEqual([...v.upcoming.map((u) => u.dueOn)].sort());
	});
});
