/** The data-change log as the administrator reads it: every record named, items by code, newest first, filtered. */
import { eq, getTableColumns } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entityLabels } from '$lib/audit-labels';
import { fieldLabel } from '$lib/field-labels';
import { countChanges, itemHistory, listChanges, noChangeFilters } from '$lib/server/audit';
import { initiative, user } from '$lib/server/db/schema';
import { trackedTableNames, trackedTables } from '$lib/server/history';
import { seedIfEmpty } from '$lib/server/seed';
import { FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';

let t: TempDb;
beforeAll(() => {
	t = tempDatabase();
	seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW });
});
afterAll(() => t.close());

describe('the data-change log', () => {
	it('names every kind of record the history keeps in Chinese', () => {
		for (const table of trackedTableNames) expect(entityLabels[table], table).toMatch(/[\u4e00-\u9fff]/);
	});

	it('names every field a tracked record has, as the history and this log show its changes', () => {
		// The keys a record keeps in the log; its id and the item and owner it belongs to never change.
		const fixed = /^(id|version|initiativeId)$/;
		const unnamed = Object.values(trackedTables).flatMap((table) =>
			Object.keys(getTableColumns(table)).filter((field) => !fixed.test(field) && fieldLabel(field) === field)
		);
		expect(unnamed).toEqual([]);
	});

	it('lists the newest change first by its time, whatever order the changes were written in', () => {
		const page = listChanges(t.db, noChangeFilters, 500, 0);
		const times = page.map((c) => c.at);
		expect(times).toEqual([...times].sort().reverse());
		expect(countChanges(t.db)).toBeGreaterThan(page.length);
	});

	it("narrows to one item's records, shown by the item's code", () => {
		const item = t.db.select().from(initiative).where(eq(initiative.code, 'YRD-02')).get()!;
		const filters = { ...noChangeFilters, itemId: item.id };
		const changes = listChanges(t.db, filters, 5000, 0);
		expect(changes.length).toBe(countChanges(t.db, filters));
		expect(new Set(changes.map((c) => c.itemCode))).toEqual(new Set(['YRD-02']));
		for (const entity of ['initiative', 'initiative_co_unit', 'milestone', 'progress_report']) {
			expect(
				changes.some((c) => c.entity === entity),
				entity
			).toBe(true);
		}
	});

	it("says in an item's history which month a report change belongs to", () => {
		const item = t.db.select().from(initiative).where(eq(initiative.code, 'YRD-02')).get()!;
		const history = itemHistory(t.db, item.id);
		const reports = history.filter((h) => h.entity === 'progress_report');
		expect(reports.length).toBeGreaterThan(0);
		for (const r of reports) expect(r.month, String(r.id)).toMatch(/^\d{4}-\d{2}$/);
		expect(history.filter((h) => h.entity === 'milestone').every((h) => h.month === null)).toBe(true);
	});

	it('narrows by person, by kind of record and by days (Suzhou time)', () => {
		const staff = t.db.select().from(user).where(eq(user.username, 'staff')).get()!;
		const mine = listChanges(t.db, { ...noChangeFilters, actor: staff.id }, 5000, 0);
		expect(mine.length).toBeGreaterThan(0);
		expect(new Set(mine.map((c) => c.actor))).toEqual(new Set([staff.displayName]));
		const system = listChanges(t.db, { ...noChangeFilters, actor: 'system' }, 50, 0);
		expect(system.every((c) => c.actor === null)).toBe(true);
		const reports = listChanges(t.db, { ...noChangeFilters, entity: 'progress_report', from: '2026-11-01', to: '2026-11-27' }, 5000, 0);
		expect(reports.length).toBeGreaterThan(0);
		expect(
			reports.every((c) => c.entity === 'progress_report' && c.at >= '2026-10-31T16:00:00.000Z' && c.at <= '2026-11-27T15:59:59.999Z')
		).toBe(true);
	});
});
