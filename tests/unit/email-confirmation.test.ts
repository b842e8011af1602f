/**
 * A new e-mail address is used only once the code sent to it is typed back (email-confirmation.ts),
 * against a real SMTP server started by the test: until then notices go to the address confirmed
 * before (or stay in the app), a wrong code counts, an old code dies with a new one, and the code's
 * message goes only to an address still waiting for it.
 */
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '$lib/server/auth/sessions';
import { changeLog, emailConfirmation, outbox, user } from '$lib/server/db/schema';
import { saveSmtp } from '$lib/server/notifications/channels';
import { confirmAddress, pendingAddress, resendCode } from '$lib/server/notifications/email-confirmation';
import { notify } from '$lib/server/notifications/notify';
import { preferencesOf, savePreferences } from '$lib/server/notifications/preferences';
import { sendDue } from '$lib/server/notifications/sender';
import { seedIfEmpty } from '$lib/server/seed';
import { FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';
import { MailSink, relayAt } from '../helpers/mail-sink';
import { sessionUser } from '../helpers/people';
import { refusal } from '../helpers/refusal';

let t: TempDb;
let staff: SessionUser;
const mail = new MailSink();
let tick = 0;
/** A clock that moves two minutes a step (past the one-minute wait between codes). */
const now = () => new Date(FIXED_NOW.getTime() + tick * 120_000);
const at = () => (++tick, now().toISOString());
const ctx = () => ({ at: at(), actorId: staff.id, actor: staff });
const save = (email: string) =>
	savePreferences(t.db, staff.id, { email: email || null, events: ['report_returned'], digest: false }, ctx());
const send = () => sendDue(t.db, now);
/** The code in the last message to `to`. */
const codeSentTo = (to: string) => {
	const sent = mail.messages.filter((m) => m.to && JSON.stringify(m.to).includes(to)).at(-1);
	return /确认码：(\d{6})/.exec(sent?.text ?? '')?.[1];
};

beforeAll(async () => {
	t = tempDatabase();
	seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW });
	staff = sessionUser(t.db, 'staff');
	const port = await mail.start();
	saveSmtp(t.db, relayAt(port));
});
afterAll(async () => {
	await mail.close();
	t.close();
});

