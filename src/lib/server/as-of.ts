/**
 * The state of a tracked table at a past instant, rebuilt from the history: for each record, the
 * `after` of its last change up to that instant (a record deleted by then is gone).
 */
import { getTableColumns, getTableName, is, SQL, sql, type Column, type InferSelectModel, type SQLWrapper } from 'drizzle-orm';
import type { Tx } from './db';
import { KeptAnswers } from './kept-answers';
import { progressReport, type initiativeCoUnit, type setting } from './db/schema';
import type { trackedTables } from './history';

type TrackedTable = (typeof trackedTables)[keyof typeof trackedTables] | typeof initiativeCoUnit | typeof setting;

/** Which records a reading of the history is about: those whose field had a value, or those whose ids (as text, each once) a one-column subquery selects. */
type Among = { field: string; equals: string | number } | { ids: SQL };

/**
 * Rows of `table` as they stood at `instant`, in the order of their ids as text; with `where.field`, only
 * those whose field (a property of the row, e.g. `initiativeId`) had that value then; with
 * `where.ids`, only the records whose id (as text) that subquery selects, which reads only their history.
 */
export function rowsAsOf<T extends TrackedTable>(db: Tx, table: T, instant: string, where?: Among): InferSelectModel<T>[] {
	return rowsAsOfEach(db, table, [instant], where)[0];
}

/**
 * The same rows at each of `instants` (ascending): the first rebuilt from the history up to it, each
 * next carried forward from the one before by the changes between them, so that a month's end and
 * the one before (what a month's summary reads) cost one reading of the history, not two. A record
 * unchanged between two instants is the same object in both answers: read them, never change them.
 */
export function rowsAsOfEach<T extends TrackedTable>(db: Tx, table: T, instants: string[], where?: Among): InferSelectModel<T>[][] {
	return readAsOfEach(db, table, instants, where, wholeRecords(table)) as InferSelectModel<T>[][];
}

/**
 * Only some fields of the rows at each of `instants`, as `rowsAsOfEach` reads them: SQLite takes them
 * out of the logged records, so that a reading that needs a report's status never parses its texts.
 * Text and number fields only (JSON has no other kind SQLite gives back the same).
 */
export function fieldsAsOfEach<T extends TrackedTable, K extends keyof InferSelectModel<T> & string>(
	db: Tx,
	table: T,
	fields: K[],
	instants: string[],
	where?: Among
): Pick<InferSelectModel<T>, K>[][] {
	const columns = getTableColumns(table) as Record<string, Column>;
	const picked = fields.map((f) => {
		const column = columns[f];
		if (column.dataType !== 'string' && column.dataType !== 'number') throw new Error(`fieldsAsOfEach: ${f} is not text or a number`);
		// A record logged before a migration added the field reads as the table's row does (`wholeRecords`).
		return sql`${f}, CASE WHEN json_type(change.after, ${'$.' + f}) IS NULL THEN ${defaultOf(column)} ELSE json_extract(change.after, ${'$.' + f}) END`;
	});
	const after = sql`CASE WHEN change.after IS NULL THEN NULL ELSE json_object(${sql.join(picked, sql`, `)}) END`;
	return readAsOfEach(db, table, instants, where, { after, complete: (record) => record }) as Pick<InferSelectModel<T>, K>[][];
}

/**
 * One field of a tracked record as it stood at an instant, as SQL for a query that reads many records
 * each at an instant of its own (a slip's item, unit and signer as they were when it was issued): the
 * field of the record's last change up to `at`, through the history's index; the live value (`live`)
 * for a record with none by then.
 */
export function fieldAt(table: TrackedTable, id: SQLWrapper, field: string, at: SQLWrapper, live: SQLWrapper): SQL<string> {
	return sql<string>`COALESCE((
		SELECT json_extract(c.after, ${'$.' + field}) FROM change_log AS c
		WHERE c.entity = ${getTableName(table)} AND c.entity_id = CAST(${id} AS TEXT) AND c.at <= ${at}
		ORDER BY c.at DESC, c.id DESC LIMIT 1
	), ${live})`;
}

