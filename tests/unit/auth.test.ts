import { desc, eq } from 'drizzle-orm';
import { StaleVersionError } from '$lib/server/workflow/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordProblems } from '$lib/password-policy';
import { attemptLogin, lockedNames, lockedUntil, type LoginRequest } from '$lib/server/auth/login';
import { SESSION_COOKIE, sessionIdOf, validateSession } from '$lib/server/auth/sessions';
import { readSecuritySettings } from '$lib/server/auth/settings';
import { changeLog, credential, securityEvent, session, unit, user } from '$lib/server/db/schema';
import {
	changeOwnPassword,
	createUser,
	PasswordChangeLockedError,
	resetPassword,
	setUserDisabled,
	unlockUser,
	updateUser,
	UserChangeError
} from '$lib/server/users';
import { countRows, tempDatabase, type TempDb } from '../helpers/db';

const settings = readSecuritySettings({});
const PASSWORD = 'Correct-Horse-42';
const at = (iso: string) => new Date(iso);
const T0 = '2026-11-27T01:00:00.000Z';
const minutesAfter = (minutes: number, from = T0) => new Date(Date.parse(from) + minutes * 60_000);

let t: TempDb;
let unitId: number;
const system = { at: T0, actorId: null, actorLabel: 'test', actor: { system: 'test' } };

beforeAll(async () => {
	t = tempDatabase();
	unitId = t.db.insert(unit).values({ code: 'fgw', name: '市发展改革委', kind: 'department', position: 0 }).returning().get().id;
	await createUser(t.db, { username: 'admin1', password: PASSWORD, displayName: '管理员', role: 'admin', unitId: null }, system, {
		mustChange: false
	});
	for (const name of ['alice', 'bob', 'carol', 'dave', 'erin']) {
		await createUser(t.db, { username: name, password: PASSWORD, displayName: name, role: 'staff', unitId }, system, { mustChange: false });
	}
});
afterAll(() => t.close());

const login = (username: string, password: string, now: Date, address = '10.0.0.1') =>
	attemptLogin(t.db, { username, password, address, userAgent: 'test' } satisfies LoginRequest, now, settings);
/** The administrator as the acting user of a command. */
const asAdmin = () => ({ actorId: idOf('admin1'), actor: { id: idOf('admin1'), role: 'admin' as const, unitId: null } });
const idOf = (username: string) => t.db.select().from(user).where(eq(user.username, username)).get()!.id;
/** The version an administrator's form about `username` opens at now. */
const versionOf = (username: string) => t.db.select().from(user).where(eq(user.username, username)).get()!.version;

describe('the password policy', () => {
	it.each([
		['Correct-Horse-42', 'alice', 0],
		['short-1A', 'alice', 1],
		['alllowercaseletters', 'alice', 1],
		['lowercase-and-symbols', 'alice', 1],
		['Alice-Password-1', 'alice', 1],
		['x'.repeat(129) + 'A1-', 'alice', 1]
	])('%s for %s: %i problems', (password, username, count) => {
		expect(passwordProblems(password, username)).toHaveLength(count);
	});
});

