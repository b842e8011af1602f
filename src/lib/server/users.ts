/**
 * Accounts (用户管理): creating users, changing their role and unit, disabling them, resetting and
 * changing passwords. Every change is in the history (user rows) or the security log (passwords),
 * and ends the sessions it makes stale.
 */
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { passwordProblems, PASSWORD_MAX_LENGTH } from '$lib/password-policy';
import { userRoles } from '$lib/roles';
import { hashPassword, verifyPassword } from './auth/password';
import { recordSecurityEvent } from './auth/security-log';
import { guardedPasswordCheck, lockedUntil } from './auth/login';
import { closeFeedsOf } from './calendar-feed';
import { createSession, deleteUserSessions } from './auth/sessions';
import type { SecuritySettings } from './auth/settings';
import type { Db, Tx } from './db';
import { credential, unit, user } from './db/schema';
import { optionalId, recordIdField, secretText, text, versionField } from './forms';
import { insertTracked, updateTracked } from './history';
import { requireRole, type CommandContext } from './workflow/access';
import { expectVersion, WorkflowError } from './workflow/errors';
import { m } from '$lib/i18n';

export const usernameSchema = z
	.string({ error: () => m.login_username_missing() })
	.trim()
	.min(2, { error: () => m.username_too_short() })
	.max(32, { error: () => m.username_too_long() })
	.regex(/^[A-Za-z0-9._-]+$/, { error: () => m.username_characters() });

const password = secretText(m.password, PASSWORD_MAX_LENGTH);
const role = z.enum(userRoles, { error: () => m.role_invalid() });

const profile = {
	displayName: text(m.field_display_name, 50),
	role,
	unitId: optionalId(m.field_unit)
};

export const newUserSchema = z.object({ username: usernameSchema, password, ...profile });
export const userChangeSchema = z.object({ userId: recordIdField, version: versionField, ...profile });
export const passwordResetSchema = z.object({ userId: recordIdField, password });

export type NewUser = z.infer<typeof newUserSchema>;

/** A refusal a person can act on: `field` names the form field it belongs to. */
export class UserChangeError extends WorkflowError {}

function checkProfile(db: Tx, input: { role: string; unitId: number | null }) {
	if (input.role === 'staff' && input.unitId === null) throw new UserChangeError('unitId', m.staff_needs_unit());
	if (input.unitId !== null && !db.select({ id: unit.id }).from(unit).where(eq(unit.id, input.unitId)).get()) {
		throw new UserChangeError('unitId', m.unit_gone());
	}
}

function checkPassword(passwordText: string, username: string) {
	const problems = passwordProblems(passwordText, username);
	if (problems.length) throw new UserChangeError('password', `${problems.join(m.remark_separator())}${m.full_stop()}`);
}

export async function createUser(
	db: Db,
	input: NewUser,
	ctx: CommandContext & { address?: string | null },
	options = { mustChange: true }
) {
	requireRole(ctx.actor, 'manageUsers');
	checkPassword(input.password, input.username);
	const passwordHash = await hashPassword(input.password);
	return db.transaction((tx) => {
		checkProfile(tx, input);
		// Names that differ only in case (Staff beside staff) are one name to a person reading a log.
		if (
			tx
				.select({ id: user.id })
				.from(user)
				.where(sql`lower(${user.username}) = lower(${input.username})`)
				.get()
		) {
			throw new UserChangeError('username', m.username_taken());
		}
		const row = insertTracked(
			tx,
			user,
			{ username: input.username, displayName: input.displayName, role: input.role, unitId: input.unitId, createdAt: ctx.at },
			ctx
		);
		tx.insert(credential).values({ userId: row.id, passwordHash, mustChange: options.mustChange, changedAt: ctx.at }).run();
		recordSecurityEvent(tx, {
			kind: 'user_created',
			at: ctx.at,
			actorId: ctx.actorId,
			username: row.username,
			address: ctx.address,
			detail: { role: row.role, unitId: row.unitId }
		});
		return row;
	});
}

