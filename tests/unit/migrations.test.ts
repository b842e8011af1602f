/**
 * Upgrades: a database created at every earlier migration, with a row in every table, migrated to
 * the latest keeps every row and every value of the columns that still exist.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '$lib/server/db';

type Journal = { entries: { idx: number; tag: string }[] };
const journal = JSON.parse(readFileSync('migrations/meta/_journal.json', 'utf8')) as Journal;
const work = mkdtempSync(join(tmpdir(), 'upgrade-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The migrations folder as it was when migration `last` was the newest. */
function migrationsUpTo(last: number): string {
	const dir = join(work, `migrations-${last}`);
	mkdirSync(join(dir, 'meta'), { recursive: true });
	const entries = journal.entries.filter((e) => e.idx <= last);
	for (const e of entries) cpSync(join('migrations', `${e.tag}.sql`), join(dir, `${e.tag}.sql`));
	writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
	return dir;
}

type Column = { name: string; type: string; notnull: number; pk: number };

/** One row in every table, with a value of its column's type in every column. */
function fillEveryTable(client: Database.Database): Map<string, Record<string, unknown>> {
	client.pragma('foreign_keys = OFF'); // the point is the data surviving, not its references
	const tables = client
		.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'`)
		.pluck()
		.all() as string[];
	const rows = new Map<string, Record<string, unknown>>();
	for (const table of tables) {
		const columns = client.prepare(`PRAGMA table_info("${table}")`).all() as Column[];
		const row = Object.fromEntries(
			columns.map((c, i) => [
				c.name,
				/INT/i.test(c.type)
					? c.pk
						? 7
						: i + 1
					: c.name === 'value' || c.name === 'before' || c.name === 'after' || c.name === 'detail'
						? '{"k":1}'
						: `${table}.${c.name}`
			])
		);
		client
			.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c.name}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
			.run(...Object.values(row));
		rows.set(table, row);
	}
	return rows;
}

describe('upgrading a database from every earlier migration', () => {
	for (const entry of journal.entries.slice(0, -1)) {
		it(`keeps its data from ${entry.tag} to the latest`, () => {
			const path = join(work, `at-${entry.idx}.db`);
			const client = new Database(path);
			migrate(drizzle(client), { migrationsFolder: migrationsUpTo(entry.idx) });
			const before = fillEveryTable(client);
			client.close();

			const db = openDatabase(path); // the real start-up path: migrates to the latest
			for (const [table, row] of before) {
				const columns = new Set((db.$client.prepare(`PRAGMA table_info("${table}")`).all() as Column[]).map((c) => c.name));
				const stored = db.$client.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
				expect(stored, table).toHaveLength(1);
				for (const [column, value] of Object.entries(row))
					if (columns.has(column)) expect(stored[0][column], `${table}.${column}`).toEqual(value);
			}
			const applied = db.$client.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get();
			expect(applied).toBe(journal.entries.length);
			db.$client.close();
		});
	}
});
