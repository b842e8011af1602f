/**
 * Databases as earlier releases left them: the migrations folder as it was at an earlier migration,
 * and one row in every table. Used by the upgrade test (`npm test`) and the upgrade drill.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Journal = { entries: { idx: number; tag: string }[] };
export const journal = JSON.parse(readFileSync('migrations/meta/_journal.json', 'utf8')) as Journal;

/** Every migration but the latest: the states an existing database may be found in. */
export const earlierMigrations = journal.entries.slice(0, -1);

/** The migrations folder as it was when migration `last` was the newest, written under `work`. */
function migrationsUpTo(work: string, last: number): string {
	const dir = join(work, `migrations-${last}`);
	mkdirSync(join(dir, 'meta'), { recursive: true });
	const entries = journal.entries.filter((e) => e.idx <= last);
	for (const e of entries) cpSync(join('migrations', `${e.tag}.sql`), join(dir, `${e.tag}.sql`));
	writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
	return dir;
}

export type Column = { name: string; type: string; notnull: number; pk: number };
export type TableRows = Map<string, Record<string, unknown>>;

/** One row in every table, with a value of its column's type in every column. */
function fillEveryTable(client: Database.Database): TableRows {
	client.pragma('foreign_keys = OFF'); // the point is the data surviving, not its references
	const tables = client
		.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'`)
		.pluck()
		.all() as string[];
	const rows: TableRows = new Map();
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

/** Creates `path` at migration `idx` with a row in every table; returns the rows written. */
export function databaseAtMigration(work: string, idx: number, path: string): TableRows {
	const client = new Database(path);
	try {
		migrate(drizzle(client), { migrationsFolder: migrationsUpTo(work, idx) });
		return fillEveryTable(client);
	} finally {
		client.close();
	}
}

/**
 * What of `before` is missing or changed in the upgraded database (columns dropped by a migration
 * excepted), and whether every migration is recorded as applied. Empty when the upgrade kept it all.
 * Rows added since (by the upgrade or a start) are allowed.
 */
export function upgradeLosses(client: Database.Database, before: TableRows): string[] {
	const losses: string[] = [];
	for (const [table, row] of before) {
		const columns = new Set((client.prepare(`PRAGMA table_info("${table}")`).all() as Column[]).map((c) => c.name));
		const kept = Object.entries(row).filter(([column]) => columns.has(column));
		const stored = client.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
		if (!stored.some((s) => kept.every(([column, value]) => s[column] === value))) {
			const near = stored.length === 1 ? kept.filter(([column, value]) => stored[0][column] !== value).map(([column]) => column) : [];
			losses.push(`${table}: the row written before the upgrade is gone${near.length ? ` (changed: ${near.join(', ')})` : ''}`);
		}
	}
	const applied = client.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get();
	if (applied !== journal.entries.length) losses.push(`${String(applied)} of ${journal.entries.length} migrations applied`);
	return losses;
}
