/**
 * Keys of the read API (API 密钥): issued by the administrator with a scope (the city or one unit),
 * shown once, kept as their SHA-256, revocable. Every call is logged (`api_call`), refused or not.
 */
import { createHash, randomBytes } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { apiCall, apiToken, unit } from '../db/schema';

/** Keys look like `sz_` and 43 characters: recognisable in a leaked file, 256 bits of secret. */
const KEY = /^sz_[A-Za-z0-9_-]{43}$/;
const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

/** What a key may read: the whole city, or the items one unit leads or co-owns. */
export type ApiScope = { tokenId: number; unitId: number | null };

export function issueToken(db: Db, input: { name: string; unitId: number | null }, by: number, at: string): { key: string; id: number } {
	const key = `sz_${randomBytes(32).toString('base64url')}`;
	const row = db
		.insert(apiToken)
		.values({ name: input.name, tokenHash: hashOf(key), prefix: key.slice(0, 8), unitId: input.unitId, createdBy: by, createdAt: at })
		.returning({ id: apiToken.id })
		.get();
	return { key, id: row.id };
}

export function revokeToken(db: Db, id: number, at: string): boolean {
	return (
		db
			.update(apiToken)
			.set({ revokedAt: at })
			.where(sql`${apiToken.id} = ${id} AND ${apiToken.revokedAt} IS NULL`)
			.run().changes > 0
	);
}

/** The scope of a presented key, or null (malformed, unknown, revoked, or its unit gone). */
export function scopeOfKey(db: Tx, key: string, at: string): ApiScope | null {
	if (!KEY.test(key)) return null;
	const row = db
		.select()
		.from(apiToken)
		.where(eq(apiToken.tokenHash, hashOf(key)))
		.get();
	if (!row || row.revokedAt) return null;
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
			revokedAt: apiToken.revokedAt,
			lastUsedAt: apiToken.lastUsedAt
		})
		.from(apiToken)
		.leftJoin(unit, eq(unit.id, apiToken.unitId))
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
