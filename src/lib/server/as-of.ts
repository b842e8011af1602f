/**
 * The state of a tracked table at a past instant, rebuilt from the history: for each record, the
 * `after` of its last change up to that instant (a record deleted by then is gone).
 */
import { getTableName, sql, type InferSelectModel, type SQL } from 'drizzle-orm';
import type { Tx } from './db';
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
	return rows.map((r) => JSON.parse(r.after) as InferSelectModel<T>);
}

/**
 * A month's reports as they stood at `instant`. A report's month never changes and reports are
 * never deleted, so the month's live report ids select its history: only those records are rebuilt.
 */
export function monthReportsAsOf(db: Tx, month: string, instant: string) {
	return rowsAsOf(db, progressReport, instant, { ids: sql`SELECT CAST(id AS TEXT) FROM progress_report WHERE month = ${month}` });
}
