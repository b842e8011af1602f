/**
 * Keys of the read API (API 密钥): issued by the administrator with a scope (the city or one unit),
 * shown once, kept as their SHA-256, revocable. Every call is logged (`api_call`), refused or not.
 */
import { createHash, randomBytes } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { apiCall, apiToken, unit, user } from '../db/schema';
import { recordSecurityEvent } from '../auth/security-log';
import { WorkflowError } from '../workflow/errors';
import { m } from '$lib/i18n';
import { addYearsToDate, endOfSuzhouDay, formatDate, suzhouToday, type CalendarDate } from '$lib/dates';

/** Keys look like `sz_` and 43 characters: recognisable in a leaked file, 256 bits of secret. */
const KEY = /^sz_[A-Za-z0-9_-]{43}$/;
const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

/** What a key may read: the whole city, or the items one unit leads or co-owns. */
export type ApiScope = { tokenId: number; unitId: number | null };

/** Who issues or revokes a key, when and from where: the security log records it with the change. */
export type KeyChange = { actorId: number; at: string; address: string | null };

/** A key opens the API for at most this many years: a key handed to another system is renewed, not kept for ever. */
export const KEY_YEARS_MAX = 3;
/** The expiry a new key is offered: a year from its issue. */
export const keyExpiryOffered = (today: CalendarDate) => addYearsToDate(today, 1);

/**
 * Issues a key for the city (`unitId` null) or one unit, valid to the end of `expiresOn` (after today,
 * within `KEY_YEARS_MAX` years); a unit that does not exist is refused, never widened to the city.
 */
export function issueToken(
	db: Db,
	input: { name: string; unitId: number | null; expiresOn: CalendarDate },
	ctx: KeyChange
): { key: string; id: number } {
	const key = `sz_${randomBytes(32).toString('base64url')}`;
	const today = suzhouToday(new Date(ctx.at));
	const latest = addYearsToDate(today, KEY_YEARS_MAX);
	if (input.expiresOn <= today || input.expiresOn > latest)
		throw new WorkflowError('expiresOn', m.api_token_expiry_range({ latest: formatDate(latest) }));
	return db.transaction((tx) => {
		const { unitId, expiresOn } = input;
		if (unitId !== null && !tx.select({ id: unit.id }).from(unit).where(eq(unit.id, unitId)).get())
			throw new WorkflowError('unitId', m.unit_gone());
		const row = tx
			.insert(apiToken)
			.values({
				name: input.name,
				tokenHash: hashOf(key),
				prefix: key.slice(0, 8),
				unitId,
				createdBy: ctx.actorId,
				createdAt: ctx.at,
				expiresOn
			})
			.returning({ id: apiToken.id })
			.get();
		recordSecurityEvent(tx, {
			kind: 'api_keys_changed',
			...ctx,
			detail: { apiTokenIssued: { id: row.id, name: input.name, unitId, expiresOn } }
		});
		return { key, id: row.id };
	});
}

/**
 * Revokes the key `id`; a key revoked already stays so (a second click changes nothing), and one that
 * was never issued is refused rather than reported revoked.
 */
export function revokeToken(db: Db, id: number, ctx: KeyChange): boolean {
	return db.transaction((tx) => {
		if (!tx.select({ id: apiToken.id }).from(apiToken).where(eq(apiToken.id, id)).get())
			throw new WorkflowError('form', m.api_token_not_found(), 404);
		const revoked = tx
			.update(apiToken)
			.set({ revokedAt: ctx.at })
			.where(sql`${apiToken.id} = ${id} AND ${apiToken.revokedAt} IS NULL`)
			.returning({ name: apiToken.name })
			.get();
		if (revoked) recordSecurityEvent(tx, { kind: 'api_keys_changed', ...ctx, detail: { apiTokenRevoked: { id, name: revoked.name } } });
		return !!revoked;
	});
}

/** The scope of a presented key, or null (malformed, unknown, revoked, past its last day, or its unit gone). */
export function scopeOfKey(db: Tx, key: string, at: string): ApiScope | null {
	if (!KEY.test(key)) return null;
	const row = db
		.select()
		.from(apiToken)
		.where(eq(apiToken.tokenHash, hashOf(key)))
		.get();
	if (!row || row.revokedAt) return null;
	if (row.expiresOn !== null && at > endOfSuzhouDay(row.expiresOn)) return null;
	// Noted at most once a minute: a busy client does not write on every call.
	if (!row.lastUsedAt || Date.parse(row.lastUsedAt) < Date.parse(at) - 60_000)
		db.update(apiToken).set({ lastUsedAt: at }).where(eq(apiToken.id, row.id)).run();
	return { tokenId: row.id, unitId: row.unitId };
}

export function listTokens(db: Tx) {
	return db
		.select({
			id: apiToken.id,
			name: apiToken.name,
			prefix: apiToken.prefix,
			unitId: apiToken.unitId,
			unitName: unit.name,
			createdAt: apiToken.createdAt,
			/** Who issued it: a key is the system's that calls the API, and outlives its issuer's account; the office knows whom to ask. */
			issuedBy: user.displayName,
			revokedAt: apiToken.revokedAt,
			lastUsedAt: apiToken.lastUsedAt,
			expiresOn: apiToken.expiresOn
		})
		.from(apiToken)
		.leftJoin(unit, eq(unit.id, apiToken.unitId))
		.leftJoin(user, eq(user.id, apiToken.createdBy))
		.orderBy(desc(apiToken.id))
		.all();
}

export type CallRecord = {
	at: string;
	tokenId: number | null;
	method: string;
	path: string;
	status: number;
	address: string | null;
	ms: number;
};

export function logCall(db: Tx, call: CallRecord): void {
	db.insert(apiCall).values(call).run();
}

export function recentCalls(db: Tx, limit = 100) {
	return db
		.select({
			at: apiCall.at,
			method: apiCall.method,
			path: apiCall.path,
			status: apiCall.status,
			address: apiCall.address,
			ms: apiCall.ms,
			token: apiToken.name,
			prefix: apiToken.prefix
		})
		.from(apiCall)
		.leftJoin(apiToken, eq(apiToken.id, apiCall.tokenId))
		.orderBy(desc(apiCall.id))
		.limit(limit)
		.all();
}