describe('login', () => {
	it('opens a session for the right password and stores only the token hash', async () => {
		const result = await login('alice', PASSWORD, at(T0));
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const stored = t.db
			.select()
			.from(session)
			.where(eq(session.userId, idOf('alice')))
			.all();
		expect(stored.map((s) => s.id)).toContain(sessionIdOf(result.token));
		expect(stored.map((s) => s.id)).not.toContain(result.token);
		expect(SESSION_COOKIE).toBe('session');
	});

	it('signs in by the name typed in any case, and counts its failures to that account', async () => {
		const result = await login('ALICE', PASSWORD, minutesAfter(30));
		expect(result.ok && result.userId).toBe(idOf('alice'));
		expect(await login('Alice', 'wrong', minutesAfter(31))).toEqual({ ok: false, reason: 'invalid' });
		const last = t.db.select().from(securityEvent).orderBy(desc(securityEvent.id)).get()!;
		expect(last).toMatchObject({ kind: 'login_failed', username: 'alice' });
	});

	it('locks an account for 15 minutes after 5 failures, even against the right password', async () => {
		for (let i = 1; i <= 4; i++) expect(await login('bob', 'wrong', minutesAfter(i))).toEqual({ ok: false, reason: 'invalid' });
		expect(await login('bob', 'wrong', minutesAfter(5))).toMatchObject({ ok: false, reason: 'locked', minutes: 15 });
		expect(await login('bob', PASSWORD, minutesAfter(6))).toMatchObject({ ok: false, reason: 'locked', minutes: 14 });
		expect(await login('bob', PASSWORD, minutesAfter(19))).toMatchObject({ ok: false, reason: 'locked' });
		expect((await login('bob', PASSWORD, minutesAfter(21))).ok).toBe(true);
	});

	it('lets an administrator lift a lock at once (logged), after which failures are counted afresh; nobody else may', async () => {
		await createUser(t.db, { username: 'frank', password: PASSWORD, displayName: 'frank', role: 'staff', unitId }, system, {
			mustChange: false
		});
		// From an address of its own and later than the other tests: their counts are not touched.
		const FRANK = '10.9.9.9';
		const start = minutesAfter(100);
		for (let i = 0; i < 5; i++) await login('frank', 'wrong', minutesAfter(i, start.toISOString()), FRANK);
		expect(await login('frank', PASSWORD, minutesAfter(5, start.toISOString()), FRANK)).toMatchObject({ ok: false, reason: 'locked' });
		const when = (minutes: number) => minutesAfter(minutes, start.toISOString()).toISOString();
		// The list of accounts reads every lock at once, by the same rule as the account's own page.
		const lockEnd = lockedUntil(t.db, 'frank', new Date(when(6)), settings);
		expect(lockEnd).toBe(when(19));
		expect(lockedNames(t.db, new Date(when(6)), settings).get('frank')).toBe(lockEnd);
		// Not an administrator: refused, the lock stays.
		const staff = { actorId: idOf('alice'), actor: { id: idOf('alice'), role: 'staff' as const, unitId } };
		expect(() => unlockUser(t.db, idOf('frank'), settings, { ...staff, at: when(6) })).toThrow();
		unlockUser(t.db, idOf('frank'), settings, { ...asAdmin(), at: when(6) });
		const logged = t.db.select().from(securityEvent).orderBy(desc(securityEvent.id)).get()!;
		expect(logged).toMatchObject({ kind: 'account_unlocked', username: 'frank', actorId: idOf('admin1') });
		// A second unlock has nothing to lift.
		expect(() => unlockUser(t.db, idOf('frank'), settings, { ...asAdmin(), at: when(6) })).toThrow(UserChangeError);
		expect(lockedUntil(t.db, 'frank', new Date(when(6)), settings)).toBeNull();
		expect(lockedNames(t.db, new Date(when(6)), settings).has('frank')).toBe(false);
		for (let i = 7; i <= 10; i++)
			expect(await login('frank', 'wrong', minutesAfter(i, start.toISOString()), FRANK)).toEqual({ ok: false, reason: 'invalid' });
		expect((await login('frank', PASSWORD, minutesAfter(11, start.toISOString()), FRANK)).ok).toBe(true);
	});

	it('answers the same for a username that does not exist', async () => {
		const results = [];
		for (let i = 1; i <= 6; i++) results.push(await login('nobody-here', 'wrong', minutesAfter(i)));
		expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'locked', 'locked']);
	});

	it('a success resets the count of failures', async () => {
		for (let i = 1; i <= 4; i++) await login('carol', 'wrong', minutesAfter(i));
		expect((await login('carol', PASSWORD, minutesAfter(5))).ok).toBe(true);
		expect(await login('carol', 'wrong', minutesAfter(6))).toEqual({ ok: false, reason: 'invalid' });
	});

	it('rate-limits an address that fails too often, whatever the usernames', async () => {
		const from = '10.9.9.9';
		for (let i = 0; i < settings.maxFailuresPerAddress; i++) await login(`guess-${i}`, 'wrong', minutesAfter(i / 10), from);
		expect(await login('dave', PASSWORD, minutesAfter(3), from)).toMatchObject({ ok: false, reason: 'rate_limited' });
		expect((await login('dave', PASSWORD, minutesAfter(3), '10.0.0.2')).ok).toBe(true);
		expect((await login('dave', PASSWORD, minutesAfter(20), from)).ok).toBe(true);
	});

	it('evaluates at most the allowed failures when they arrive together, and issues no session once locked', async () => {
		await createUser(t.db, { username: 'hank', password: PASSWORD, displayName: 'hank', role: 'staff', unitId }, system, {
			mustChange: false
		});
		const now = minutesAfter(100);
		const attempts = Array.from({ length: 30 }, (_, i) => login('hank', i === 17 ? PASSWORD : 'wrong', now, `10.5.0.${i}`));
		const results = await Promise.all(attempts);
		const events = t.db.select().from(securityEvent).where(eq(securityEvent.username, 'hank')).all();
		expect(events.filter((e) => e.kind === 'login_failed').length).toBeLessThanOrEqual(settings.maxFailedLogins);
		const locked = events.find((e) => e.kind === 'account_locked');
		const success = events.find((e) => e.kind === 'login_succeeded');
		if (locked && success) expect(success.id).toBeLessThan(locked.id);
		expect(results.filter((r) => r.ok).length).toBeLessThanOrEqual(1);
	});

	it('serves many sign-ins of one account at once (tabs, colleagues): beyond the limit they wait, not fail', async () => {
		const results = await Promise.all(Array.from({ length: 12 }, (_, i) => login('carol', PASSWORD, minutesAfter(400), `10.6.0.${i}`)));
		expect(results.filter((r) => r.ok).length).toBe(12);
	});

	it('evaluates at most the allowed failures from one address when they arrive together', async () => {
		const from = '10.77.7.7';
		await Promise.all(Array.from({ length: 30 }, (_, i) => login(`crowd-${i}`, 'wrong', minutesAfter(200), from)));
		const failures = t.db.select().from(securityEvent).where(eq(securityEvent.address, from)).all();
		expect(failures.filter((e) => e.kind === 'login_failed').length).toBeLessThanOrEqual(settings.maxFailuresPerAddress);
	});

	it('logs a username nobody has as a tag, never as typed (it may be a password)', async () => {
		await login('Secret-Typed-In-Name-1', 'wrong', minutesAfter(300), '10.8.8.8');
		await login('Secret-Typed-In-Name-1', 'wrong', minutesAfter(301), '10.8.8.8');
		const logged = t.db.select().from(securityEvent).where(eq(securityEvent.address, '10.8.8.8')).all();
		expect(JSON.stringify(logged)).not.toContain('Secret-Typed-In-Name-1');
		expect(logged[0].username).toMatch(/^\?[0-9a-f]{16}$/);
		expect(logged[1].username).toBe(logged[0].username); // counted together for the lockout
		await login('alice', 'wrong', minutesAfter(302), '10.8.8.8');
		expect(t.db.select().from(securityEvent).where(eq(securityEvent.address, '10.8.8.8')).all().at(-1)?.username).toBe('alice');
	});

	it('tells a disabled user so only when the password is right', async () => {
		await setUserDisabled(t.db, idOf('erin'), true, { at: T0, ...asAdmin() });
		expect(await login('erin', 'wrong', at(T0))).toEqual({ ok: false, reason: 'invalid' });
		expect(await login('erin', PASSWORD, at(T0))).toMatchObject({ ok: false, reason: 'disabled' });
		await setUserDisabled(t.db, idOf('erin'), false, { at: T0, ...asAdmin() });
	});
});

