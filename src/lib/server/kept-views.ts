/**
 * Views of the past kept in the database. The history is append-only and every write is stamped with
 * its moment, so a view as of an instant that is final (`isFinal`) can never change: it is computed
 * once and kept in `kept_view`, where it survives a restart and goes with the backup, and in memory,
 * where the next look finds it without reading the database. No write can reach a final instant (the
 * product has no back-dated correction: an import, a closure or a report is stamped when it is made),
 * so nothing invalidates a kept view; a restore replaces the database and its kept views with it.
 *
 * What is kept must be plain JSON (no Map, Set or Date) and bounded in number: callers keep only views
 * of closed months, whose count grows by a few a month.
 */
import { and, eq } from 'drizzle-orm';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Tx } from './db';
import { keptView } from './db/schema';
import { KeptAnswers } from './kept-answers';

/**
 * The shape of what is kept, and of how it is computed. Raise it when a change of the code changes what
 * a kept view holds (a field added, a rule corrected): views kept in another format are computed again.
 */
export const KEPT_VIEW_FORMAT = 8;
// 8: the dashboard's item list in pages of 50 (was the first 100), its 30 days' list the first 20 (was 50).
// 7: a 月报 row's 具体举措/节点 kept as lines (milestone, date, met or next), each writer spelling the date.

/** Whether the view `key` is kept in the database, in this code's format. */
export function isKeptInDatabase(db: Tx, key: string): boolean {
	return !!db
		.select({ key: keptView.key })
		.from(keptView)
		.where(and(eq(keptView.key, key), eq(keptView.format, KEPT_VIEW_FORMAT)))
		.get();
}

/** The view `key` of a final instant: from memory, else from the database, else `compute`d and kept in both. */
export function keptInDatabase<T>(db: Tx, memory: KeptAnswers<T>, key: string, compute: () => T): T {
	return keptViewOf(db, memory, key) ?? keepView(db, memory, key, compute());
}

/**
 * How a view is written as JSON when it is not plain JSON in memory (a Map, for one): what is kept
 * in the database is `write(value)`, and what is read back is `read(json)`.
 */
export type KeptForm<T> = { write(value: T): unknown; read(json: unknown): T };
const asItIs: KeptForm<never> = { write: (value) => value, read: (json) => json as never };

/** The view `key` of a final instant if it is kept: from memory, else from the database (then kept in memory too). */
export function keptViewOf<T>(db: Tx, memory: KeptAnswers<T>, key: string, form: KeptForm<T> = asItIs): T | undefined {
	const inMemory = memory.kept(db, key);
	if (inMemory !== undefined) return inMemory;
	const row = db.select().from(keptView).where(eq(keptView.key, key)).get();
	if (!row || row.format !== KEPT_VIEW_FORMAT) return undefined;
	return memory.keep(db, key, form.read(JSON.parse(gunzipSync(row.body).toString('utf8'))));
}

/** Keeps the view `key` of a final instant in memory and in the database. */
export function keepView<T>(db: Tx, memory: KeptAnswers<T>, key: string, value: T, form: KeptForm<T> = asItIs): T {
	// Gzipped at its fastest level: a month's whole summary (11 MB of JSON at 20,000 items) is
	// packed in some 50 ms and written as 1.5 MB, where writing it plain took 0.4 s.
	const body = gzipSync(JSON.stringify(form.write(value)), { level: 1 });
	const kept = { key, format: KEPT_VIEW_FORMAT, body, keptAt: new Date().toISOString() };
	try {
		db.insert(keptView).values(kept).onConflictDoUpdate({ target: keptView.key, set: kept }).run();
	} catch {
		// A database busy with another writer, or opened read-only: the view is still right, only not kept.
	}
	return memory.keep(db, key, value);
}
