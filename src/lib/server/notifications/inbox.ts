/** The inbox (通知): a person's notices, newest first, and marking them read. Only their own. */
import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '../db';
import { notification } from '../db/schema';

/** How many notices the inbox shows: the latest. */
export const INBOX_SIZE = 200;

export function inboxOf(db: Tx, userId: number) {
	return db
		.select({ id: notification.id, event: notification.event, title: notification.title, body: notification.body, link: notification.link, createdAt: notification.createdAt, readAt: notification.readAt })
		.from(notification)
		.where(eq(notification.userId, userId))
		.orderBy(desc(notification.id))
		.limit(INBOX_SIZE)
		.all();
}

export function unreadCount(db: Tx, userId: number): number {
	return db.select({ n: count() }).from(notification).where(and(eq(notification.userId, userId), isNull(notification.readAt))).get()?.n ?? 0;
}

/** Marks read the person's notices among `ids` (all of theirs when null); another person's are untouched. */
export function markRead(db: Tx, userId: number, ids: number[] | null, at: string): number {
	const mine = and(eq(notification.userId, userId), isNull(notification.readAt));
	return db
		.update(notification)
		.set({ readAt: at })
		.where(ids === null ? mine : and(mine, inArray(notification.id, ids)))
		.run().changes;
}