describe('sessions', () => {
	async function newSession(username: string, when: string) {
		const result = await login(username, PASSWORD, at(when), '10.1.1.1');
		if (!result.ok) throw new Error(`login failed: ${result.reason}`);
		return result.token;
	}

	it('end after 30 idle minutes, and each use restarts the idle clock', async () => {
		const start = '2026-11-28T01:00:00.000Z';
		const token = await newSession('dave', start);
		expect(validateSession(t.db, token, minutesAfter(29, start), settings).state).toBe('valid');
		expect(validateSession(t.db, token, minutesAfter(58, start), settings).state).toBe('valid');
		expect(validateSession(t.db, token, minutesAfter(89, start), settings)).toMatchObject({ state: 'expired', reason: 'idle' });
		expect(validateSession(t.db, token, minutesAfter(90, start), settings).state).toBe('none');
	});

	it('end 12 hours after login however busy', async () => {
		const start = '2026-11-29T01:00:00.000Z';
		const token = await newSession('dave', start);
		for (let m = 25; m < 12 * 60; m += 25) expect(validateSession(t.db, token, minutesAfter(m, start), settings).state).toBe('valid');
		expect(validateSession(t.db, token, minutesAfter(12 * 60 + 1, start), settings)).toMatchObject({
			state: 'expired',
			reason: 'lifetime'
		});
	});

	it('of a disabled user end when the account is disabled, and stay ended once it is enabled again', async () => {
		const start = '2026-11-30T01:00:00.000Z';
		const token = await newSession('carol', start);
		await setUserDisabled(t.db, idOf('carol'), true, { at: start, ...asAdmin() });
		expect(
			t.db
				.select()
				.from(session)
				.where(eq(session.userId, idOf('carol')))
				.all()
		).toEqual([]);
		await setUserDisabled(t.db, idOf('carol'), false, { at: start, ...asAdmin() });
		// No request was made while disabled: the session must not come back with the account.
		expect(validateSession(t.db, token, minutesAfter(1, start), settings).state).toBe('none');
	});

	it('refuse unknown and absurd tokens', () => {
		expect(validateSession(t.db, 'no-such-token', at(T0), settings).state).toBe('none');
		expect(validateSession(t.db, 'x'.repeat(5000), at(T0), settings).state).toBe('none');
		expect(validateSession(t.db, undefined, at(T0), settings).state).toBe('none');
	});
});

