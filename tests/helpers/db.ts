/** A real SQLite file with the real migrations, in a fresh temporary folder per call. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { openDatabase, type Db } from '$lib/server/db';

export type TempDb = { db: Db; path: string; dir: string; close: () => void };

export function tempDatabase(): TempDb {
	const dir = mkdtempSync(join(tmpdir(), 'suzhou-test-'));
	const path = join(dir, 'test.db');
	const db = openDatabase(path);
	return {
		db,
		path,
		dir,
		close: () => {
			db.$client.close();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** The instant the demo fixtures are generated at: 2026-11-27 10:00 in Suzhou. */
export const FIXED_NOW = new Date('2026-11-27T02:00:00Z');

/** Rows in a table (drizzle's `$count` is asynchronous; this is the synchronous equivalent). */
export function countRows(db: Db, table: SQLiteTable): number {
	return db.select({ n: count() }).from(table).get()!.n;
}
