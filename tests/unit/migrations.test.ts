/**
 * Upgrades: a database created at every earlier migration, with a row in every table, migrated to
 * the latest keeps every row and every value of the columns that still exist.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getTableColumns, getTableName } from 'drizzle-orm';
import { fieldsAsOfEach, rowsAsOf } from '$lib/server/as-of';
import { openDatabase } from '$lib/server/db';
import { changeLog, initiativeCoUnit, setting } from '$lib/server/db/schema';
import { trackedTables } from '$lib/server/history';
import { databaseAtMigration, earlierMigrations, upgradeLosses } from '../helpers/upgrade';
import { picked, textAndNumberFields } from '../helpers/fields';

const work = mkdtempSync(join(tmpdir(), 'upgrade-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('upgrading a database from every earlier migration', () => {
	for (const entry of earlierMigrations) {
		it(`keeps its data from ${entry.tag} to the latest`, () => {
			const path = join(work, `at-${entry.idx}.db`);
			const before = databaseAtMigration(work, entry.idx, path);
			const db = openDatabase(path); // the real start-up path: migrates to the latest
			try {
				expect(upgradeLosses(db.$client, before)).toEqual([]);
			} finally {
				db.$client.close();
			}
		});
	}
});

describe('the history of records logged before the upgrade', () => {
	const tables = [...Object.values(trackedTables), initiativeCoUnit, setting];
	for (const entry of earlierMigrations) {
		it(`reads records logged at ${entry.tag} as the upgraded table holds them`, () => {
			const path = join(work, `history-${entry.idx}.db`);
			const before = databaseAtMigration(work, entry.idx, path);
			const db = openDatabase(path);
			try {
				for (const table of tables) {
					const name = getTableName(table);
					if (!before.has(name)) continue; // the table came later
					// The record as that release logged it: only the columns its table had then.
					const then = new Set(Object.keys(before.get(name) ?? {}));
					const rows = db.select().from(table).all() as Record<string, unknown>[];
					const logged = Object.fromEntries(
						Object.entries(getTableColumns(table))
							.filter(([, column]) => then.has(column.name))
							.map(([key]) => [key, rows[0][key]])
					);
					db.insert(changeLog)
						.values({ at: '2021-07-06T00:00:00.000Z', entity: name, entityId: '7', action: 'insert', after: logged })
						.run();
					expect(rowsAsOf(db, table, '2030-01-01T00:00:00.000Z'), name).toEqual(rows);
					// Some fields only, as the lights read reports' statuses: the same values.
					const fields = textAndNumberFields(table);
					expect(fieldsAsOfEach(db, table, fields as never[], ['2030-01-01T00:00:00.000Z'])[0], name).toEqual(picked(rows, fields));
				}
			} finally {
				db.$client.close();
			}
		});
	}
});
