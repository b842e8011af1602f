/** The audit views: the data-change history with who made each change. */
import { desc, eq, sql } from 'drizzle-orm';
import type { Tx } from './db';
import { changeLog, unit, user } from './db/schema';
import { WITHHELD_VALUE } from '$lib/field-labels';
import { draftTextFields } from './workflow/access';

/** The fields whose value differs between two versions of a record. */
export function changedFields(before: unknown, after: unknown): string[] {
	const a = (before ?? {}) as Record<string, unknown>;
	const b = (after ?? {}) as Record<string, unknown>;
	const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
	return [...keys].filter((k) => k !== 'version' && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

export function listChanges(db: Tx, limit: number, offset: number) {
	return db
		.select({
			id: changeLog.id,
			at: changeLog.at,
			actor: user.displayName,
			actorLabel: changeLog.actorLabel,
			entity: changeLog.entity,
			entityId: changeLog.entityId,
			action: changeLog.action,
			note: changeLog.note,
			before: changeLog.before,
			after: changeLog.after
		})
		.from(changeLog)
		.leftJoin(user, eq(user.id, changeLog.actorId))
		.orderBy(desc(changeLog.id))
		.limit(limit)
		.offset(offset)
		.all()
		.map(({ before, after, ...row }) => ({ ...row, fields: row.action === 'update' ? changedFields(before, after) : [] }));
}

export function countChanges(db: Tx): number {
	return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM change_log`)!.n;
}

/** Every change to one item and what belongs to it, newest first: the item page's timeline. */
/**
 * The item's records in other tables. Their item never changes and they are never deleted (a
 * milestone is marked removed), so the live rows name every record whose history belongs here,
 * and the history is read through its index rather than by opening every entry.
 */
const itemRecords = ['milestone', 'progress_report', 'co_unit_contribution', 'extension_request', 'closure_request', 'instruction'];

/**
 * Who reads an item's history: whether they may read its drafts (`mayReadDraft`), and the unit whose
 * staff they are (they read their own unit's contributions).
 */
export type HistoryReader = { readsDrafts: boolean; unitId: number | null };

/**
 * An item's history, newest first. A reader who may not read drafts sees that a draft was written or
 * changed, not its texts; the text of a co-unit's contribution (协办意见) is read only by the lead
 * unit and the co-unit itself (the item page shows it to everyone once the report is sent).
 */
export function itemHistory(db: Tx, initiativeId: number, limit = 300, reader: HistoryReader = { readsDrafts: false, unitId: null }) {
	const id = String(initiativeId);
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
		.all<{
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
		}>(
			sql`SELECT c.id, c.at, u.display_name AS actor, c.actor_label AS actorLabel, c.entity, c.entity_id AS entityId,
					c.action, c.note, c.before, c.after
				FROM change_log c LEFT JOIN user u ON u.id = c.actor_id
				WHERE (c.entity = 'initiative' AND c.entity_id = ${id})
					OR (c.entity = 'initiative_co_unit' AND c.entity_id >= ${id + ':'} AND c.entity_id < ${id + ';'})
					${sql.join(
						itemRecords.map(
							(table) =>
								sql`OR (c.entity = ${table} AND c.entity_id IN (SELECT CAST(id AS TEXT) FROM ${sql.identifier(table)} WHERE initiative_id = ${initiativeId}))`
						),
						sql` `
					)}
				ORDER BY c.at DESC, c.id DESC
				LIMIT ${limit}`
		)
		.map(({ before, after, ...row }) => {
			const b = before ? JSON.parse(before) : null;
			const a = after ? JSON.parse(after) : null;
			const fields = row.action === 'update' ? changedFields(b, a) : [];
			const shown = (image: Record<string, unknown> | null, f: string) =>
				withheld(row.entity, image, f) ? WITHHELD_VALUE : named(f, image?.[f] ?? null);
			return { ...row, changes: fields.map((f) => ({ field: f, before: shown(b, f), after: shown(a, f) })) };
		});
	function withheld(entity: string, image: Record<string, unknown> | null, field: string): boolean {
		if (reader.readsDrafts || !image) return false;
		if (entity === 'progress_report') return image.status === 'draft' && isDraftText(field);
		if (entity === 'co_unit_contribution') return field === 'opinion' && image.unitId !== reader.unitId;
		return false;
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

const personFields = new Set(['reportedBy', 'reviewedBy', 'decidedBy', 'answeredBy', 'requestedBy', 'authorId', 'writtenBy']);
