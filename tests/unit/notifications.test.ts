/**
 * Notifications against real servers: an SMTP server and HTTP receivers started by the test. A
 * returned report reaches the unit's staff in the inbox, by e-mail and through the unit's DingTalk
 * robot (signed); failures are retried and given up; reminders and notices are given once.
 */
import { createHmac } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS } from '$lib/notification-events';
import { reportDueOn } from '$lib/reporting-calendar';
import type { SessionUser } from '$lib/server/auth/sessions';
import { initiative, notification, notificationPreference, outbox, progressReport, unit, user, webhook } from '$lib/server/db/schema';
import { quoted } from '$lib/chinese-quotes';
import { saveSmtp } from '$lib/server/notifications/channels';
import { inboxOf, markRead, unreadCount } from '$lib/server/notifications/inbox';
import { notify } from '$lib/server/notifications/notify';
import { addWebhook, redactedUrl, removeWebhook, webhookSchema } from '$lib/server/notifications/admin';
import { postWebhook, webhookRequest } from '$lib/server/notifications/webhook';
import { WorkflowError } from '$lib/server/workflow/errors';
import { remindUnits, runDaily } from '$lib/server/notifications/reminders';
import { sendDue, startSender } from '$lib/server/notifications/sender';
import { readRuleSettings } from '$lib/server/rule-settings';
import { seedIfEmpty } from '$lib/server/seed';
import { returnReport, saveReport } from '$lib/server/workflow/reports';
import { updateItem } from '$lib/server/workflow/items';
import { getInitiative } from '$lib/server/initiatives';
import { FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';
import { MailSink, relayAt } from '../helpers/mail-sink';
import { reportInput, sessionUser } from '../helpers/people';
import { WebhookSink } from '../helpers/webhook-sink';

const TODAY = '2026-11-27';
let t: TempDb;
let staff: SessionUser, office: SessionUser, otherStaff: SessionUser;
const mail = new MailSink();
const dingtalk = new WebhookSink();
const office_hook = new WebhookSink();
let tick = 0;
const at = () => new Date(FIXED_NOW.getTime() + ++tick * 60_000).toISOString();
const ctx = (actor: SessionUser) => ({ at: at(), actorId: actor.id, actor });
const clockAt = (iso: string) => () => new Date(iso);

const setEmail = (u: SessionUser, email: string) => t.db.update(user).set({ email }).where(eq(user.id, u.id)).run();
const outboxOf = (channel: 'email' | 'webhook') => t.db.select().from(outbox).where(eq(outbox.channel, channel)).all();

beforeAll(async () => {
	t = tempDatabase();
	seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW });
	staff = sessionUser(t.db, 'staff');
	otherStaff = sessionUser(t.db, 'staff-gxj');
	office = sessionUser(t.db, 'supervisor');
	const port = await mail.start();
	saveSmtp(t.db, relayAt(port));
	setEmail(staff, 'staff@yjj.suzhou.example');
	setEmail(otherStaff, 'staff@gxj.suzhou.example');
	setEmail(office, 'office@suzhou.example');
	const created = FIXED_NOW.toISOString();
	t.db
		.insert(webhook)
		.values({
			name: '本单位工作群',
			kind: 'dingtalk',
			url: `${await dingtalk.start()}/robot/send?access_token=abc`,
			secret: 'SECtest',
			unitId: staff.unitId,
			events: ['report_returned', 'slip_issued'],
			createdAt: created
		})
		.run();
	t.db
		.insert(webhook)
		.values({
			name: '督查室',
			kind: 'generic',
			url: `${await office_hook.start()}/hook`,
			secret: 'office-secret',
			unitId: null,
			events: ['report_returned', 'report_due'],
			createdAt: created
		})
		.run();
});
afterAll(async () => {
	t.close();
	await Promise.all([mail.close(), dingtalk.close(), office_hook.close()]);
});

/** Removes robots a test added, with their messages, so that no later test sends them. */
function removeRobots(ids: number[]) {
	for (const id of ids) {
		t.db
			.delete(outbox)
			.where(and(eq(outbox.channel, 'webhook'), eq(outbox.target, String(id))))
			.run();
		t.db.delete(webhook).where(eq(webhook.id, id)).run();
	}
}

/** A report of the staff's unit for November, as a draft ready to submit. */
function draftOfStaffUnit() {
	const drafts = t.db
		.select()
		.from(progressReport)
		.where(and(eq(progressReport.month, '2026-11'), eq(progressReport.status, 'draft')))
		.all();
	for (const d of drafts) {
		try {
			return saveReport(t.db, staff, d.initiativeId, '2026-11', reportInput({ version: d.version, submit: true }), ctx(staff), TODAY);
		} catch {
			/* not the staff's unit's */
		}
	}
	throw new Error('no draft of the staff unit');
}

