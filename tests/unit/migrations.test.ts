/**
 * Upgrades: a database created at every earlier migration, with a row in every table, migrated to
 * the latest keeps every row and every value of the columns that still exist.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '$lib/server/db';
import { databaseAtMigration, earlierMigrations, upgradeLosses } from '../helpers/upgrade';

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
