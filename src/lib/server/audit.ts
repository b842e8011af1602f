/** The audit views: the data-change history with who made each change. */
import { desc, eq, sql } from 'drizzle-orm';
import type { Tx } from './db';
import { changeLog, user } from './db/schema';

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
