/**
 * The channels' settings (/admin/notifications) saved over the version their form was opened at: two
 * administrators saving the mail relay or the reminders one after the other never replace each
 * other's change unseen (`channelVersion`, from the security log that records every change).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReminders, readSmtp } from '$lib/server/notifications/channels';
import { channelVersion, saveRelay, saveReminderSettings } from '$lib/server/notifications/admin';
import { StaleVersionError } from '$lib/server/workflow/errors';
import { seedIfEmpty } from '$lib/server/seed';
import { FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';
import { sessionUser } from '../helpers/people';
import { refusal } from '../helpers/refusal';

let t: TempDb;
let tick = 0;
let adminId: number;
const ctx = () => ({ at: new Date(FIXED_NOW.getTime() + ++tick * 60_000).toISOString(), actorId: adminId, address: null });
const relay = { host: 'smtp.suzhou.example', port: 25, secure: false, username: null, password: null, from: 'duchashi@suzhou.example' };

/** The refusal a save over a change since gives (a stale form); any other outcome fails the test. */
function staleRefusal(save: () => void): StaleVersionError {
	const error = refusal(save);
	if (error instanceof StaleVersionError) return error;
	throw error;
}

beforeAll(() => {
	t = tempDatabase();
	seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW });
	adminId = sessionUser(t.db, 'admin').id;
});
afterAll(() => t.close());

describe('the mail relay and the reminders saved over the version their form was opened at', () => {
	it('refuses a save over another administrator’s change to the relay, listing what changed, and saves once the change is seen', () => {
		expect(channelVersion(t.db, 'smtp')).toBe(0);
		// Two administrators open the form while no relay is set; the first saves.
		saveRelay(t.db, { ...relay, username: 'duchashi', password: 'first-secret' }, 0, ctx());
		const first = channelVersion(t.db, 'smtp');
		expect(first).toBeGreaterThan(0);

		const stale = staleRefusal(() => saveRelay(t.db, { ...relay, host: 'mail.suzhou.example' }, 0, ctx()));
		expect(stale.status).toBe(409);
		expect(stale.current).toBe(first);
		expect(stale.changes).toEqual(
			expect.arrayContaining([
				{ field: 'host', before: null, after: 'smtp.suzhou.example' },
				{ field: 'username', before: null, after: 'duchashi' },
				{ field: 'password', before: null, after: '已另设新密码' }
			])
		);
		expect(readSmtp(t.db)).toMatchObject({ host: 'smtp.suzhou.example', username: 'duchashi', password: 'first-secret' });

		// Seen: saved, the password the first one set kept (the field left empty keeps it).
		saveRelay(t.db, { ...relay, host: 'mail.suzhou.example', username: 'duchashi' }, first, ctx());
		expect(readSmtp(t.db)).toMatchObject({ host: 'mail.suzhou.example', username: 'duchashi', password: 'first-secret' });
		expect(channelVersion(t.db, 'smtp')).toBeGreaterThan(first);
	});

	it('refuses turning the relay off over a change since, and takes the same values saved again as no conflict', () => {
		const opened = channelVersion(t.db, 'smtp');
		saveRelay(t.db, { ...relay, host: 'mail.suzhou.example', username: 'duchashi', port: 587 }, opened, ctx());
		expect(staleRefusal(() => saveRelay(t.db, null, opened, ctx())).changes).toEqual([{ field: 'port', before: 25, after: 587 }]);
		expect(readSmtp(t.db)).not.toBeNull();
		// A form opened before a save that changed nothing it shows (the same values again).
		const before = channelVersion(t.db, 'smtp');
		saveRelay(t.db, { ...relay, host: 'mail.suzhou.example', username: 'duchashi', port: 587 }, before, ctx());
		saveRelay(t.db, null, before, ctx());
		expect(readSmtp(t.db)).toBeNull();
	});

	it('refuses a save of the reminders over a change since, from their defaults on', () => {
		saveReminderSettings(t.db, { enabled: true, time: '08:30', daysBefore: 3 }, 0, ctx());
		const stale = staleRefusal(() => saveReminderSettings(t.db, { enabled: false, time: '09:00', daysBefore: 3 }, 0, ctx()));
		expect(stale.changes).toEqual([{ field: 'time', before: '09:00', after: '08:30' }]);
		expect(readReminders(t.db)).toEqual({ enabled: true, time: '08:30', daysBefore: 3 });
		saveReminderSettings(t.db, { enabled: false, time: '08:30', daysBefore: 3 }, stale.current, ctx());
		expect(readReminders(t.db).enabled).toBe(false);
		// The relay's version is its own: a change to the reminders is no conflict for it.
		expect(channelVersion(t.db, 'smtp')).toBeLessThan(channelVersion(t.db, 'reminders'));
	});
});
