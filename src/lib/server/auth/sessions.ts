/**
 * Login sessions, after the Lucia guide's pattern: a random 256-bit token in an HttpOnly cookie,
 * stored only as its SHA-256, ended after an idle time and after an absolute lifetime, and ended on
 * the server at logout.
 */
import { createHash, randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { preparedOnce, type Tx } from '../db';
import { credential, session, user } from '../db/schema';
import type { SecuritySettings } from './settings';

export const SESSION_COOKIE = 'session';

/** The session cookie's attributes: HttpOnly, SameSite=Lax, Secure under https, for the session's lifetime. */
export function sessionCookie(url: URL, settings: SecuritySettings) {
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax' as const,
		secure: url.protocol === 'https:',
		maxAge: settings.sessionMaxHours * 3600
	};
}

export function newSessionToken(): string {
	return randomBytes(32).toString('base64url');
}

export function sessionIdOf(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

export function createSession(db: Tx, userId: number, now: Date, client: { address: string | null; userAgent: string | null }): string {
	const token = newSessionToken();
	const at = now.toISOString();
	db.insert(session)
		.values({
			id: sessionIdOf(token),
			userId,
			createdAt: at,
			lastSeenAt: at,
			address: client.address,
			userAgent: client.userAgent?.slice(0, 300) ?? null
		})
		.run();
	return token;
}

/** The fields of the signed-in user that pages and guards use. */
export type SessionUser = {
	id: number;
	username: string;
	displayName: string;
	role: (typeof user.$inferSelect)['role'];
	unitId: number | null;
	mustChangePassword: boolean;
};

export type SessionCheck =
	| { state: 'valid'; user: SessionUser; sessionId: string }
	| { state: 'none' }
	| { state: 'expired'; username: string; reason: 'idle' | 'lifetime' }
	| { state: 'disabled'; username: string };

/** Seen-at is written at most this often, so that reading a page rarely writes. */
const TOUCH_EVERY_MS = 60_000;

/**
 * The session with its user: every signed-in request looks it up. Only what a request uses, so that
 * serving a kept page maps no more than it reads (the whole rows took 7% of it, profiled 2026-12-01).
 */
const sessionLookup = preparedOnce((db) =>
	db
		.select({
			session: { createdAt: session.createdAt, lastSeenAt: session.lastSeenAt },
			user: {
				id: user.id,
				username: user.username,
				displayName: user.displayName,
				role: user.role,
				unitId: user.unitId,
				disabled: user.disabled
			},
			mustChange: credential.mustChange
		})
		.from(session)
		.innerJoin(user, eq(user.id, session.userId))
		.leftJoin(credential, eq(credential.userId, session.userId))
		.where(eq(session.id, sql.placeholder('id')))
		.prepare()
);

export function validateSession(db: Tx, token: string | undefined, now: Date, settings: SecuritySettings): SessionCheck {
	if (!token || token.length > 100) return { state: 'none' };
	const id = sessionIdOf(token);
	const row = sessionLookup(db).get({ id });
	if (!row) return { state: 'none' };
	const t = now.getTime();
	const idleFor = t - Date.parse(row.session.lastSeenAt);
	const age = t - Date.parse(row.session.createdAt);
	const end = (result: SessionCheck) => {
		db.delete(session).where(eq(session.id, id)).run();
		return result;
	};
	// Disabling ends the user's sessions (users.ts); this holds should a disabled user's session remain.
	if (row.user.disabled) return end({ state: 'disabled', username: row.user.username });
	if (age > settings.sessionMaxHours * 3_600_000) return end({ state: 'expired', username: row.user.username, reason: 'lifetime' });
	if (idleFor > settings.sessionIdleMinutes * 60_000) return end({ state: 'expired', username: row.user.username, reason: 'idle' });
	if (idleFor > TOUCH_EVERY_MS) db.update(session).set({ lastSeenAt: now.toISOString() }).where(eq(session.id, id)).run();
	return {
		state: 'valid',
		sessionId: id,
		user: {
			id: row.user.id,
			username: row.user.username,
			displayName: row.user.displayName,
			role: row.user.role,
			unitId: row.user.unitId,
			mustChangePassword: row.mustChange ?? false
		}
	};
}

export function deleteSession(db: Tx, sessionId: string): void {
	db.delete(session).where(eq(session.id, sessionId)).run();
}

/** Ends every session of a user: on disabling, role change and password change. */
export function deleteUserSessions(db: Tx, userId: number): void {
	db.delete(session).where(eq(session.userId, userId)).run();
}
