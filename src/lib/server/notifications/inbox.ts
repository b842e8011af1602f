/** The inbox (通知): a person's notices, newest first, and marking them read. Only their own. */
import { and, desc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { preparedOnce, type Tx } from '../db';
import { notification } from '../db/schema';

/** How many notices the inbox shows: the latest. */
export const INBOX_SIZE = 200;

export function inboxOf(db: Tx, userId: number) {
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
		.where(eq(notification.userId, userId))
		.orderBy(desc(notification.id))
		.limit(INBOX_SIZE)
		.all();
}

export function unreadCount(db: Tx, userId: number): number {
	return inboxState(db).get({ userId })?.unread ?? 0;
}

/**
 * What the page header shows of the inbox, read once by every request (the page cache keys a kept
 * page by it): the last notice and the unread count change together with anything the inbox shows
 * (both read through indexes).
 */
export function headerInbox(locals: App.Locals, db: Tx, userId: number): { last: number; unread: number } {
	if (!locals.inbox) {
		const state = inboxState(db).get({ userId });
		locals.inbox = { last: state?.last ?? 0, unread: state?.unread ?? 0 };
	}
	return locals.inbox;
}

const inboxState = preparedOnce((db) =>
	db
		.select({
			last: sql<number | null>`(SELECT max(id) FROM notification WHERE user_id = ${sql.placeholder('userId')})`,
			unread: sql<number>`(SELECT count(*) FROM notification WHERE user_id = ${sql.placeholder('userId')} AND read_at IS NULL)`
		})
		.from(sql`(SELECT 1)`)
		.prepare()
);

/** Marks read the person's notices among `ids`, or all up to the id `upTo`; another person's are untouched. */
export function markRead(db: Tx, userId: number, which: { ids: number[] } | { upTo: number }, at: string): number {
	const mine = and(eq(notification.userId, userId), isNull(notification.readAt));
	return db
		.update(notification)
		.set({ readAt: at })
		.where(and(mine, 'ids' in which ? inArray(notification.id, which.ids) : lte(notification.id, which.upTo)))
		.run().changes;
}