function activeAdmins(tx: Tx, except: number) {
	return tx
		.select({ id: user.id })
		.from(user)
		.where(and(eq(user.role, 'admin'), eq(user.disabled, false), ne(user.id, except)))
		.all().length;
}

/**
 * Ends what lets a person in without signing in again: every session, and the calendar feeds they
 * made (a feed's address is a credential too, read by calendar programs without a cookie). On
 * whatever is meant to shut a person out or to change what they may read: disabling, a new role or
 * unit, a password changed or reset (the old one may be known to someone else), a lock after
 * guesses. They make a new feed from their notification settings.
 */
function endAccess(tx: Tx, userId: number): void {
	deleteUserSessions(tx, userId);
	closeFeedsOf(tx, userId);
}

function existing(tx: Tx, userId: number) {
	const row = tx.select().from(user).where(eq(user.id, userId)).get();
	if (!row) throw new UserChangeError('userId', m.user_gone());
	return row;
}

export function updateUser(db: Db, input: z.infer<typeof userChangeSchema>, ctx: CommandContext & { address?: string | null }) {
	requireRole(ctx.actor, 'manageUsers');
	return db.transaction((tx) => {
		const before = existing(tx, input.userId);
		// Another administrator's change since the form opened (a role taken away) is not undone unseen.
		expectVersion(tx, 'user', before, input.version);
		checkProfile(tx, input);
		if (before.role === 'admin' && input.role !== 'admin' && activeAdmins(tx, before.id) === 0) {
			throw new UserChangeError('role', m.last_admin_role());
		}
		const after = updateTracked(tx, user, before.id, { displayName: input.displayName, role: input.role, unitId: input.unitId }, ctx)!;
		if (before.role !== after.role || before.unitId !== after.unitId) endAccess(tx, before.id);
		recordSecurityEvent(tx, {
			kind: 'user_updated',
			at: ctx.at,
			actorId: ctx.actorId,
			username: before.username,
			address: ctx.address,
			detail: {
				role: [before.role, after.role],
				unitId: [before.unitId, after.unitId],
				displayName: [before.displayName, after.displayName]
			}
		});
		return after;
	});
}

export function setUserDisabled(db: Db, userId: number, disabled: boolean, ctx: CommandContext & { address?: string | null }) {
	requireRole(ctx.actor, 'manageUsers');
	return db.transaction((tx) => {
		const before = existing(tx, userId);
		if (disabled && before.id === ctx.actorId) throw new UserChangeError('userId', m.cannot_disable_self());
		if (disabled && before.role === 'admin' && activeAdmins(tx, before.id) === 0) {
			throw new UserChangeError('userId', m.last_admin_disable());
		}
		updateTracked(tx, user, before.id, { disabled }, ctx);
		// Sessions end now, not at the user's next request: one not used while the account was disabled
		// worked again once it was enabled. The user learns why at the login page (right password, 账户已停用).
		if (disabled) endAccess(tx, before.id);
		recordSecurityEvent(tx, {
			kind: disabled ? 'user_disabled' : 'user_enabled',
			at: ctx.at,
			actorId: ctx.actorId,
			username: before.username,
			address: ctx.address
		});
	});
}

/**
 * An administrator lifts a lock that failed sign-ins put on an account (`auth/login.ts`): the person
 * may sign in again at once, and the failures are counted afresh. The lock is per name, so anyone can
 * lock a name by failing on purpose; this is the way back before the lock runs out. Logged.
 */
export function unlockUser(db: Db, userId: number, settings: SecuritySettings, ctx: CommandContext & { address?: string | null }) {
	requireRole(ctx.actor, 'manageUsers');
	db.transaction((tx) => {
		const target = existing(tx, userId);
		if (!lockedUntil(tx, target.username, new Date(ctx.at), settings)) throw new UserChangeError('userId', m.account_not_locked(), 409);
		recordSecurityEvent(tx, {
			kind: 'account_unlocked',
			at: ctx.at,
			actorId: ctx.actorId,
			username: target.username,
			address: ctx.address
		});
	});
}

