/**
 * The inbox (通知): a person's notices, newest first, and marking them read. Only their own, and of
 * those they got as a unit's staff only while they are still its staff: moved to another unit (or to
 * another role), its notices (a return's comment, a slip) are no longer theirs to read.
 */
import { and, desc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { preparedOnce, type Tx } from '../db';
import { notification } from '../db/schema';

/** How many notices the inbox shows: the latest. */
export const INBOX_SIZE = 200;

/** Who reads an inbox: the signed-in person as the session has them. */
export type Reader = { id: number; role: string; unitId: number | null };

/** The unit whose notices the reader still gets: theirs while they are its staff, none otherwise. */
export const staffUnitOf = (reader: Reader): number | null => (reader.role === 'staff' ? reader.unitId : null);

/** The reader's own notices that are still theirs to read (`notify.ts` records the unit each was got as). */
export function noticesOf(reader: Reader) {
	const unit = staffUnitOf(reader);
	return and(
		eq(notification.userId, reader.id),
		unit === null ? isNull(notification.unitId) : or(isNull(notification.unitId), eq(notification.unitId, unit))
	);
}

export function inboxOf(db: Tx, reader: Reader) {
	return db
		.select({
			id: notification.id,
			event: notification.event,
			title: notification.title,
			body: notification.body,
			link: notification.link,
			createdAt: notification.createdAt,
			readAt: notification.readAt
		})
		.from(notification)
		.where(noticesOf(reader))
		.orderBy(desc(notification.id))
		.limit(INBOX_SIZE)
		.all();
}

export function unreadCount(db: Tx, reader: Reader): number {
	return inboxState(db).get({ userId: reader.id, unitId: staffUnitOf(reader) })?.unread ?? 0;
}

/**
 * What the page header shows of the inbox, read once by every request (the page cache keys a kept
 * page by it): the last notice and the unread count change together with anything the inbox shows
 * (both read through indexes).
 */
export function headerInbox(locals: App.Locals, db: Tx, reader: Reader): { last: number; unread: number } {
	if (!locals.inbox) {
		const state = inboxState(db).get({ userId: reader.id, unitId: staffUnitOf(reader) });
		locals.inbox = { last: state?.last ?? 0, unread: state?.unread ?? 0 };
	}
	return locals.inbox;
}

// `unit_id = NULL` is never true: a reader who is no unit's staff sees only what was given them in person.
const stillTheirs = sql`(unit_id IS NULL OR unit_id = ${sql.placeholder('unitId')})`;
const inboxState = preparedOnce((db) =>
	db
		.select({
			last: sql<number | null>`(SELECT max(id) FROM notification WHERE user_id = ${sql.placeholder('userId')} AND ${stillTheirs})`,
			unread: sql<number>`(SELECT count(*) FROM notification WHERE user_id = ${sql.placeholder('userId')} AND read_at IS NULL AND ${stillTheirs})`
		})
		.from(sql`(SELECT 1)`)
		.prepare()
);

/** Marks read the reader's notices among `ids`, or all up to the id `upTo`; another person's are untouched. */
export function markRead(db: Tx, reader: Reader, which: { ids: number[] } | { upTo: number }, at: string): number {
	const mine = and(noticesOf(reader), isNull(notification.readAt));
	return db
		.update(notification)
		.set({ readAt: at })
		.where(and(mine, 'ids' in which ? inArray(notification.id, which.ids) : lte(notification.id, which.upTo)))
		.run().changes;
}
