import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, keyExpiryOffered, revokeToken, scopeOfKey } from '$lib/server/api/tokens';
import { apiToken, securityEvent, user } from '$lib/server/db/schema';
import { seedIfEmpty } from '$lib/server/seed';
import { WorkflowError } from '$lib/server/workflow/errors';
import { FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';
import { refusal } from '../helpers/refusal';
import { m } from '$lib/i18n';

let t: TempDb;
let adminId: number;
// 2026-11-30 10:00 in Suzhou.
const AT = '2026-11-30T02:00:00.000Z';
beforeAll(() => {
	t = tempDatabase();
	seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW });
	adminId = t.db.select().from(user).where(eq(user.username, 'admin')).get()!.id;
});
afterAll(() => t.close());

const change = (at = AT) => ({ actorId: adminId, at, address: null });

describe('keys of the read API', () => {
	it('open the API to the end of their last day (Suzhou time), and not a moment after', () => {
		const { key } = issueToken(t.db, { name: '城市大屏', unitId: null, expiresOn: '2027-01-31' }, change());
		expect(scopeOfKey(t.db, key, AT)).toMatchObject({ unitId: null });
		// 23:59 on 31 January in Suzhou is 15:59 UTC; a minute past midnight there is 16:01 UTC.
		expect(scopeOfKey(t.db, key, '2027-01-31T15:59:00.000Z')).not.toBeNull();
		expect(scopeOfKey(t.db, key, '2027-01-31T16:01:00.000Z')).toBeNull();
		expect(t.db.select().from(apiToken).where(eq(apiToken.name, '城市大屏')).get()?.expiresOn).toBe('2027-01-31');
	});

	it('are issued for a day after today and at most three years on; a year is offered', () => {
		expect(keyExpiryOffered('2026-11-30')).toBe('2027-11-30');
		expect(keyExpiryOffered('2028-02-29')).toBe('2029-02-28');
		for (const expiresOn of ['2026-11-30', '2026-11-01', '2029-12-01'])
			expect(() => issueToken(t.db, { name: `过期 ${expiresOn}`, unitId: null, expiresOn }, change())).toThrow(WorkflowError);
		expect(
			t.db
				.select()
				.from(apiToken)
				.all()
				.filter((k) => k.name.startsWith('过期'))
		).toEqual([]);
		expect(() => issueToken(t.db, { name: '三年', unitId: null, expiresOn: '2029-11-30' }, change())).not.toThrow();
	});

	it('issued before keys expired keep opening the API until revoked; the security log names each expiry', () => {
		const { key, id } = issueToken(t.db, { name: '旧系统', unitId: null, expiresOn: '2027-11-30' }, change());
		t.db.update(apiToken).set({ expiresOn: null }).where(eq(apiToken.id, id)).run();
		expect(scopeOfKey(t.db, key, '2040-01-01T00:00:00.000Z')).not.toBeNull();
		expect(revokeToken(t.db, id, change())).toBe(true);
		expect(scopeOfKey(t.db, key, AT)).toBeNull();
		// Revoked again, it stays so and nothing more is logged; a key never issued is refused, not "revoked".
		expect(revokeToken(t.db, id, change())).toBe(false);
		expect(refusal(() => revokeToken(t.db, 99_999, change()))).toMatchObject({ status: 404, message: m.api_token_not_found() });
		const issued = t.db
			.select()
			.from(securityEvent)
			.all()
			.map((e) => (e.detail as { apiTokenIssued?: unknown } | null)?.apiTokenIssued)
			.filter(Boolean);
		expect(issued).toContainEqual(expect.objectContaining({ name: '旧系统', expiresOn: '2027-11-30' }));
	});
});