function readAsOfEach(db: Tx, table: TrackedTable, instants: string[], where: Among | undefined, reading: Reading): Row[][] {
	let records = rebuilt(db, table, instants[0], where, reading);
	const answers = [[...records.values()]];
	for (let k = 1; k < instants.length; k++) {
		if (instants[k] < instants[k - 1]) throw new Error('rowsAsOfEach: instants must be in ascending order');
		records = carriedForward(db, table, records, instants[k - 1], instants[k], where, reading);
		answers.push([...records.values()]);
	}
	return answers;
}

type Row = Record<string, unknown>;

/** What a reading takes of each logged record (`after`, as SQL on the change_log row `change`), and how it completes what it parsed. */
type Reading = { after: SQL; complete: (record: Row) => Row };

type Records = Map<string, Row>;

/** The SQL conditions of `where` on a change_log row: the records it selects, and whether the row's record matches its field. */
function conditions(where: Among | undefined) {
	return {
		records: where && 'ids' in where ? sql`AND entity_id IN (${where.ids})` : sql``,
		matches: where && 'field' in where ? sql`json_extract(change.after, ${'$.' + where.field}) = ${where.equals}` : sql`1`
	};
}

/** Records rebuilt at a time: their changes' text is parsed and let go before the next are read. */
const REBUILT_AT_A_TIME = 10_000;

/**
 * For each record, the `after` of its last change up to the instant (a record deleted by then is
 * gone), in the order of their ids as text (`byEntityId`). One statement per some thousands of
 * records, taken in that order from where the last left off: it lists the records (the distinct ids
 * of the table's history, from its index, or those `where.ids` selects), seeks each one's last change
 * in the index of (entity, entity_id, at) and reads only that change's row. The ids never travel to
 * JavaScript and back, and the text read is never held all at once (at 20,000 items, 200,000
 * milestones' changes weigh 90 MB as strings).
 */
function rebuilt(db: Tx, table: TrackedTable, instant: string, where: Among | undefined, reading: Reading): Records {
	const entity = getTableName(table);
	const { matches } = conditions(where);
	const some = (from: string) =>
		where && 'ids' in where
			? sql`WITH record(id) AS (${where.ids}) SELECT DISTINCT CAST(id AS TEXT) AS id FROM record WHERE CAST(id AS TEXT) > ${from} ORDER BY 1 LIMIT ${REBUILT_AT_A_TIME}`
			: sql`SELECT DISTINCT entity_id AS id FROM change_log WHERE entity = ${entity} AND entity_id > ${from} ORDER BY entity_id LIMIT ${REBUILT_AT_A_TIME}`;
	const records: Records = new Map();
	for (let from = ''; ;) {
		// Every record of the batch comes back, with a null `after` when it was gone or did not match, so
		// that the next batch starts after the last record of this one.
		const rows = db.all<{ id: string; after: string | null }>(sql`
			SELECT record.id AS id, CASE WHEN change.after IS NOT NULL AND ${matches} THEN ${reading.after} END AS after
			FROM (${some(from)}) AS record
			LEFT JOIN change_log AS change ON change.id = (
				SELECT id FROM change_log WHERE entity = ${entity} AND entity_id = record.id AND at <= ${instant}
				ORDER BY at DESC, id DESC LIMIT 1
			)`);
		for (const row of rows) if (row.after !== null) records.set(row.id, reading.complete(JSON.parse(row.after) as Row));
		if (rows.length < REBUILT_AT_A_TIME) return records;
		from = rows[rows.length - 1].id;
	}
}

/**
 * The records at `from` carried forward to `to` by the changes between them, in the order they were
 * made: a change's `after` replaces the record (or, deleted or no longer matching `where`, removes it).
 */