describe('a returned report reaches its unit', () => {
	it('in the inbox, by e-mail and through the unit robot, signed', async () => {
		const submitted = draftOfStaffUnit();
		// A submission waits in the office's review queue (待办), not in every reviewer's inbox.
		expect(inboxOf(t.db, office)).toEqual([]);

		const unreadBefore = unreadCount(t.db, staff);
		returnReport(t.db, submitted.id, submitted.version, '请补充项目进度照片。', { ...ctx(office), actorId: office.id });
		const notice = inboxOf(t.db, staff)[0];
		expect(notice.event).toBe('report_returned');
		expect(notice.title).toMatch(/进展被退回$/);
		expect(notice.link).toBe(`/initiatives/${encodeURIComponent(notice.title.split(' ')[0])}/report/2026-11`);
		expect(notice.body).toContain('请补充项目进度照片。');
		// The item quoted as the rest of the interface quotes (“…”), its own quotes nested as ‘…’ (GB/T 15834).
		const title = t.db.select({ title: initiative.title }).from(initiative).where(eq(initiative.id, submitted.initiativeId)).get()!.title;
		expect(notice.body.startsWith(quoted(title))).toBe(true);
		expect(notice.body).not.toMatch(/[「」]/);
		expect(unreadCount(t.db, staff)).toBe(unreadBefore + 1);
		// Another unit's staff hear nothing of it.
		expect(inboxOf(t.db, otherStaff).some((n) => n.event === 'report_returned')).toBe(false);

		expect(await sendDue(t.db)).toBeGreaterThanOrEqual(3);
		const mailed = mail.messages.find((m) => m.subject === notice.title)!;
		expect(mailed.to && 'text' in mailed.to ? mailed.to.text : '').toBe('staff@yjj.suzhou.example');
		expect(mailed.text).toContain('请补充项目进度照片。');
		expect(mailed.text).toContain(notice.link);
		expect(mailed.messageId).toMatch(/^<outbox-\d+-\d+@suzhou\.example>$/);
		expect(mailed.from?.text).toContain('duchashi@suzhou.example');

		const robot = dingtalk.received.at(-1)!;
		const timestamp = robot.url.searchParams.get('timestamp')!;
		expect(robot.url.searchParams.get('access_token')).toBe('abc');
		expect(robot.url.searchParams.get('sign')).toBe(createHmac('sha256', 'SECtest').update(`${timestamp}\nSECtest`).digest('base64'));
		expect(robot.json).toMatchObject({ msgtype: 'markdown', markdown: { title: notice.title } });
		// The link in the language of the message, as its title (a Chinese group read "查看 / Open").
		expect((robot.json as { markdown: { text: string } }).markdown.text).toMatch(/\[查看详情\]\(\//);

		// The office's robot hears of every unit: its copy names the unit first.
		const unitName = t.db.select().from(unit).where(eq(unit.id, staff.unitId!)).get()!.name;
		const posted = office_hook.received.at(-1)!;
		expect(posted.json).toMatchObject({ event: 'report_returned', title: `【${unitName}】${notice.title}` });
		const signature = createHmac('sha256', 'office-secret')
			.update(`${String(posted.headers['x-timestamp'])}.${posted.body}`)
			.digest('hex');
		expect(posted.headers['x-signature']).toBe(`sha256=${signature}`);
		expect(
			outboxOf('email')
				.concat(outboxOf('webhook'))
				.every((o) => o.state === 'sent')
		).toBe(true);
	});

	it('gives a notice once, however often it is given', () => {
		const before = t.db.select().from(notification).all().length;
		const queued = t.db.select().from(outbox).all().length;
		const notice = {
			event: 'slip_issued' as const,
			key: 'slip_issued|test',
			title: '督办单 测试',
			body: '测试',
			link: '/slips',
			unitId: staff.unitId
		};
		expect(notify(t.db, notice, { staffOf: staff.unitId }, at())).toBeGreaterThan(0);
		expect(notify(t.db, notice, { staffOf: staff.unitId }, at())).toBe(0);
		const added = t.db.select().from(notification).all().length - before;
		expect(added).toBe(
			t.db
				.select()
				.from(user)
				.where(and(eq(user.unitId, staff.unitId!), eq(user.role, 'staff')))
				.all().length
		);
		// One e-mail to the staff member with an address, one post to the unit's robot; the office's robot did not ask for slips.
		expect(t.db.select().from(outbox).all().length - queued).toBe(2);
	});

	it('marks read only the reader’s own notices, and only those the page showed', () => {
		const theirs = inboxOf(t.db, staff).filter((n) => n.readAt === null);
		expect(theirs.length).toBeGreaterThan(1);
		expect(markRead(t.db, otherStaff, { ids: theirs.map((n) => n.id) }, at())).toBe(0);
		expect(unreadCount(t.db, staff)).toBe(theirs.length);
		expect(markRead(t.db, staff, { ids: [theirs[0].id] }, at())).toBe(1);
		// "All read" covers what the page showed: a notice that came since stays unread.
		const later = { event: 'slip_issued' as const, key: 'slip_issued|later', title: '后到', body: '后到', link: '/slips', unitId: null };
		expect(notify(t.db, later, { users: [staff.id] }, at())).toBe(1);
		expect(markRead(t.db, staff, { upTo: theirs[0].id }, at())).toBe(theirs.length - 1);
		expect(unreadCount(t.db, staff)).toBe(1);
		expect(inboxOf(t.db, staff)[0]).toMatchObject({ title: '后到', readAt: null });
	});
});

describe('a unit given an item (交办) or taken off it', () => {
	it('hears each time it is made lead unit or co-unit or taken off, and units the item keeps hear nothing', () => {
		const item = getInitiative(t.db, 'YRD-02', TODAY)!;
		const newCo = otherStaff.unitId!;
		expect(item.coUnitIds).not.toContain(newCo);
		const before = { co: inboxOf(t.db, otherStaff).length, lead: inboxOf(t.db, staff).length };
		const change = (coUnitIds: number[], version: number) =>
			updateItem(
				t.db,
				item.id,
				{
					version,
					title: item.title,
					themeId: item.themeId,
					leadUnitId: item.leadUnitId,
					coUnitIds,
					leader: item.leader,
					startOn: item.startOn,
					dueOn: item.dueOn
				},
				{ ...ctx(office), actorId: office.id }
			);
		change([...item.coUnitIds, newCo], item.version);
		const notice = inboxOf(t.db, otherStaff)[0];
		expect(inboxOf(t.db, otherStaff).length).toBe(before.co + 1);
		expect(notice).toMatchObject({ event: 'unit_assigned', title: 'YRD-02 本单位被列为配合单位', link: '/initiatives/YRD-02' });
		expect(inboxOf(t.db, staff).length).toBe(before.lead); // the lead unit was the lead unit already
		// Taken off: told it no longer answers for the item; given again: told again.
		change(item.coUnitIds, item.version + 1);
		expect(inboxOf(t.db, otherStaff)[0]).toMatchObject({ title: 'YRD-02 本单位不再作为配合单位', link: '/initiatives/YRD-02' });
		change([...item.coUnitIds, newCo], item.version + 2);
		expect(
			inboxOf(t.db, otherStaff)
				.map((n) => n.title)
				.slice(0, 3)
		).toEqual(['YRD-02 本单位被列为配合单位', 'YRD-02 本单位不再作为配合单位', 'YRD-02 本单位被列为配合单位']);
		change(item.coUnitIds, item.version + 3);
		expect(inboxOf(t.db, staff).length).toBe(before.lead); // the lead unit kept the item throughout
	});

	it('tells a lead unit replaced by another that it no longer answers for the item, and the new lead unit that it does', () => {
		const item = getInitiative(t.db, 'YRD-03', TODAY)!;
		const newLead = otherStaff.unitId!;
		expect(item.leadUnitId).not.toBe(newLead);
		const oldLeadStaff = t.db.select().from(user).where(eq(user.unitId, item.leadUnitId!)).get()!;
		const before = { old: inboxOf(t.db, oldLeadStaff).length, next: inboxOf(t.db, otherStaff).length };
		updateItem(
			t.db,
			item.id,
			{
				version: item.version,
				title: item.title,
				themeId: item.themeId,
				leadUnitId: newLead,
				coUnitIds: item.coUnitIds.filter((u) => u !== newLead),
				leader: item.leader,
				startOn: item.startOn,
				dueOn: item.dueOn,
				handOverDrafts: true
			},
			{ ...ctx(office), actorId: office.id }
		);
		expect(inboxOf(t.db, oldLeadStaff).length).toBe(before.old + 1);
		expect(inboxOf(t.db, oldLeadStaff)[0]).toMatchObject({ event: 'unit_assigned', title: 'YRD-03 本单位不再作为牵头单位' });
		expect(inboxOf(t.db, otherStaff).length).toBe(before.next + 1);
		expect(inboxOf(t.db, otherStaff)[0]).toMatchObject({ title: 'YRD-03 本单位被列为牵头单位' });
	});
});

describe('delivery', () => {
	it('retries a refused message with back-off, keeps the reason, and gives up after the last attempt', async () => {
		await sendDue(t.db);
		mail.refusing = true;
		const start = '2026-11-27T03:00:00.000Z';
		notify(
			t.db,
			{ event: 'slip_issued', key: 'slip_issued|retry', title: '重试测试', body: '测试', link: '/slips', unitId: null },
			{ users: [staff.id] },
			start
		);
		const row = () => t.db.select().from(outbox).where(eq(outbox.key, 'slip_issued|retry')).get()!;
		await sendDue(t.db, clockAt(start));
		expect(row()).toMatchObject({ state: 'failed', attempts: 1, nextAttemptAt: '2026-11-27T03:01:00.000Z' });
		expect(row().lastError).toMatch(/451/);
		expect(await sendDue(t.db, clockAt('2026-11-27T03:00:30.000Z'))).toBe(0); // not yet due
		let now = Date.parse(row().nextAttemptAt);
		for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
			await sendDue(t.db, clockAt(new Date(now).toISOString()));
			expect(row().attempts).toBe(attempt);
			now = Date.parse(row().nextAttemptAt);
		}
		expect(row().state).toBe('given_up');
		expect(await sendDue(t.db, clockAt('2027-01-01T00:00:00.000Z'))).toBe(0);
		mail.refusing = false;
	});

	it("keeps a robot's address free of credentials and its failures free of what an address that is no robot answered", async () => {
		const form = (over: Record<string, string>) => {
			const data = new FormData();
			for (const [k, v] of Object.entries({
				name: '群',
				kind: 'dingtalk',
				url: 'https://oapi.dingtalk.com/robot/send?access_token=t',
				secret: '',
				unitId: '',
				...over
			}))
				data.set(k, v);
			data.append('events', 'slip_issued');
			return Object.fromEntries([...data.keys()].map((k) => [k, k === 'events' ? data.getAll(k) : data.get(k)]));
		};
		expect(webhookSchema.safeParse(form({})).success).toBe(true);
		const credentials = webhookSchema.safeParse(form({ url: 'https://user:p4ssw0rd@robot.example/send' }));
		expect(credentials.success).toBe(false);
		expect(JSON.stringify(credentials.error?.issues)).toContain('不能含用户名或密码');
		// A garbled unit never makes a unit's robot the office's (which hears every unit).
		expect(webhookSchema.safeParse(form({ unitId: '01x' })).success).toBe(false);
		const unknownUnit = webhookSchema.parse(form({ unitId: '99999' }));
		expect(() => addWebhook(t.db, unknownUnit, { at: at(), actorId: office.id, address: null })).toThrow(WorkflowError);
		expect(redactedUrl('https://user:pw@robot.example/send?access_token=abc')).toBe('https://…@robot.example/send?access_token=…');

		const inside = new WebhookSink();
		inside.answer = { status: 415, body: { type: 'error', message: '内部系统的页面内容' } };
		const url = await inside.start();
		try {
			const send = (kind: 'generic' | 'dingtalk') =>
				postWebhook({ kind, url, secret: null }, { id: 1, event: 'slip_issued', title: 't', body: 'b', link: '/', at: at() });
			await expect(send('generic')).rejects.toThrow(/^HTTP 415$/);
			inside.answer = { status: 200, body: '<html>内部系统的页面内容</html>' };
			const refusal = await send('dingtalk').catch((e: Error) => e.message);
			expect(refusal).toMatch(/not a robot's answer|errcode/);
			expect(refusal).not.toContain('内部系统');
			inside.answer = { status: 500, body: { stack: '内部系统的错误页' } };
			expect(await send('dingtalk').catch((e: Error) => e.message)).toBe('HTTP 500');
		} finally {
			await inside.close();
		}
	});

	it('does not hold the e-mails behind a robot that is slow to answer', async () => {
		await sendDue(t.db);
		const slow = new WebhookSink();
		slow.delayMs = 2000;
		const url = await slow.start();
		try {
			const hook = t.db
				.insert(webhook)
				.values({ name: '慢', kind: 'generic', url, secret: null, unitId: null, events: ['slip_issued'], createdAt: at() })
				.returning()
				.get();
			// First in the queue: a post to the slow robot alone; then an e-mail (and its post).
			const slip = (key: string, title: string) => ({
				event: 'slip_issued' as const,
				key,
				title,
				body: '测试',
				link: '/slips',
				unitId: null
			});
			notify(t.db, slip('slip_issued|slow-first', '先到'), {}, at());
			notify(t.db, slip('slip_issued|slow', '慢机器人'), { users: [staff.id] }, at());
			const started = Date.now();
			const sending = sendDue(t.db);
			await expect.poll(() => mail.messages.some((m) => m.subject === '慢机器人'), { timeout: 1500, interval: 20 }).toBe(true);
			expect(Date.now() - started).toBeLessThan(1500);
			await sending;
			expect(slow.received.length).toBe(2);
			t.db.delete(webhook).where(eq(webhook.id, hook.id)).run();
		} finally {
			await slow.close();
		}
	});

	it('sends the robots while the relay holds an e-mail, and breaks the e-mail off at its deadline to try it again later', async () => {
		await sendDue(t.db);
		const robot = new WebhookSink();
		const url = await robot.start();
		// A relay that reads the message and keeps the connection without accepting it (a tarpit, one overloaded).
		mail.acceptDelayMs = 3000;
		try {
			const hook = t.db
				.insert(webhook)
				.values({ name: '不等邮件', kind: 'generic', url, secret: null, unitId: null, events: ['slip_issued'], createdAt: at() })
				.returning()
				.get();
			const notice = {
				event: 'slip_issued' as const,
				key: 'slip_issued|held-mail',
				title: '邮件服务器迟迟不收',
				body: '测试',
				link: '/slips',
				unitId: null
			};
			notify(t.db, notice, { users: [staff.id] }, at());
			const started = Date.now();
			const sending = sendDue(t.db, undefined, undefined, { times: { deadlineMs: 1000, stopGraceMs: 100 } });
			await expect.poll(() => robot.received.some((r) => r.body.includes('邮件服务器迟迟不收')), { timeout: 900, interval: 20 }).toBe(true);
			await sending;
			expect(Date.now() - started).toBeLessThan(2500);
			const held = outboxOf('email').find((r) => r.key === 'slip_issued|held-mail');
			expect(held).toMatchObject({ state: 'failed', attempts: 1, lastError: expect.stringContaining('未送达') });
			t.db.delete(webhook).where(eq(webhook.id, hook.id)).run();
		} finally {
			mail.acceptDelayMs = 0;
			await robot.close();
		}
	});

	it('breaks off at its deadline a robot that answers at once and then trickles its body', async () => {
		await sendDue(t.db, clockAt('2027-01-01T00:00:00.000Z'));
		const robot = new WebhookSink();
		robot.trickleMs = 100;
		const url = await robot.start();
		try {
			const hook = t.db
				.insert(webhook)
				.values({ name: '滴答', kind: 'dingtalk', url, secret: null, unitId: null, events: ['slip_issued'], createdAt: at() })
				.returning()
				.get();
			const notice = {
				event: 'slip_issued' as const,
				key: 'slip_issued|trickle',
				title: '机器人答复不完',
				body: '测试',
				link: '/slips',
				unitId: null
			};
			notify(t.db, notice, {}, at());
			const started = Date.now();
			await sendDue(t.db, undefined, undefined, { channels: ['webhook'], times: { deadlineMs: 800, stopGraceMs: 100 } });
			expect(Date.now() - started).toBeLessThan(2000);
			expect(robot.received.length).toBe(1);
			expect(outboxOf('webhook').find((r) => r.key === 'slip_issued|trickle')).toMatchObject({
				state: 'failed',
				lastError: expect.stringContaining('未送达')
			});
			t.db.delete(webhook).where(eq(webhook.id, hook.id)).run();
		} finally {
			await robot.close();
		}
	});

	it('sends every other robot its messages, in order, while one robot does not answer, and rests that one', async () => {
		await sendDue(t.db, clockAt('2027-01-01T00:00:00.000Z'));
		const dead = new WebhookSink();
		dead.delayMs = 60_000;
		const healthy = new WebhookSink();
		const [deadUrl, healthyUrl] = await Promise.all([dead.start(), healthy.start()]);
		const robots: number[] = [];
		try {
			// The dead robot added first: its message of each notice is queued before the healthy one's.
			for (const [name, url] of [
				['不应答', deadUrl],
				['正常', healthyUrl]
			])
				robots.push(
					t.db
						.insert(webhook)
						.values({ name, kind: 'generic', url, secret: null, unitId: null, events: ['slip_issued'], createdAt: at() })
						.returning()
						.get().id
				);
			for (let i = 1; i <= 12; i++)
				notify(
					t.db,
					{ event: 'slip_issued', key: `slip_issued|dead-${i}`, title: `第${i}条`, body: '测试', link: '/slips', unitId: null },
					{},
					at()
				);
			const times = { deadlineMs: 300, stopGraceMs: 100 };
			await sendDue(t.db, undefined, undefined, { channels: ['webhook'], times });
			// One attempt on the robot that does not answer; every message to the other, in the order queued.
			expect(healthy.received.map((r) => (r.json as { title: string }).title)).toEqual(
				Array.from({ length: 12 }, (_, i) => `第${i + 1}条`)
			);
			expect(dead.received).toHaveLength(1);
			const toDead = outboxOf('webhook').filter((r) => r.target === String(robots[0]));
			expect(toDead.map((r) => [r.state, r.attempts])).toEqual([['failed', 1], ...Array.from({ length: 11 }, () => ['pending', 0])]);
			// Resting until that message's next attempt: nothing of it is tried meanwhile.
			expect(await sendDue(t.db, undefined, undefined, { channels: ['webhook'], times })).toBe(0);
			expect(dead.received).toHaveLength(1);
		} finally {
			removeRobots(robots);
			await Promise.all([dead.close(), healthy.close()]);
		}
	});

	it('keeps a lane for messages never tried while robots that do not answer are tried again', async () => {
		await sendDue(t.db, clockAt('2027-01-01T00:00:00.000Z'));
		const dead = Array.from({ length: 4 }, () => Object.assign(new WebhookSink(), { delayMs: 60_000 }));
		const healthy = new WebhookSink();
		const robots: number[] = [];
		const robot = async (name: string, sink: WebhookSink) =>
			robots.push(
				t.db
					.insert(webhook)
					.values({ name, kind: 'generic', url: await sink.start(), secret: null, unitId: null, events: ['slip_issued'], createdAt: at() })
					.returning()
					.get().id
			);
		try {
			for (const [i, sink] of dead.entries()) await robot(`不应答${i}`, sink);
			const notice = (key: string) => ({ event: 'slip_issued' as const, key, title: key, body: '测试', link: '/slips', unitId: null });
			const times = { deadlineMs: 300, stopGraceMs: 100 };
			notify(t.db, notice('slip_issued|round-1'), {}, at());
			await sendDue(t.db, undefined, undefined, { channels: ['webhook'], times });
			expect(dead.map((d) => d.received.length)).toEqual([1, 1, 1, 1]);
			// Their retries are due; a robot that answers is added and hears of a notice queued after them.
			await robot('正常', healthy);
			notify(t.db, notice('slip_issued|round-2'), {}, at());
			let deadTriedFirst = -1;
			const push = healthy.received.push.bind(healthy.received);
			healthy.received.push = (...got) => {
				deadTriedFirst = dead.reduce((n, d) => n + d.received.length, 0) - 4;
				return push(...got);
			};
			await sendDue(t.db, clockAt('2027-01-01T01:00:00.000Z'), undefined, { channels: ['webhook'], times });
			expect(healthy.received.map((r) => (r.json as { title: string }).title)).toEqual(['slip_issued|round-2']);
			// Not behind the four: at most three lanes took robots being tried again before it was sent.
			expect(deadTriedFirst).toBeLessThan(4);
		} finally {
			removeRobots(robots);
			await Promise.all([...dead, healthy].map((s) => s.close()));
		}
	});

	it('posts a unit’s words to the group robots as plain text: no link, picture or heading of theirs, only the message’s own link', () => {
		const typed =
			'已完成。\n\n[点此查看整改材料](http://evil.example/login)\n\n![img](http://evil.example/t.png)\n# 紧急通知 <font color=red>系统</font>';
		const message = {
			id: 9,
			event: 'instruction_answered',
			title: 'YRD-01 批示已回复',
			body: `市发展改革委回复：${typed}`,
			link: 'http://127.0.0.1/initiatives/YRD-01',
			at: at()
		};
		for (const kind of ['dingtalk', 'wecom'] as const) {
			const { init } = webhookRequest({ kind, url: 'http://robot.example/send', secret: null }, message);
			const posted = JSON.stringify(JSON.parse(String(init.body)));
			expect(posted).toContain('［点此查看整改材料］（http://evil.example/login）');
			expect(posted).toContain('！［img］');
			expect(posted).toContain('＃ 紧急通知 ＜font color＝red＞');
			expect(posted.match(/\]\(/g)).toHaveLength(1); // the message's own link, to the item
			expect(posted).toContain('](http://127.0.0.1/initiatives/YRD-01)');
		}
	});

	it('leaves given up a message whose robot was removed while the post was under way', async () => {
		await sendDue(t.db, clockAt('2027-01-01T00:00:00.000Z'));
		const slow = new WebhookSink();
		slow.delayMs = 800;
		const url = await slow.start();
		try {
			const hook = t.db
				.insert(webhook)
				.values({ name: '将删除', kind: 'generic', url, secret: null, unitId: null, events: ['slip_issued'], createdAt: at() })
				.returning()
				.get();
			const notice = {
				event: 'slip_issued' as const,
				key: 'slip_issued|removed',
				title: '机器人删除时在途',
				body: '测试',
				link: '/slips',
				unitId: null
			};
			notify(t.db, notice, {}, at());
			const row = () => outboxOf('webhook').find((r) => r.key === 'slip_issued|removed' && r.target === String(hook.id));
			const sending = sendDue(t.db, undefined, undefined, { channels: ['webhook'] });
			await expect.poll(() => slow.received.length, { timeout: 1000, interval: 20 }).toBe(1);
			removeWebhook(t.db, hook.id, { at: at(), actorId: office.id, address: null });
			await sending;
			expect(row()).toMatchObject({ state: 'given_up', lastError: expect.stringContaining('已删除') });
		} finally {
			await slow.close();
		}
	});

	it('stops within its grace while the relay holds an e-mail, giving the message back to be sent at the next start', async () => {
		await sendDue(t.db, clockAt('2027-01-01T00:00:00.000Z'));
		mail.acceptDelayMs = 5000;
		const stop = startSender(t.db, 60_000, { deadlineMs: 30_000, stopGraceMs: 300 });
		try {
			const notice = {
				event: 'slip_issued' as const,
				key: 'slip_issued|stopping',
				title: '停机时在途的邮件',
				body: '测试',
				link: '/slips',
				unitId: null
			};
			notify(t.db, notice, { users: [staff.id] }, at());
			const row = () => outboxOf('email').find((r) => r.key === 'slip_issued|stopping');
			await expect.poll(() => row()?.state, { timeout: 2000, interval: 20 }).toBe('sending');
			await new Promise((resolve) => setTimeout(resolve, 300)); // the message is at the relay, waiting for its answer
			const started = Date.now();
			await stop();
			expect(Date.now() - started).toBeLessThan(1500);
			expect(row()).toMatchObject({ state: 'pending', attempts: 0, lastError: null });
		} finally {
			mail.acceptDelayMs = 0;
		}
	});

	it('never sends a queued e-mail to a person disabled before it went out', async () => {
		notify(
			t.db,
			{ event: 'slip_issued', key: 'slip_issued|disabled', title: '停用前排队的邮件', body: '测试', link: '/slips', unitId: null },
			{ users: [staff.id] },
			at()
		);
		t.db.update(user).set({ disabled: true }).where(eq(user.id, staff.id)).run();
		try {
			await sendDue(t.db, clockAt('2026-11-27T05:00:00.000Z'));
			expect(mail.messages.some((m) => m.subject === '停用前排队的邮件')).toBe(false);
			expect(t.db.select().from(outbox).where(eq(outbox.key, 'slip_issued|disabled')).get()).toMatchObject({
				state: 'given_up',
				lastError: expect.stringContaining('停用')
			});
		} finally {
			t.db.update(user).set({ disabled: false }).where(eq(user.id, staff.id)).run();
		}
	});

	it('keeps a unit’s notices from a person moved to another unit or role: not in their inbox, their queued e-mail not sent', async () => {
		const unitNotice = {
			event: 'slip_issued' as const,
			key: 'slip_issued|moved',
			title: '调离前的本单位通知',
			body: '机密退回意见',
			link: '/slips'
		};
		notify(t.db, { ...unitNotice, unitId: staff.unitId }, { staffOf: staff.unitId }, at());
		// Given to them in person (not as the unit's staff): theirs wherever they go.
		notify(
			t.db,
			{ event: 'slip_issued', key: 'slip_issued|in-person', title: '本人的通知', body: '测试', link: '/slips', unitId: null },
			{ users: [staff.id] },
			at()
		);
		const titles = (reader: SessionUser) => inboxOf(t.db, reader).map((n) => n.title);
		expect(titles(staff)).toEqual(expect.arrayContaining(['调离前的本单位通知', '本人的通知']));
		const unread = unreadCount(t.db, staff);
		const unitNoticeId = inboxOf(t.db, staff).find((n) => n.title === '调离前的本单位通知')!.id;
		try {
			for (const moved of [
				{ ...staff, unitId: otherStaff.unitId },
				{ ...staff, role: 'leader' as const }
			]) {
				t.db.update(user).set({ unitId: moved.unitId, role: moved.role }).where(eq(user.id, staff.id)).run();
				expect(titles(moved)).not.toContain('调离前的本单位通知');
				expect(titles(moved)).toContain('本人的通知');
				expect(unreadCount(t.db, moved)).toBeLessThan(unread);
				expect(unreadCount(t.db, moved)).toBe(inboxOf(t.db, moved).filter((n) => n.readAt === null).length);
				expect(markRead(t.db, moved, { ids: [unitNoticeId] }, at())).toBe(0);
			}
			await sendDue(t.db, clockAt('2026-11-27T05:00:00.000Z'));
			expect(mail.messages.some((m) => m.subject === '调离前的本单位通知')).toBe(false);
			expect(mail.messages.some((m) => m.subject === '本人的通知')).toBe(true);
			expect(t.db.select().from(outbox).where(eq(outbox.key, 'slip_issued|moved')).get()).toMatchObject({
				state: 'given_up',
				lastError: expect.stringContaining('调离')
			});
		} finally {
			t.db.update(user).set({ unitId: staff.unitId, role: staff.role }).where(eq(user.id, staff.id)).run();
		}
		// Back on the unit's staff, the unit's notice is theirs again.
		expect(titles(staff)).toContain('调离前的本单位通知');
	});

	it('sends again a message whose sender stopped mid-way, once its lease has passed', async () => {
		notify(
			t.db,
			{ event: 'slip_issued', key: 'slip_issued|lease', title: '中断测试', body: '测试', link: '/slips', unitId: null },
			{ users: [staff.id] },
			at()
		);
		// As a sender that claimed it and died before marking it.
		t.db
			.update(outbox)
			.set({ state: 'sending', attempts: 1, leaseUntil: '2026-11-27T04:00:00.000Z' })
			.where(eq(outbox.key, 'slip_issued|lease'))
			.run();
		expect(await sendDue(t.db, clockAt('2026-11-27T03:59:00.000Z'))).toBe(0);
		const count = mail.messages.length;
		expect(await sendDue(t.db, clockAt('2026-11-27T04:00:00.000Z'))).toBe(1);
		expect(mail.messages.length).toBe(count + 1);
		expect(t.db.select().from(outbox).where(eq(outbox.key, 'slip_issued|lease')).get()).toMatchObject({ state: 'sent', attempts: 2 });
	});
});

describe('daily reminders (系统催报)', () => {
	const due = () => reportDueOn('2026-12', readRuleSettings(t.db).reportDueDay);
	const day = (offset: number) => {
		const d = new Date(`${due()}T00:00:00Z`);
		d.setUTCDate(d.getUTCDate() + offset);
		return d.toISOString().slice(0, 10);
	};
	const nine = (date: string) => `${date}T01:00:00.000Z`;

	it('reminds each owing unit once before the due day, and weekly after it', () => {
		const december = (event: string) => inboxOf(t.db, staff).filter((n) => n.event === event && n.title.startsWith('2026年12月'));
		remindUnits(t.db, day(-5), nine(day(-5)));
		expect(december('report_due')).toHaveLength(0); // too early (3 days before by default)
		expect(remindUnits(t.db, day(-3), nine(day(-3)))).toBeGreaterThan(0);
		expect(remindUnits(t.db, day(-3), nine(day(-3)))).toBe(0); // a restart at 9:00
		remindUnits(t.db, day(-1), nine(day(-1)));
		expect(december('report_due')).toHaveLength(1); // reminded already this month
		const notice = december('report_due')[0];
		expect(notice.title).toBe('2026年12月进展报送提醒');
		expect(notice.body).toMatch(/^本单位尚有 \d+ 项重点任务的2026年12月进展未报送，截止日期为2026年12月25日。$/);
		for (const offset of [1, 2, 3, 8, 9, 15]) remindUnits(t.db, day(offset), nine(day(offset)));
		expect(december('report_overdue')).toHaveLength(3); // the day after, then weekly
		expect(december('report_overdue')[0].title).toBe('2026年12月进展报送已逾期');
		// The server off on the first day of a week: the next day's run makes it up, once.
		for (const offset of [23, 24, 26]) remindUnits(t.db, day(offset), nine(day(offset)));
		expect(december('report_overdue')).toHaveLength(4);
	});

	it('sends a daily digest instead of single e-mails to those who chose it', async () => {
		t.db
			.insert(notificationPreference)
			.values({ userId: otherStaff.id, emailEvents: ['slip_issued'], digest: true })
			.run();
		const before = outboxOf('email').filter((o) => o.target === 'staff@gxj.suzhou.example').length;
		const start = '2026-12-20T01:00:00.000Z';
		notify(
			t.db,
			{ event: 'slip_issued', key: 'slip_issued|digest', title: '摘要测试', body: '测试', link: '/slips', unitId: null },
			{ users: [otherStaff.id] },
			start
		);
		expect(outboxOf('email').filter((o) => o.target === 'staff@gxj.suzhou.example').length).toBe(before);
		const ran = runDaily(t.db, new Date('2026-12-21T00:59:00.000Z'));
		expect(ran.digests).toBeGreaterThan(0);
		const digest = outboxOf('email').find((o) => o.target === 'staff@gxj.suzhou.example' && o.event === 'digest')!;
		expect(digest.body).toContain('· 摘要测试');
		expect(runDaily(t.db, new Date('2026-12-21T00:59:30.000Z')).digests).toBe(0); // run again: nothing new since
		expect(outboxOf('email').filter((o) => o.target === 'staff@gxj.suzhou.example' && o.event === 'digest')).toHaveLength(1);
		await sendDue(t.db, clockAt('2026-12-21T01:00:00.000Z'));
		expect(mail.messages.some((m) => m.subject === '每日通知汇总（2026年12月21日）')).toBe(true);

		// A notice just after a run, then a run late the next day (the server was off at the time): the
		// digest covers everything since the run before, not the 24 hours before it.
		notify(
			t.db,
			{ event: 'slip_issued', key: 'slip_issued|digest-gap', title: '运行后的通知', body: '测试', link: '/slips', unitId: null },
			{ users: [otherStaff.id] },
			'2026-12-21T00:59:31.000Z'
		);
		runDaily(t.db, new Date('2026-12-22T06:00:00.000Z'));
		const late = outboxOf('email').filter((o) => o.target === 'staff@gxj.suzhou.example' && o.event === 'digest');
		expect(late).toHaveLength(2);
		expect(late[1].body).toContain('· 运行后的通知');
		expect(late[1].body).not.toContain('· 摘要测试');
	});
});
