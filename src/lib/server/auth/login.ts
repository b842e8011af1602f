/**
 * Login with lockout and rate limiting. After `maxFailedLogins` failures in a row a username is
 * locked for `lockoutMinutes`, whether or not it exists, so the answer never tells which names are
 * real; an address with too many failures in that window is refused too.
 *
 * The limits hold under concurrency: checking a password takes an await (argon2), so each check
 * reserves its place before it starts (failures recorded plus checks in flight never exceed the
 * limit; a check beyond it waits until one under way ends) and records its failure in the same
 * synchronous step that releases the place. A session is
 * issued only after checking once more, in its transaction, that the account was not locked meanwhile.
 * The counts in flight live in this process: the server is one process by design (SQLite).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { credential, serverSecret, user } from '../db/schema';
import { decoyHash, verifyPassword } from './password';
import { recentEvents, recordSecurityEvent } from './security-log';
import { createSession } from './sessions';
import type { SecuritySettings } from './settings';

export type LoginRequest = { username: string; password: string; address: string | null; userAgent: string | null };

export type Refusal = { ok: false; reason: 'invalid' | 'locked' | 'rate_limited' | 'busy' | 'disabled'; minutes?: number };
export type LoginResult = { ok: true; token: string; userId: number; mustChangePassword: boolean } | Refusal;

function minutesAgo(now: Date, minutes: number): string {
	return new Date(now.getTime() - minutes * 60_000).toISOString();
}

/** Prefix of the security log's name for a username that no account has. */
export const UNKNOWN_USERNAME = '?';

function logKey(db: Tx): Buffer {
	const row = db.select({ value: serverSecret.value }).from(serverSecret).where(eq(serverSecret.name, 'username-log-key')).get();
	if (row) return Buffer.from(row.value, 'base64');
	const value = randomBytes(32).toString('base64');
	db.insert(serverSecret).values({ name: 'username-log-key', value }).onConflictDoNothing().run();
	return logKey(db);
}

/**
 * The name a login attempt is logged and counted under: the username when an account has it;
 * otherwise `?` and a keyed hash, so that a password typed into the username box never lands in
 * the log, while repeated attempts on the same unknown name are still counted (and locked) together.
 */
export function usernameForLog(db: Tx, typed: string): string {
	const known = db.select({ id: user.id }).from(user).where(eq(user.username, typed)).get();
	if (known) return typed;
	return UNKNOWN_USERNAME + createHmac('sha256', logKey(db)).update(typed).digest('hex').slice(0, 16);
}

/** The security events that lock a name and lift its lock: the latest of them in the window decides. */
const LOCK_EVENTS = ['account_locked', 'account_unlocked'] as const;

/** When the lock put by `latest` (a name's latest lock or lift within the window) ends, or null when the name is not locked at `now`. */
function lockEnd(latest: { kind: string; detail: unknown } | undefined, now: Date): string | null {
	if (!latest || latest.kind === 'account_unlocked') return null;
	const until = (latest.detail as { until?: string } | null)?.until ?? null;
	return until && until > now.toISOString() ? until : null;
}

/** The instant a username's current lock ends, or null when it is not locked (or an administrator lifted it since). */
export function lockedUntil(db: Tx, username: string, now: Date, settings: SecuritySettings): string | null {
	const [latest] = recentEvents(db, { username }, [...LOCK_EVENTS], minutesAgo(now, settings.lockoutMinutes));
	return lockEnd(latest, now);
}

/** Every name locked at `now`, with the end of its lock (the administrator's list of accounts shows them), read at once. */
export function lockedNames(db: Tx, now: Date, settings: SecuritySettings): Map<string, string> {
	const latest = new Map<string, string | null>();
	for (const event of recentEvents(db, {}, [...LOCK_EVENTS], minutesAgo(now, settings.lockoutMinutes)))
		if (event.username !== null && !latest.has(event.username)) latest.set(event.username, lockEnd(event, now));
	return new Map([...latest].filter((entry): entry is [string, string] => entry[1] !== null));
}

/** The refusal (logged) when `who`'s name is locked at `now`, or null. */
function refusedWhileLocked(db: Tx, who: PasswordCheck, now: Date, settings: SecuritySettings): Refusal | null {
	const until = lockedUntil(db, who.username, now, settings);
	if (!until) return null;
	recordSecurityEvent(db, {
		at: now.toISOString(),
		kind: 'login_refused_locked',
		username: who.username,
		address: who.address,
		actorId: who.actorId
	});
	return { ok: false, reason: 'locked', minutes: Math.ceil((Date.parse(until) - now.getTime()) / 60_000) };
}

/** Failures since the last success, lock or unlock, within the window. */
function failuresInARow(db: Tx, username: string, now: Date, settings: SecuritySettings): number {
	const events = recentEvents(
		db,
		{ username },
		['login_failed', 'login_succeeded', 'account_locked', 'account_unlocked'],
		minutesAgo(now, settings.lockoutMinutes)
	);
	const cut = events.findIndex((e) => e.kind !== 'login_failed');
	return cut < 0 ? events.length : cut;
}

/** How long a check waits for room under the limit before it is refused as busy. */
const MAX_WAIT_MS = 10_000;

/** Password checks under way, per username and per address (see the module's comment). */
const inFlight = new Map<string, number>();
const flying = (key: string) => inFlight.get(key) ?? 0;
function take(keys: string[], delta: 1 | -1) {
	for (const key of keys) {
		const n = flying(key) + delta;
		if (n > 0) inFlight.set(key, n);
		else inFlight.delete(key);
	}
}

