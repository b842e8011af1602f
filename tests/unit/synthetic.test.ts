/**
 * The synthetic dataset for benchmarks: the requested size, every generated item with its
 * milestones and reports, every unit staffed, the history consistent with the tables, and the same
 * data on every run for the same day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsAsOf } from '$lib/server/as-of';
import { generateSynthetic } from '$lib/server/demo/synthetic';
import { initiative, initiativeCoUnit, milestone, progressReport, unit, user } from '$lib/server/db/schema';
import { trackedTables } from '$lib/server/history';
import { countRows, FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';

const size = { items: 46, milestonesPerItem: 3, since: '2025-03' };

describe('npm run cli -- generate', () => {
	let t: TempDb;
	let again: TempDb;
	beforeAll(() => {
		t = tempDatabase();
		again = tempDatabase();
		generateSynthetic(t.db, size, FIXED_NOW);
		generateSynthetic(again.db, size, FIXED_NOW);
	});
	afterAll(() => {
		t.close();
		again.close();
	});

	it('makes the items asked for, each generated one with its milestones and monthly reports', () => {
		expect(countRows(t.db, initiative)).toBe(46);
		const generated = t.db
			.select()
			.from(initiative)
			.all()
			.filter((i) => i.code.startsWith('GAA-'));
		expect(generated).toHaveLength(6);
		for (const item of generated) {
			const milestones = t.db
				.select()
				.from(milestone)
				.all()
				.filter((m) => m.initiativeId === item.id);
			expect(milestones, item.code).toHaveLength(3);
			expect(item.startOn! >= '2025-03-01', item.code).toBe(true);
			const months = t.db
				.select()
				.from(progressReport)
				.all()
				.filter((r) => r.initiativeId === item.id)
				.map((r) => r.month);
			expect(months.length, item.code).toBeGreaterThan(3);
			expect(
				months.every((m) => m >= item.startOn!.slice(0, 7)),
				item.code
			).toBe(true);
		}
		expect(countRows(t.db, unit)).toBe(100);
	});

	it('gives every unit a staff account that can report', () => {
		const staffed = new Set(
			t.db
				.select()
				.from(user)
				.all()
				.filter((u) => u.role === 'staff')
				.map((u) => u.unitId)
		);
		for (const u of t.db.select().from(unit).all()) expect(staffed.has(u.id), u.code).toBe(true);
	});

	it('writes the history with the data, so that any past date can be rebuilt', () => {
		const now = new Date(FIXED_NOW.getTime() + 60_000).toISOString();
		const byKey = (rows: object[]) => rows.map((r) => JSON.stringify(r)).sort();
		for (const table of [...Object.values(trackedTables), initiativeCoUnit]) {
			expect(byKey(rowsAsOf(t.db, table, now))).toEqual(byKey(t.db.select().from(table).all()));
		}
	});

	it('is the same on every run for the same day', () => {
		expect(again.db.select().from(progressReport).all()).toEqual(t.db.select().from(progressReport).all());
		expect(again.db.select().from(milestone).all()).toEqual(t.db.select().from(milestone).all());
	});

	it('refuses a database that holds data already', () => {
		expect(() => generateSynthetic(t.db, size, FIXED_NOW)).toThrow(/empty database/);
	});
});
