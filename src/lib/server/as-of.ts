/**
 * The state of a tracked table at a past instant, rebuilt from the history: for each record, the
 * `after` of its last change up to that instant (a record deleted by then is gone).
 */
import { getTableColumns, getTableName, is, SQL, sql, type InferSelectModel } from 'drizzle-orm';
import type { Tx } from './db';
import { KeptAnswers } from './kept-answers';
import { progressReport, type initiativeCoUnit, type setting } from './db/schema';
import type { trackedTables } from './history';

type TrackedTable = (typeof trackedTables)[keyof typeof trackedTables] | typeof initiativeCoUnit | typeof setting;

/**
 * Rows of `table` as they stood at `instant`; with `where.field`, only those whose field (a property
 * of the row, e.g. `initiativeId`) had that value then; with `where.ids`, only the records whose id
 * (as text) that subquery selects, which reads only their history.
 */
export function rowsAsOf<T extends TrackedTable>(
	db: Tx,
	table: T,
	instant: string,
	where?: { field: string; equals: string | number } | { ids: SQL }
): InferSelectModel<T>[] {
	const filter = where && 'field' in where ? sql`AND json_extract(after, ${'$.' + where.field}) = ${where.equals}` : sql``;
	const records = where && 'ids' in where ? sql`AND entity_id IN (${where.ids})` : sql``;
	const rows = db.all<{ after: string }>(sql`
		SELECT after FROM (
			SELECT after, row_number() OVER (PARTITION BY entity_id ORDER BY at DESC, id DESC) AS rn
			FROM change_log
			WHERE entity = ${getTableName(table)} AND at <= ${instant} ${records}
		)
		WHERE rn = 1 AND after IS NOT NULL ${filter}`);
	const complete = completedRecord(table);
	return rows.map((r) => complete(JSON.parse(r.after) as Record<string, unknown>) as InferSelectModel<T>);
}

/**
 * A record logged before a migration added a column lacks it, while the table's row got the value the
 * migration gave it (the column's default, or null). Read back, the logged record gets that value too,
 * so a past view reads an old record exactly as the table holds it (e.g. a milestone logged before
 * `removed_at` existed is not removed, rather than "undefined" and dropped by `removedAt === null`).
 */
function completedRecord(table: TrackedTable): (record: Record<string, unknown>) => Record<string, unknown> {
	const columns = Object.entries(getTableColumns(table)).map(([key, column]) => {
		const value: unknown = column.default;
		return [key, value === undefined || is(value, SQL) ? null : value] as const;
	});
	return (record) => {
		for (const [key, value] of columns) if (!(key in record)) record[key] = value;
		return record;
	};
}

/** Months' reports of final instants kept: a closed month's summary and views of past days reread them. */
const keptMonths = new KeptAnswers<InferSelectModel<typeof progressReport>[]>(8);

/**
 * A month's reports as they stood at `instant`. A report's month never changes and reports are
 * never deleted, so the month's live report ids select its history: only those records are rebuilt.
 * For an instant that is final (`isFinal`: nothing written from now on can reach it) the answer is
 * kept, shared by every caller: read it, never change it.
 */
export function monthReportsAsOf(db: Tx, month: string, instant: string) {
	const compute = () =>
		rowsAsOf(db, progressReport, instant, { ids: sql`SELECT CAST(id AS TEXT) FROM progress_report WHERE month = ${month}` });
	return isFinal(db, instant) ? keptMonths.answer(db, `${month}|${instant}`, compute) : compute();
}

/**
 * Whether the view as of `instant` can no longer change. The history is append-only and every write
 * is stamped with the moment it is made, so once writes are stamped past the instant, nothing written
 * later can reach the view: the clock and the history's last stamp must both be past it, by a
 * minute's margin (a write stamped just before it commits in another process, the command line).
 * A database whose writes are stamped by a clock of its own (the tests' fixed "now") is judged by
 * its history, not by the wall clock.
 */
export function isFinal(db: Tx, instant: string | null, now = Date.now()): boolean {
	if (instant === null || instant >= new Date(now - 60_000).toISOString()) return false;
	const last = db.get<{ at: string | null }>(sql`SELECT max(at) AS at FROM change_log`)?.at;
	return !!last && instant < new Date(Date.parse(last) - 60_000).toISOString();
}
