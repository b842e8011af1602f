/** The security log: append-only records of logins, lockouts and account changes. */
import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { securityEvent, user, type SecurityEventKind } from '../db/schema';

export type SecurityEventInput = {
	kind: SecurityEventKind;
	at: string;
	actorId?: number | null;
	username?: string | null;
	address?: string | null;
	detail?: Record<string, unknown> | null;
};

export function recordSecurityEvent(db: Tx, event: SecurityEventInput): void {
	db.insert(securityEvent)
		.values({
			at: event.at,
			kind: event.kind,
			actorId: event.actorId ?? null,
			username: event.username ?? null,
			address: event.address ?? null,
			detail: event.detail ?? null
		})
		.run();
}

/** The latest events of the given kinds (of a username, an address, or all), newest first, since `since`. */
export function recentEvents(db: Tx, by: { username?: string; address?: string }, kinds: SecurityEventKind[], since: string) {
	return db
		.select({ at: securityEvent.at, kind: securityEvent.kind, username: securityEvent.username, detail: securityEvent.detail })
		.from(securityEvent)
		.where(
			and(
				by.username !== undefined ? eq(securityEvent.username, by.username) : undefined,
				by.address !== undefined ? eq(securityEvent.address, by.address) : undefined,
				inArray(securityEvent.kind, kinds),
				gt(securityEvent.at, since)
			)
		)
		.orderBy(desc(securityEvent.at), desc(securityEvent.id))
		.all();
}

export function listSecurityEvents(db: Tx, limit: number, offset: number) {
	return db
		.select({
			id: securityEvent.id,
			at: securityEvent.at,
			kind: securityEvent.kind,
			username: securityEvent.username,
			address: securityEvent.address,
			detail: securityEvent.detail,
			actor: user.displayName
		})
		.from(securityEvent)
		.leftJoin(user, eq(user.id, securityEvent.actorId))
		.orderBy(desc(securityEvent.id))
		.limit(limit)
		.offset(offset)
		.all();
}

export function countSecurityEvents(db: Tx): number {
	return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM security_event`)!.n;
}