export type PasswordCheck = {
	/** The name counted and logged (`usernameForLog`). */
	username: string;
	actorId: number | null;
	address: string | null;
	/** Why the check was made, kept with a failure (`login` is not written). */
	via?: 'password_change';
};

/**
 * One password check under the lockout: refused at once when the name or address is locked or
 * already at its limit; otherwise `verify` runs, and a failure is recorded (locking the name at the
 * limit) before anyone else can start a check. `verify` answers whether the check passed, and may
 * add a detail to the failure logged.
 */
export async function guardedPasswordCheck(
	db: Db,
	who: PasswordCheck,
	verify: () => Promise<{ passed: boolean; detail?: Record<string, unknown> }>,
	now: Date,
	settings: SecuritySettings
): Promise<{ ok: true } | Refusal> {
	const at = now.toISOString();
	const base = { at, username: who.username, address: who.address, actorId: who.actorId };
	const since = minutesAgo(now, settings.lockoutMinutes);
	const addressKey = who.address === null ? null : `address:${who.address}`;
	const nameKey = `name:${who.username}`;

	const keys = addressKey ? [nameKey, addressKey] : [nameKey];
	// Checks beyond the limit wait for those under way (they may succeed) rather than being refused:
	// many tabs or colleagues signing in at once are served, one batch after another.
	const deadline = Date.now() + MAX_WAIT_MS;
	for (;;) {
		// From the checks to the reservation no await: nobody else can reserve in between.
		let fromAddress = 0;
		if (addressKey) {
			fromAddress = recentEvents(db, { address: who.address! }, ['login_failed'], since).length;
			if (fromAddress >= settings.maxFailuresPerAddress) {
				recordSecurityEvent(db, { ...base, kind: 'login_rate_limited' });
				return { ok: false, reason: 'rate_limited', minutes: settings.lockoutMinutes };
			}
		}
		const locked = refusedWhileLocked(db, who, now, settings);
		if (locked) return locked;
		const full =
			failuresInARow(db, who.username, now, settings) + flying(nameKey) >= settings.maxFailedLogins ||
			(addressKey !== null && fromAddress + flying(addressKey) >= settings.maxFailuresPerAddress);
		if (!full) break;
		if (Date.now() > deadline) return { ok: false, reason: 'busy' };
		await new Promise((resolve) => setTimeout(resolve, 25));
	}

	take(keys, 1);
	let outcome: { passed: boolean; detail?: Record<string, unknown> };
	try {
		outcome = await verify();
	} finally {
		take(keys, -1);
	}
	// From here to the end no await: the failure is counted before another check can start.
	if (outcome.passed) return { ok: true };
	return db.transaction((tx) => {
		const detail = { ...(who.via ? { via: who.via } : {}), ...outcome.detail };
		recordSecurityEvent(tx, { ...base, kind: 'login_failed', detail: Object.keys(detail).length ? detail : null });
		if (failuresInARow(tx, who.username, now, settings) >= settings.maxFailedLogins) {
			const lockEnd = new Date(now.getTime() + settings.lockoutMinutes * 60_000).toISOString();
			recordSecurityEvent(tx, { ...base, kind: 'account_locked', detail: { until: lockEnd } });
			return { ok: false as const, reason: 'locked' as const, minutes: settings.lockoutMinutes };
		}
		return { ok: false as const, reason: 'invalid' as const };
	});
}

export async function attemptLogin(db: Db, typed: LoginRequest, now: Date, settings: SecuritySettings): Promise<LoginResult> {
	// The account's own spelling of the name typed in any case (STAFF for staff): names that differ only
	// in case cannot both exist (users.ts), so the name a person types as they remember it signs them in,
	// and its failures count toward that account's lockout.
	const spelled = db
		.select({ username: user.username })
		.from(user)
		.where(sql`lower(${user.username}) = lower(${typed.username})`)
		.get();
	const request = spelled ? { ...typed, username: spelled.username } : typed;
	const account = db
		.select({ id: user.id, disabled: user.disabled, hash: credential.passwordHash, mustChange: credential.mustChange })
		.from(user)
		.innerJoin(credential, eq(credential.userId, user.id))
		.where(eq(user.username, request.username))
		.get();
	const who = { username: usernameForLog(db, request.username), actorId: account?.id ?? null, address: request.address };
	let disabledButRight = false;
	const check = await guardedPasswordCheck(
		db,
		who,
		async () => {
			// The hash is checked even for unknown or disabled users, so timing tells nothing either.
			const matches = await verifyPassword(account?.hash ?? (await decoyHash()), request.password);
			disabledButRight = !!account?.disabled && matches;
			return { passed: !!account && !account.disabled && matches, detail: disabledButRight ? { disabled: true } : undefined };
		},
		now,
		settings
	);
	// Only someone who knows the password learns that the account is disabled.
	if (!check.ok) return check.reason === 'invalid' && disabledButRight ? { ok: false, reason: 'disabled' } : check;

	// A lock recorded while this password was being checked wins.
	return db.transaction((tx): LoginResult => {
		const locked = refusedWhileLocked(tx, who, now, settings);
		if (locked) return locked;
		const token = createSession(tx, account!.id, now, request);
		tx.update(credential).set({ lastLoginAt: now.toISOString() }).where(eq(credential.userId, account!.id)).run();
		recordSecurityEvent(tx, {
			at: now.toISOString(),
			kind: 'login_succeeded',
			username: who.username,
			address: who.address,
			actorId: account!.id
		});
		return { ok: true, token, userId: account!.id, mustChangePassword: account!.mustChange };
	});
}