/** An administrator sets a temporary password; the user must choose a new one at next login. */
export async function resetPassword(db: Db, userId: number, temporary: string, ctx: CommandContext & { address?: string | null }) {
	requireRole(ctx.actor, 'manageUsers');
	const target = existing(db, userId);
	checkPassword(temporary, target.username);
	const passwordHash = await hashPassword(temporary);
	db.transaction((tx) => {
		tx.update(credential).set({ passwordHash, mustChange: true, changedAt: ctx.at }).where(eq(credential.userId, userId)).run();
		endAccess(tx, userId);
		recordSecurityEvent(tx, { kind: 'password_reset', at: ctx.at, actorId: ctx.actorId, username: target.username, address: ctx.address });
	});
}

/** The current password was guessed wrong too often: the account is locked and every session ended. */
export class PasswordChangeLockedError extends Error {
	constructor(readonly minutes: number) {
		super('locked');
	}
}

/**
 * A user changes their own password, giving the current one. A wrong current password counts as a
 * failed login (a stolen session cannot be used to guess it); at the limit the account is locked and
 * every session of it ends. On success every session and calendar feed of the user ends (`endAccess`),
 * and the session returned replaces the one the change was made from (a token that was ever exposed
 * stops working).
 */
export async function changeOwnPassword(
	db: Db,
	userId: number,
	current: string,
	next: string,
	ctx: { at: string; address: string | null; userAgent: string | null },
	security: SecuritySettings
): Promise<string> {
	const target = existing(db, userId);
	const cred = db.select().from(credential).where(eq(credential.userId, userId)).get();
	if (!cred) throw new UserChangeError('currentPassword', m.current_password_wrong());
	const check = await guardedPasswordCheck(
		db,
		{ username: target.username, actorId: userId, address: ctx.address, via: 'password_change' },
		async () => ({ passed: await verifyPassword(cred.passwordHash, current) }),
		new Date(ctx.at),
		security
	);
	if (!check.ok) {
		if (check.reason === 'locked' || check.reason === 'rate_limited') {
			endAccess(db, userId);
			throw new PasswordChangeLockedError(check.minutes ?? security.lockoutMinutes);
		}
		// As the sign-in form warns: the next wrong guesses lock the account and sign it out everywhere.
		const wrong = m.current_password_wrong_lock({ attempts: security.maxFailedLogins, minutes: security.lockoutMinutes });
		throw new UserChangeError('currentPassword', check.reason === 'busy' ? m.login_busy() : wrong);
	}
	if (await verifyPassword(cred.passwordHash, next)) throw new UserChangeError('password', m.password_same());
	checkPassword(next, target.username);
	const passwordHash = await hashPassword(next);
	return db.transaction((tx) => {
		tx.update(credential).set({ passwordHash, mustChange: false, changedAt: ctx.at }).where(eq(credential.userId, userId)).run();
		endAccess(tx, userId);
		recordSecurityEvent(tx, { kind: 'password_changed', at: ctx.at, actorId: userId, username: target.username, address: ctx.address });
		return createSession(tx, userId, new Date(ctx.at), ctx);
	});
}

export function listUsers(db: Tx) {
	return db
		.select({
			id: user.id,
			username: user.username,
			displayName: user.displayName,
			role: user.role,
			unitId: user.unitId,
			unitName: unit.name,
			disabled: user.disabled,
			demo: user.demo,
			version: user.version,
			lastLoginAt: credential.lastLoginAt,
			mustChange: credential.mustChange
		})
		.from(user)
		.leftJoin(unit, eq(unit.id, user.unitId))
		.leftJoin(credential, eq(credential.userId, user.id))
		.orderBy(asc(user.role), asc(user.username))
		.all();
}

export function getUser(db: Tx, userId: number) {
	return listUsers(db).find((u) => u.id === userId) ?? null;
}
