/** Refusals of the workflow that a person can act on, and the optimistic-concurrency check. */
import { error } from '@sveltejs/kit';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { changeLog, user } from '../db/schema';
import { m } from '$lib/i18n';

/** A refusal tied to a form field (or `form` for the whole form), with its HTTP status. */
export class WorkflowError extends Error {
	constructor(
		readonly field: string,
		message: string,
		readonly status: 400 | 403 | 404 | 409 = 400
	) {
		super(message);
	}
}

/**
 * A record the reader may not read, answered as one that does not exist (404, the same message): a
 * 403 told another unit which ids exist (and that a draft or another unit's slip holds them).
 * `reason` is for the security log only (`readOrNotFound` writes it there).
 */
export class HiddenRecordError extends WorkflowError {
	constructor(
		message: string,
		readonly reason: string
	) {
		super('form', message, 404);
	}
}

export type FieldChange = { field: string; before: unknown; after: unknown };

/** Somebody saved the record after this form was opened: nothing is overwritten, the changes are shown. */
export class StaleVersionError extends WorkflowError {
	constructor(
		readonly changes: FieldChange[],
		readonly by: string | null,
		readonly at: string | null,
		/** The record's version now: the form offers it once the person has seen the changes. */
		readonly current: number
	) {
		super('form', m.stale_record({ by: by ?? m.someone_else() }), 409);
	}
}

/**
 * Refuses to go on when the stored row's version is not the one the form was opened at; the error
 * lists which fields changed since then and who changed them last. A form opened before the record
 * existed (`openedAt` null: another person began it meanwhile) is refused the same way, listing what
 * the other person wrote in `begunFields` (the texts a person would otherwise save over unseen).
 */
export function expectVersion(
	tx: Tx,
	entity: string,
	row: { id: number; version: number } & Record<string, unknown>,
	openedAt: number | null,
	begunFields: string[] = []
): void {
	if (row.version === openedAt) return;
	const base =
		openedAt === null
			? undefined
			: tx.get<{ after: string }>(sql`
		SELECT after FROM change_log
		WHERE entity = ${entity} AND entity_id = ${String(row.id)} AND json_extract(after, '$.version') = ${openedAt}
		ORDER BY id DESC LIMIT 1`);
	const before = base ? (JSON.parse(base.after) as Record<string, unknown>) : {};
	// A record logged before a migration added a column lacks it: the column then held null.
	const changes = (openedAt === null ? begunFields : Object.keys(row))
		.filter((k) => k !== 'version' && JSON.stringify(before[k] ?? null) !== JSON.stringify(row[k] ?? null))
		.map((field) => ({ field, before: before[field] ?? null, after: row[field] }));
	const last = lastChangeOf(tx, entity, String(row.id));
	throw new StaleVersionError(changes, last?.name ?? null, last?.at ?? null, row.version);
}

/** When a record was last changed and by whom (the name a stale form's message gives). */
export function lastChangeOf(tx: Tx, entity: string, entityId: string): { at: string; name: string | null } | undefined {
	return tx
		.select({ at: changeLog.at, name: user.displayName })
		.from(changeLog)
		.leftJoin(user, eq(user.id, changeLog.actorId))
		.where(and(eq(changeLog.entity, entity), eq(changeLog.entityId, entityId)))
		.orderBy(sql`${changeLog.id} DESC`)
		.limit(1)
		.get();
}

/** Runs `read` for a page or an endpoint: a refusal becomes the HTTP error of its status, with its message. */
export function orHttpError<T>(read: () => T): T {
	try {
		return read();
	} catch (e) {
		if (e instanceof WorkflowError) error(e.status, e.message);
		throw e;
	}
}
