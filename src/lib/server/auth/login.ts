/**
 * Login with lockout and rate limiting. After `maxFailedLogins` failures in a row a username is
 * locked for `lockoutMinutes`, whether or not it exists, so the answer never tells which names are
 * real; an address with too many failures in that window is refused too.
 */
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { credential, user } from '../db/schema';
import { decoyHash, verifyPassword } from './password';
import { recentEvents, recordSecurityEvent } from './security-log';
import { createSession } from './sessions';
import type { SecuritySettings } from './settings';

export type LoginRequest = { username: string; password: string; address: string | null; userAgent: string | null };

export type LoginResult =
	| { ok: true; token: string; userId: number; mustChangePassword: boolean }
	| { ok: false; reason: 'invalid' | 'locked' | 'rate_limited' | 'disabled'; minutes?: number };

function minutesAgo(now: Date, minutes: number): string {
	return new Date(now.getTime() - minutes * 60_000).toISOString();
}

/** The instant a username's current lock ends, or null when it is not locked. */
export function lockedUntil(db: Tx, username: string, now: Date, settings: SecuritySettings): string | null {
	const [lock] = recentEvents(db, { username }, ['account_locked'], minutesAgo(now, settings.lockoutMinutes));
	if (!lock) return null;
	const until = (lock.detail as { until?: string } | null)?.until ?? null;
	return until && until > now.toISOString() ? until : null;
}

/** Failures since the last success or lock, within the window. */
function failuresInARow(db: Tx, username: string, now: Date, settings: SecuritySettings): number {
	const events = recentEvents(
		db,
		{ username },
		['login_failed', 'login_succeeded', 'account_locked'],
		minutesAgo(now, settings.lockoutMinutes)
	);
	const cut = events.findIndex((e) => e.kind !== 'login_failed');
	return cut < 0 ? events.length : cut;
}

export async function attemptLogin(db: Db, request: LoginRequest, now: Date, settings: SecuritySettings): Promise<LoginResult> {
	const { username, address } = request;
	const at = now.toISOString();
	const base = { at, username, address };

	if (address) {
		const fromAddress = recentEvents(db, { address }, ['login_failed'], minutesAgo(now, settings.lockoutMinutes));
		if (fromAddress.length >= settings.maxFailuresPerAddress) {
			recordSecurityEvent(db, { ...base, kind: 'login_rate_limited' });
			return { ok: false, reason: 'rate_limited', minutes: settings.lockoutMinutes };
		}
	}
	const until = lockedUntil(db, username, now, settings);
	if (until) {
		recordSecurityEvent(db, { ...base, kind: 'login_refused_locked' });
		return { ok: false, reason: 'locked', minutes: Math.ceil((Date.parse(until) - now.getTime()) / 60_000) };
	}

	const account = db
		.select({ id: user.id, disabled: user.disabled, hash: credential.passwordHash, mustChange: credential.mustChange })
		.from(user)
		.innerJoin(credential, eq(credential.userId, user.id))
		.where(eq(user.username, username))
		.get();
	// The hash is checked even for unknown or disabled users, so timing tells nothing either.
	const matches = await verifyPassword(account?.hash ?? (await decoyHash()), request.password);

	if (!account || account.disabled || !matches) {
		return db.transaction((tx) => {
			recordSecurityEvent(tx, {
				...base,
				kind: 'login_failed',
				actorId: account?.id ?? null,
				detail: account?.disabled && matches ? { disabled: true } : null
			});
			if (failuresInARow(tx, username, now, settings) >= settings.maxFailedLogins) {
				const lockEnd = new Date(now.getTime() + settings.lockoutMinutes * 60_000).toISOString();
				recordSecurityEvent(tx, { ...base, kind: 'account_locked', actorId: account?.id ?? null, detail: { until: lockEnd } });
				return { ok: false as const, reason: 'locked' as const, minutes: settings.lockoutMinutes };
			}
			// Only someone who knows the password learns that the account is disabled.
			return { ok: false as const, reason: account?.disabled && matches ? ('disabled' as const) : ('invalid' as const) };
		});
	}

	return db.transaction((tx) => {
		const token = createSession(tx, account.id, now, request);
		tx.update(credential).set({ lastLoginAt: at }).where(eq(credential.userId, account.id)).run();
		recordSecurityEvent(tx, { ...base, kind: 'login_succeeded', actorId: account.id });
		return { ok: true as const, token, userId: account.id, mustChangePassword: account.mustChange };
	});
}
