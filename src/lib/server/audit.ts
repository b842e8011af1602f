/** The audit views: the data-change history with who made each change. */
import { sql, type SQL } from 'drizzle-orm';
import { endOfSuzhouDay, startOfSuzhouDay, type CalendarDate } from '$lib/dates';
import type { Tx } from './db';
import { unit, user } from './db/schema';
import { WITHHELD_COMMENT, WITHHELD_VALUE } from '$lib/field-labels';
import { draftTextFields, mayReadSlip } from './workflow/access';

/** The fields whose value differs between two versions of a record. */
export function changedFields(before: unknown, after: unknown): string[] {
	const a = (before ?? {}) as Record<string, unknown>;
	const b = (after ?? {}) as Record<string, unknown>;
	const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
	return [...keys].filter((k) => k !== 'version' && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/** What the data-change log is narrowed to: who, which kind of record, which item, which days. */
export type ChangeFilters = {
	/** A user's id, or `system` for changes nobody signed in made. */
	actor: number | 'system' | null;
	entity: string | null;
	itemId: number | null;
	from: CalendarDate | null;
	to: CalendarDate | null;
};

export const noChangeFilters: ChangeFilters = { actor: null, entity: null, itemId: null, from: null, to: null };

/**
 * The item a change belongs to, from the record's own image (a deleted record keeps it in `before`):
 * the item itself, its co-unit links (`<item>:<unit>`), a reported milestone through its report, and
 * every other record of an item through its `initiativeId`.
 */
const itemOfChange = sql`CASE c.entity
	WHEN 'initiative' THEN CAST(c.entity_id AS INTEGER)
	WHEN 'initiative_co_unit' THEN CAST(substr(c.entity_id, 1, instr(c.entity_id, ':') - 1) AS INTEGER)
	WHEN 'report_milestone' THEN (SELECT r.initiative_id FROM progress_report r WHERE r.id = json_extract(coalesce(c.after, c.before), '$.reportId'))
	ELSE json_extract(coalesce(c.after, c.before), '$.initiativeId') END`;

function changeConditions(f: ChangeFilters): SQL {
	const parts: SQL[] = [sql`1`];
	if (f.actor === 'system') parts.push(sql`c.actor_id IS NULL`);
	else if (f.actor !== null) parts.push(sql`c.actor_id = ${f.actor}`);
	if (f.entity !== null) parts.push(sql`c.entity = ${f.entity}`);
	if (f.from !== null) parts.push(sql`c.at >= ${startOfSuzhouDay(f.from)}`);
	if (f.to !== null) parts.push(sql`c.at <= ${endOfSuzhouDay(f.to)}`);
	if (f.itemId !== null) parts.push(sql`(${itemRecordsCondition(f.itemId)})`);
	return sql.join(parts, sql` AND `);
}

/** A change as the audit views read it (on `change_log c` joined to the `user u` who made it). */
type ChangeRow = {
	id: number;
	at: string;
	actor: string | null;
	actorLabel: string | null;
	entity: string;
	entityId: string;
	action: string;
	note: string | null;
	before: string | null;
	after: string | null;
};
const changeColumns = sql`c.id, c.at, u.display_name AS actor, c.actor_label AS actorLabel, c.entity, c.entity_id AS entityId,
	c.action, c.note, c.before, c.after`;

/** The data-change log, newest first by the time of the change, with the item each change belongs to. */
export function listChanges(db: Tx, filters: ChangeFilters, limit: number, offset: number) {
	return db
		.all<ChangeRow & { itemCode: string | null }>(
			sql`SELECT ${changeColumns}, (SELECT code FROM initiative WHERE id = ${itemOfChange}) AS itemCode
				FROM change_log c LEFT JOIN user u ON u.id = c.actor_id
				WHERE ${changeConditions(filters)}
				ORDER BY c.at DESC, c.id DESC
				LIMIT ${limit} OFFSET ${offset}`
		)
		.map(({ before, after, ...row }) => ({
			...row,
			fields: row.action === 'update' ? changedFields(JSON.parse(before ?? 'null'), JSON.parse(after ?? 'null')) : []
		}));
}

export function countChanges(db: Tx, filters: ChangeFilters = noChangeFilters): number {
	return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM change_log c WHERE ${changeConditions(filters)}`)!.n;
}

/** The people who appear in the data-change log, for its filter. */
export function changeActors(db: Tx): { id: number; name: string }[] {
	return db.all<{ id: number; name: string }>(
		sql`SELECT u.id, u.display_name AS name FROM user u WHERE EXISTS (SELECT 1 FROM change_log c WHERE c.actor_id = u.id) ORDER BY u.display_name`
	);
}

/** Every change to one item and what belongs to it, newest first: the item page's timeline. */
/**
 * The item's records in other tables. Their item never changes and they are never deleted (a
 * milestone is marked removed), so the live rows name every record whose history belongs here,
 * and the history is read through its index rather than by opening every entry.
 */
const itemRecords = [
	'milestone',
	'progress_report',
	'co_unit_contribution',
	'extension_request',
	'closure_request',
	'instruction',
	'supervision_slip',
	'attachment'
];

/** The changes of one item and of every record that belongs to it, as a condition on `change_log c`. */
function itemRecordsCondition(initiativeId: number): SQL {
	const id = String(initiativeId);
	return sql`(c.entity = 'initiative' AND c.entity_id = ${id})
		OR (c.entity = 'initiative_co_unit' AND c.entity_id >= ${id + ':'} AND c.entity_id < ${id + ';'})
		${sql.join(
			itemRecords.map(
				(table) =>
					sql`OR (c.entity = ${table} AND c.entity_id IN (SELECT CAST(id AS TEXT) FROM ${sql.identifier(table)} WHERE initiative_id = ${initiativeId}))`
			),
			sql` `
		)}`;
}

/**
 * Who reads an item's history: whether they may read its drafts (`mayReadDraft`) and its instructions
 * (`mayReadInstructions`), and the unit whose staff they are (`staffUnitOf`, null for the office,
 * leaders and administrators): they read their own unit's contributions, and only the slips addressed
 * to their unit (`mayReadSlip`).
 */
export type HistoryReader = { readsDrafts: boolean; readsInstructions: boolean; readsReviewComments: boolean; unitId: number | null };

/**
 * An item's history, newest first. A reader who may not read drafts sees that a draft was written or
 * changed, not its texts; the text of a co-unit's contribution (协办意见) is read only by the lead
 * unit and the co-unit itself (the item page shows it to everyone once the report is sent); a return
 * comment only by those who read it on the item page (`mayReadReviewComments`).
 */
export function itemHistory(
	db: Tx,
	initiativeId: number,
	limit = 300,
	reader: HistoryReader = { readsDrafts: false, readsInstructions: false, readsReviewComments: false, unitId: null }
) {
	let peopleCache: Map<number, string> | null = null;
	let unitCache: Map<number, string> | null = null;
	const people = () =>
		(peopleCache ??= new Map(
			db
				.select({ id: user.id, name: user.displayName })
				.from(user)
				.all()
				.map((u) => [u.id, u.name])
		));
	const units = () =>
		(unitCache ??= new Map(
			db
				.select({ id: unit.id, name: unit.name })
				.from(unit)
				.all()
				.map((u) => [u.id, u.name])
		));
	return db
		.all<ChangeRow>(
			sql`SELECT ${changeColumns}
				FROM change_log c LEFT JOIN user u ON u.id = c.actor_id
				WHERE ${itemRecordsCondition(initiativeId)}
				ORDER BY c.at DESC, c.id DESC
				LIMIT ${limit}`
		)
		.map(({ before, after, ...row }) => {
			const b = before ? JSON.parse(before) : null;
			const a = after ? JSON.parse(after) : null;
			if (row.entity === 'supervision_slip' && !mayReadSlip(reader.unitId, (a ?? b) as { unitId: number })) return null;
			if (row.entity === 'instruction' && !reader.readsInstructions) return null;
			const fields = row.action === 'update' ? changedFields(b, a) : [];
			const shown = (image: Record<string, unknown> | null, f: string) => withheld(row.entity, image, f) ?? named(f, image?.[f] ?? null);
			// A month's report or contribution says which month it is (the record keeps it, before and after).
			const month = (a ?? b)?.month;
			return {
				...row,
				month: typeof month === 'string' ? month : null,
				changes: fields.map((f) => ({ field: f, before: shown(b, f), after: shown(a, f) }))
			};
		})
		.filter((row) => row !== null);
	/** What stands for a field the reader may not read, or null when they may. */
	function withheld(entity: string, image: Record<string, unknown> | null, field: string) {
		if (entity === 'progress_report' && field === 'reviewComment' && !reader.readsReviewComments) return WITHHELD_COMMENT;
		if (reader.readsDrafts || !image) return null;
		if (entity === 'progress_report' && image.status === 'draft' && isDraftText(field)) return WITHHELD_VALUE;
		if (entity === 'co_unit_contribution' && field === 'opinion' && image.unitId !== reader.unitId) return WITHHELD_VALUE;
		return null;
	}
	/** Ids of people and units are shown by name. */
	function named(field: string, value: unknown): unknown {
		if (typeof value !== 'number') return value;
		if (personFields.has(field)) return people().get(value) ?? value;
		if (field === 'leadUnitId' || field === 'unitId') return units().get(value) ?? value;
		return value;
	}
}

const isDraftText = (field: string) => (draftTextFields as readonly string[]).includes(field);

const personFields = new Set([
	'registeredBy',
	'reportedBy',
	'reviewedBy',
	'decidedBy',
	'answeredBy',
	'requestedBy',
	'authorId',
	'writtenBy',
	'issuedBy',
	'repliedBy',
	'voidedBy'
]);
