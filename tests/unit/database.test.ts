import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsAsOf } from '$lib/server/as-of';
import { exportCatalogue } from '$lib/server/catalogue-export';
import { DatabaseOpenError, openDatabase } from '$lib/server/db';
import { changeLog, initiative, initiativeCoUnit, milestone, progressReport, unit, user } from '$lib/server/db/schema';
import { insertTracked, trackedTables } from '$lib/server/history';
import { seedIfEmpty } from '$lib/server/seed';
import { countRows, FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';

describe('opening the database', () => {
	let t: TempDb;
	beforeAll(() => (t = tempDatabase()));
	afterAll(() => t.close());

	it('runs with WAL, foreign keys and a busy timeout', () => {
		expect(t.db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(t.db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
		expect(t.db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
	});

	it('begins every transaction with the write lock: one that reads, then writes, never fails because another connection wrote between', () => {
		// Another connection of the same file (the month keeper's worker, the command line) that gives up at once.
		const other = openDatabase(t.path);
		other.$client.pragma('busy_timeout = 0');
		try {
			let otherWrote = true;
			t.db.transaction((tx) => {
				tx.select().from(unit).all();
				try {
					other.$client.exec('CREATE TABLE IF NOT EXISTS scratch_between (x)');
				} catch {
					otherWrote = false; // it waits for this transaction
				}
				insertTracked(
					tx,
					unit,
					{ code: 'lock-test', name: '写锁测试单位', kind: 'department', position: 999 },
					{ at: FIXED_NOW.toISOString(), actorId: null }
				);
			});
			expect(otherWrote).toBe(false);
			expect(
				t.db
					.select()
					.from(unit)
					.all()
					.some((u) => u.code === 'lock-test')
			).toBe(true);
		} finally {
			other.$client.close();
		}
	});

	it('applies every migration', () => {
		const tables = t.db.all<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`);
		expect(tables.map((r) => r.name)).toEqual(
			expect.arrayContaining(['change_log', 'initiative', 'milestone', 'progress_report', 'source', 'theme', 'unit', 'user'])
		);
	});

	it('names the path when it cannot create the file', () => {
		expect(() => openDatabase('/etc/passwd/suzhou.db')).toThrow(DatabaseOpenError);
		expect(() => openDatabase('/etc/passwd/suzhou.db')).toThrow(/\/etc\/passwd\/suzhou\.db/);
	});
});

describe('the demo dataset', () => {
	let t: TempDb;
	beforeAll(() => {
		t = tempDatabase();
		expect(seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW })).toEqual({ dataset: 'demo', items: 40 });
	});
	afterAll(() => t.close());

	it('loads only once', () => {
		expect(seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW })).toBeNull();
		expect(countRows(t.db, initiative)).toBe(40);
	});

	it('gives every item a lead unit, milestones and monthly reports, all marked demo', () => {
		const items = t.db.select().from(initiative).all();
		expect(items.every((i) => i.leadUnitId !== null && i.demo && i.dueOn !== null)).toBe(true);
		const ms = t.db.select().from(milestone).all();
		expect(ms.length).toBeGreaterThanOrEqual(40 * 4);
		expect(ms.every((m) => m.demo && m.dueOn >= '2021-07-01' && m.dueOn <= '2027-12-31')).toBe(true);
		expect(
			t.db
				.select()
				.from(progressReport)
				.all()
				.every((r) => r.demo)
		).toBe(true);
		expect(
			t.db
				.select()
				.from(unit)
				.all()
				.every((u) => u.demo)
		).toBe(true);
	});

	it('tells a believable story: items ahead, on pace, behind, done and overdue', () => {
		const items = exportCatalogue(t.db, '2026-11-27').initiatives;
		const paces = new Set(items.map((i) => i.pace));
		for (const p of ['done', 'ahead', 'on_pace', 'behind']) expect(paces).toContain(p);
		const overdue = items.filter((i) => i.status === 'active' && i.dueOn! < '2026-11-27');
		expect(overdue.length).toBeGreaterThan(0);
		expect(new Set(items.map((i) => i.light))).toEqual(new Set(['green', 'yellow', 'red']));
	});

	it('has reports from 2021-07 up to the current month, never in the future', () => {
		const range = t.db.get<{ first: string; last: string }>(sql`SELECT min(month) AS first, max(month) AS last FROM progress_report`);
		expect(range).toEqual({ first: '2021-07', last: '2026-11' });
		const future = t.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM change_log WHERE at > ${FIXED_NOW.toISOString()}`);
		expect(future?.n).toBe(0);
	});

	it('creates the demo accounts, with staff in a unit that leads several items', () => {
		const names = t.db
			.select()
			.from(user)
			.all()
			.map((u) => u.username);
		expect(names).toEqual(expect.arrayContaining(['admin', 'supervisor', 'staff', 'leader']));
		const staff = t.db
			.select()
			.from(user)
			.all()
			.find((u) => u.username === 'staff')!;
		const led = t.db
			.select()
			.from(initiative)
			.all()
			.filter((i) => i.leadUnitId === staff.unitId);
		expect(led.length).toBeGreaterThanOrEqual(3);
	});

	it('is generated deterministically for a given day', () => {
		const other = tempDatabase();
		try {
			seedIfEmpty(other.db, { dataset: 'demo', now: FIXED_NOW });
			expect(exportCatalogue(other.db, '2026-11-27')).toEqual(exportCatalogue(t.db, '2026-11-27'));
		} finally {
			other.close();
		}
	});

	it('keeps a history from which every tracked table can be rebuilt exactly', () => {
		const now = FIXED_NOW.toISOString();
		const byKey = (rows: object[]) => [...rows].map((r) => JSON.stringify(r)).sort();
		for (const table of [...Object.values(trackedTables), initiativeCoUnit]) {
			const current = t.db.select().from(table).all();
			expect(byKey(rowsAsOf(t.db, table, now))).toEqual(byKey(current));
		}
	});

	it('rebuilds a past date: before the lecture there was nothing, a year in there were fewer reports', () => {
		expect(rowsAsOf(t.db, initiative, '2021-07-01T00:00:00.000Z')).toEqual([]);
		const then = rowsAsOf(t.db, progressReport, '2022-07-31T16:00:00.000Z');
		expect(then.length).toBeGreaterThan(0);
		expect(then.every((r) => r.month <= '2022-07')).toBe(true);
	});

	it('refuses to edit or delete history, even from inside the database', () => {
		const first = t.db.select().from(changeLog).limit(1).get()!;
		const client = t.db.$client;
		expect(() => client.prepare(`UPDATE change_log SET note = 'edited' WHERE id = ?`).run(first.id)).toThrow(/append-only/);
		expect(() => client.prepare('DELETE FROM change_log WHERE id = ?').run(first.id)).toThrow(/append-only/);
		expect(t.db.select().from(changeLog).limit(1).get()).toEqual(first);
	});
});

describe('the lecture dataset (a real deployment)', () => {
	let t: TempDb;
	beforeAll(() => {
		t = tempDatabase();
		seedIfEmpty(t.db, { dataset: 'lecture', now: FIXED_NOW });
	});
	afterAll(() => t.close());

	it('holds the lecture items and nothing invented', () => {
		const items = t.db.select().from(initiative).all();
		expect(items.length).toBe(40);
		expect(items.some((i) => i.demo || i.leadUnitId !== null || i.leader !== null)).toBe(false);
		for (const table of [unit, user, milestone, progressReport]) expect(countRows(t.db, table)).toBe(0);
	});

	it('exports every item with its quote at its offsets', () => {
		const out = exportCatalogue(t.db, '2026-11-27');
		const body = t.db.$client.prepare('SELECT body FROM source').pluck().get() as string;
		expect(out.initiatives.length).toBe(40);
		for (const i of out.initiatives) {
			expect(body.slice(i.quoteStart, i.quoteEnd)).toBe(i.sourceQuote);
			expect(i.demo).toBe(false);
			expect(i.milestones).toEqual([]);
		}
	});
});

describe('the past of a table larger than one reading of the history takes', () => {
	it('rebuilds every record, in the order of their ids as text, reading after reading', () => {
		const t = tempDatabase();
		try {
			seedIfEmpty(t.db, { dataset: 'lecture', now: FIXED_NOW });
			const item = t.db.select().from(initiative).get()!;
			const [before, first, second] = ['2026-11-27T02:30:00.000Z', '2026-11-27T03:00:00.000Z', '2026-11-27T04:00:00.000Z'];
			// 20,000 records: two whole readings of 10,000, then one that finds nothing more.
			t.db.transaction((tx) => {
				for (let n = 0; n < 20_000; n++) {
					const ctx = { at: n < 8_000 ? first : second, actorId: null, actorLabel: 'system' };
					insertTracked(tx, milestone, { initiativeId: item.id, title: `节点${n}`, dueOn: '2026-12-31', weight: 1, position: n }, ctx);
				}
			});
			const byIdText = <T extends { id: number }>(rows: T[]) => [...rows].sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
			const all = byIdText(t.db.select().from(milestone).all());
			expect(rowsAsOf(t.db, milestone, second)).toEqual(all);
			expect(rowsAsOf(t.db, milestone, first)).toEqual(all.filter((m) => m.position < 8_000));
			expect(rowsAsOf(t.db, milestone, before)).toEqual([]);
			// The records a subquery selects, read the same way: 15,000 of them.
			const selected = { ids: sql`SELECT CAST(id AS TEXT) FROM milestone WHERE position >= 5000` };
			expect(rowsAsOf(t.db, milestone, second, selected)).toEqual(all.filter((m) => m.position >= 5_000));
			expect(rowsAsOf(t.db, milestone, first, selected)).toEqual(all.filter((m) => m.position >= 5_000 && m.position < 8_000));
		} finally {
			t.close();
		}
	});
});

describe('a failing first load', () => {
	it('leaves nothing behind', () => {
		const t = tempDatabase();
		try {
			const catalogue = { sources: [], themes: [], initiatives: [{ code: 'X-01' }] } as never;
			expect(() => seedIfEmpty(t.db, { dataset: 'lecture', catalogue })).toThrow();
			expect(countRows(t.db, initiative)).toBe(0);
			expect(countRows(t.db, changeLog)).toBe(0);
		} finally {
			t.close();
		}
	});
});