describe('a new e-mail address is used once confirmed', () => {
	it('sends a code to the new address, uses it only once the code is typed back, and says so in the history', async () => {
		t.db.update(user).set({ email: null }).where(eq(user.id, staff.id)).run();
		expect(save('jw@suzhou.example')).toBe('jw@suzhou.example');
		// Not in use yet: a notice now stays in the app.
		expect(preferencesOf(t.db, staff.id).email).toBeNull();
		expect(pendingAddress(t.db, staff.id, now().toISOString())).toMatchObject({ address: 'jw@suzhou.example', expired: false });
		await send();
		const code = codeSentTo('jw@suzhou.example')!;
		expect(code).toMatch(/^\d{6}$/);
		// The code is in the message's text, not its subject (the outbox's list shows subjects).
		const row = t.db.select().from(outbox).where(eq(outbox.target, 'jw@suzhou.example')).get()!;
		expect(row.title).not.toContain(code);
		expect(row.state).toBe('sent');

		expect(confirmAddress(t.db, staff.id, ` ${code.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))} `, ctx())).toBe(
			'jw@suzhou.example'
		);
		expect(preferencesOf(t.db, staff.id).email).toBe('jw@suzhou.example');
		expect(pendingAddress(t.db, staff.id, now().toISOString())).toBeNull();
		const logged = t.db
			.select()
			.from(changeLog)
			.where(and(eq(changeLog.entity, 'user'), eq(changeLog.entityId, String(staff.id))))
			.orderBy(desc(changeLog.id))
			.get()!;
		expect(logged.after).toMatchObject({ email: 'jw@suzhou.example' });
	});

	it('keeps sending to the confirmed address while a new one waits, and a mistyped one never receives a notice', async () => {
		expect(save('jw@suzhuo.example')).toBe('jw@suzhuo.example');
		notify(
			t.db,
			{ event: 'report_returned', key: 'confirm-test|1', title: 'ECO-01 进展被退回', body: '请补充。', link: '/', unitId: null },
			{ users: [staff.id] },
			at()
		);
		await send();
		const to = (address: string) => mail.messages.filter((m) => JSON.stringify(m.to).includes(address)).map((m) => m.subject);
		expect(to('jw@suzhou.example')).toContain('ECO-01 进展被退回');
		expect(to('jw@suzhuo.example')).not.toContain('ECO-01 进展被退回');
		expect(to('jw@suzhuo.example')).toHaveLength(1); // the code only
	});

	it('counts wrong codes and drops the address after five; a new code ends the old one; at most one a minute', async () => {
		const before = t.db.select().from(emailConfirmation).where(eq(emailConfirmation.userId, staff.id)).get()!;
		const soon = new Date(Date.parse(before.sentAt) + 30_000).toISOString();
		expect(refusal(() => resendCode(t.db, staff.id, soon)).message).toBe('确认码刚刚发出，请一分钟后再重新发送。');
		resendCode(t.db, staff.id, at());
		await send();
		const second = codeSentTo('jw@suzhuo.example')!;
		expect(mail.messages.filter((m) => JSON.stringify(m.to).includes('jw@suzhuo.example'))).toHaveLength(2);
		// One code at a time: the new one's hash replaced the old one's.
		const after = t.db.select().from(emailConfirmation).where(eq(emailConfirmation.userId, staff.id)).get()!;
		expect(after.sentAt > before.sentAt && after.attempts === 0).toBe(true);
		expect(refusal(() => confirmAddress(t.db, staff.id, '00000a', ctx())).message).toBe('确认码不正确，还可尝试 4 次。');
		for (const left of [3, 2, 1])
			expect(refusal(() => confirmAddress(t.db, staff.id, '00000a', ctx())).message).toBe(`确认码不正确，还可尝试 ${left} 次。`);
		expect(refusal(() => confirmAddress(t.db, staff.id, 'abc', ctx())).message).toContain('错误次数过多');
		expect(pendingAddress(t.db, staff.id, now().toISOString())).toBeNull();
		expect(refusal(() => confirmAddress(t.db, staff.id, second, ctx())).message).toContain('没有待确认的邮箱');
		expect(preferencesOf(t.db, staff.id).email).toBe('jw@suzhou.example');
	});

	it('does not send a code to an address given up before it went out, and a code past its day is refused', async () => {
		save('first@suzhou.example');
		save('jw@suzhou.example'); // the one in use typed back: nothing waits any more
		expect(pendingAddress(t.db, staff.id, now().toISOString())).toBeNull();
		await send();
		expect(mail.messages.some((m) => JSON.stringify(m.to).includes('first@suzhou.example'))).toBe(false);
		expect(t.db.select().from(outbox).where(eq(outbox.target, 'first@suzhou.example')).get()?.state).toBe('given_up');

		save('late@suzhou.example');
		await send();
		const code = codeSentTo('late@suzhou.example')!;
		tick += 24 * 30; // a day later
		expect(refusal(() => confirmAddress(t.db, staff.id, code, ctx())).message).toBe('确认码已过期，请重新发送确认码。');
		expect(pendingAddress(t.db, staff.id, now().toISOString())).toMatchObject({ address: 'late@suzhou.example', expired: true });
		// Saving it again sends a new code.
		expect(save('late@suzhou.example')).toBe('late@suzhou.example');
	});

	it('removes an address at once, with nothing to confirm', () => {
		expect(save('')).toBeNull();
		expect(preferencesOf(t.db, staff.id).email).toBeNull();
		expect(t.db.select().from(emailConfirmation).where(eq(emailConfirmation.userId, staff.id)).get()).toBeUndefined();
	});
});