describe('user administration', () => {
	const ctx = () => ({ at: T0, ...asAdmin() });

	it('refuses a taken username (in any case), a staff user without a unit, and a weak password, writing nothing', async () => {
		const before = countRows(t.db, user);
		for (const username of ['alice', 'Alice', 'ALICE'])
			await expect(
				createUser(t.db, { username, password: PASSWORD, displayName: 'x', role: 'leader', unitId: null }, ctx())
			).rejects.toMatchObject({ field: 'username' });
		await expect(
			createUser(t.db, { username: 'frank', password: PASSWORD, displayName: 'x', role: 'staff', unitId: null }, ctx())
		).rejects.toMatchObject({ field: 'unitId' });
		await expect(
			createUser(t.db, { username: 'frank', password: 'password', displayName: 'x', role: 'leader', unitId: null }, ctx())
		).rejects.toBeInstanceOf(UserChangeError);
		await expect(
			createUser(t.db, { username: 'frank', password: PASSWORD, displayName: 'x', role: 'staff', unitId: 9999 }, ctx())
		).rejects.toMatchObject({ field: 'unitId' });
		expect(countRows(t.db, user)).toBe(before);
	});

	it('never lets the last admin be demoted or disabled', async () => {
		const admin = idOf('admin1');
		expect(() =>
			updateUser(t.db, { userId: admin, version: versionOf('admin1'), displayName: '管理员', role: 'leader', unitId: null }, ctx())
		).toThrow(/最后一位系统管理员/);
		expect(() => setUserDisabled(t.db, admin, true, { at: T0, actorId: idOf('alice'), actor: { system: 'test' } })).toThrow(
			/最后一位系统管理员/
		);
		expect(() => setUserDisabled(t.db, admin, true, ctx())).toThrow(/不能停用自己/);
	});

	it("an administrator's form opened before another's change is refused with the change shown, never undoing it", () => {
		const opened = versionOf('dave');
		const before = t.db.select().from(user).where(eq(user.username, 'dave')).get()!;
		// Another administrator takes a role away meanwhile.
		updateUser(t.db, { userId: before.id, version: opened, displayName: before.displayName, role: 'leader', unitId: null }, ctx());
		let refusal: unknown;
		try {
			// The first fixes a name in the form opened before, which still says the old role.
			updateUser(t.db, { userId: before.id, version: opened, displayName: '戴维', role: before.role, unitId: before.unitId }, ctx());
		} catch (e) {
			refusal = e;
		}
		expect(refusal).toBeInstanceOf(StaleVersionError);
		expect((refusal as StaleVersionError).changes).toContainEqual(expect.objectContaining({ field: 'role', after: 'leader' }));
		expect(t.db.select().from(user).where(eq(user.id, before.id)).get()).toMatchObject({ role: 'leader', displayName: before.displayName });
		updateUser(
			t.db,
			{ userId: before.id, version: versionOf('dave'), displayName: before.displayName, role: before.role, unitId: before.unitId },
			ctx()
		);
	});

	it('a role change ends the sessions of the user, and is in the history and the security log', async () => {
		const token = await login('dave', PASSWORD, at('2026-12-01T01:00:00.000Z'), '10.2.2.2');
		expect(token.ok).toBe(true);
		updateUser(t.db, { userId: idOf('dave'), version: versionOf('dave'), displayName: 'dave', role: 'leader', unitId: null }, ctx());
		expect(
			t.db
				.select()
				.from(session)
				.where(eq(session.userId, idOf('dave')))
				.all()
		).toEqual([]);
		const history = t.db.select().from(changeLog).where(eq(changeLog.entity, 'user')).all();
		expect(history.some((h) => h.action === 'update' && (h.after as { role: string }).role === 'leader')).toBe(true);
		const events = t.db.select().from(securityEvent).where(eq(securityEvent.kind, 'user_updated')).all();
		expect(events.at(-1)).toMatchObject({ username: 'dave', actorId: idOf('admin1') });
	});

	it('a reset password must be changed at next login, and the old one no longer works', async () => {
		await resetPassword(t.db, idOf('alice'), 'Temporary-Pass-9', ctx());
		expect(
			t.db
				.select()
				.from(credential)
				.where(eq(credential.userId, idOf('alice')))
				.get()?.mustChange
		).toBe(true);
		expect((await login('alice', PASSWORD, at('2026-12-02T01:00:00.000Z'), '10.3.3.3')).ok).toBe(false);
		const result = await login('alice', 'Temporary-Pass-9', at('2026-12-02T01:01:00.000Z'), '10.3.3.3');
		expect(result).toMatchObject({ ok: true, mustChangePassword: true });
		const sessionId = result.ok ? sessionIdOf(result.token) : '';
		const client = { at: '2026-12-02T01:02:00.000Z', address: '10.3.3.3', userAgent: 'test' };
		await expect(changeOwnPassword(t.db, idOf('alice'), 'wrong', 'Brand-New-Pass-7', client, settings)).rejects.toMatchObject({
			field: 'currentPassword'
		});
		await expect(changeOwnPassword(t.db, idOf('alice'), 'Temporary-Pass-9', 'Temporary-Pass-9', client, settings)).rejects.toMatchObject({
			field: 'password'
		});
		const token = await changeOwnPassword(t.db, idOf('alice'), 'Temporary-Pass-9', 'Brand-New-Pass-7', client, settings);
		// The session the change was made from ends; a new token replaces it.
		const sessions = t.db
			.select()
			.from(session)
			.where(eq(session.userId, idOf('alice')))
			.all()
			.map((s) => s.id);
		expect(sessions).toEqual([sessionIdOf(token)]);
		expect(sessions).not.toContain(sessionId);
		expect(
			t.db
				.select()
				.from(credential)
				.where(eq(credential.userId, idOf('alice')))
				.get()?.mustChange
		).toBe(false);
	});

	it('a current password guessed wrong too often locks the account and ends every session', async () => {
		await createUser(t.db, { username: 'gina', password: PASSWORD, displayName: 'gina', role: 'staff', unitId }, system, {
			mustChange: false
		});
		const start = '2026-12-05T01:00:00.000Z';
		const signedIn = await login('gina', PASSWORD, at(start), '10.4.4.4');
		expect(signedIn.ok).toBe(true);
		const client = (i: number) => ({ at: minutesAfter(i, start).toISOString(), address: '10.4.4.4', userAgent: 'test' });
		for (let i = 1; i < settings.maxFailedLogins; i++) {
			await expect(changeOwnPassword(t.db, idOf('gina'), `guess-${i}`, 'Brand-New-Pass-7', client(i), settings)).rejects.toMatchObject({
				field: 'currentPassword'
			});
		}
		await expect(changeOwnPassword(t.db, idOf('gina'), 'guess-last', 'Brand-New-Pass-7', client(6), settings)).rejects.toBeInstanceOf(
			PasswordChangeLockedError
		);
		expect(
			t.db
				.select()
				.from(session)
				.where(eq(session.userId, idOf('gina')))
				.all()
		).toEqual([]);
		expect(await login('gina', PASSWORD, minutesAfter(7, start), '10.4.4.5')).toMatchObject({ ok: false, reason: 'locked' });
	});

	it('never copies a password hash into the history', () => {
		const text = JSON.stringify(t.db.select().from(changeLog).all());
		expect(text).not.toMatch(/argon2|passwordHash/);
	});

	it('keeps the security log append-only', () => {
		const client = t.db.$client;
		expect(() => client.prepare(`UPDATE security_event SET username = 'x'`).run()).toThrow(/append-only/);
		expect(() => client.prepare('DELETE FROM security_event').run()).toThrow(/append-only/);
	});

	it('refuses an administrative command to an actor without the role, whoever calls it', async () => {
		const staffActor = { at: T0, actorId: idOf('alice'), actor: { id: idOf('alice'), role: 'staff' as const, unitId } };
		expect(() => setUserDisabled(t.db, idOf('bob'), true, staffActor)).toThrow(/权限/);
		await expect(resetPassword(t.db, idOf('bob'), 'Temporary-Pass-9', staffActor)).rejects.toThrow(/权限/);
	});
});