function carriedForward(
	db: Tx,
	table: TrackedTable,
	before: Records,
	from: string,
	to: string,
	where: Among | undefined,
	reading: Reading
): Records {
	const { records, matches } = conditions(where);
	// The index of (entity, entity_id, at) answers it from its entries, reading only the changes' rows.
	const changes = db.all<{ id: string; after: string | null; matches: number | null }>(sql`
		SELECT entity_id AS id, ${reading.after} AS after, ${matches} AS matches FROM change_log AS change
		WHERE entity = ${getTableName(table)} AND at > ${from} AND at <= ${to} ${records}
		ORDER BY at, id`);
	if (changes.length === 0) return before;
	const after: Records = new Map(before);
	let added = false;
	for (const change of changes) {
		if (change.after === null || !change.matches) after.delete(change.id);
		else {
			added ||= !after.has(change.id);
			after.set(change.id, reading.complete(JSON.parse(change.after) as Row));
		}
	}
	return added ? new Map([...after].sort(([a], [b]) => byEntityId(a, b))) : after;
}

/**
 * Records in the order of their ids as text ('10' before '9'; a co-unit's `item:unit` likewise): the
 * order every reading of the past has always given, so that a month's ledger lists a cell's co-units,
 * and ties between milestones due the same day, as it did when it was first exported. Entity ids are
 * ASCII (numbers, `item:unit`, settings' names), so SQLite's order of their bytes (`rebuilt`) is this one.
 */
function byEntityId(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A record logged before a migration added a column lacks it, while the table's row got the value the
 * migration gave it (the column's default, or null). Read back, the logged record gets that value too,
 * so a past view reads an old record exactly as the table holds it (e.g. a milestone logged before
 * `removed_at` existed is not removed, rather than "undefined" and dropped by `removedAt === null`).
 */
function wholeRecords(table: TrackedTable): Reading {
	const columns = Object.entries(getTableColumns(table)).map(([key, column]) => [key, defaultOf(column)] as const);
	const complete = (record: Row) => {
		for (const [key, value] of columns) if (!(key in record)) record[key] = value;
		return record;
	};
	return { after: sql`change.after`, complete };
}

/** The value a migration gave a column's existing rows: its default, or null. */
function defaultOf(column: Column): unknown {
	const value: unknown = column.default;
	return value === undefined || is(value, SQL) ? null : value;
}

/**
 * Months' reports of final instants kept: a closed month's summary is computed for each grouping and
 * language, each reading the month's reports. Two, since each holds a month's texts (some 25 MB at
 * 20,000 items).
 */
const keptMonths = new KeptAnswers<InferSelectModel<typeof progressReport>[]>(2);

/**
 * A report's month never changes and reports are never deleted, so the month's live report ids
 * select its history: only those records are rebuilt.
 */
const ofMonth = (month: string): Among => ({ ids: sql`SELECT CAST(id AS TEXT) FROM progress_report WHERE month = ${month}` });

/**
 * A month's reports as they stood at `instant`. For an instant that is final (`isFinal`: nothing
 * written from now on can reach it) the answer is kept, shared by every caller: read it, never change it.
 */
export function monthReportsAsOf(db: Tx, month: string, instant: string) {
	const read = () => rowsAsOf(db, progressReport, instant, ofMonth(month));
	return isFinal(db, instant) ? keptMonths.answer(db, `${month}|${instant}`, read) : read();
}

/**
 * Which item's report of `month` stood in which status at each of `instants` (ascending): what the
 * lights count, without the texts. Where the month's reports at an instant are kept whole
 * (`monthReportsAsOf`: a month's summary reads them before its portfolio), they answer for it.
 */
export function monthReportStatusesAsOfEach(db: Tx, month: string, instants: string[]) {
	const kept = instants.map((instant) => keptMonths.kept(db, `${month}|${instant}`));
	const unkept = instants.filter((_, k) => kept[k] === undefined);
	const read = unkept.length ? fieldsAsOfEach(db, progressReport, ['initiativeId', 'month', 'status'], unkept, ofMonth(month)) : [];
	let next = 0;
	return kept.map((reports) => reports ?? read[next++]);
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
