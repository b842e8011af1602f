/**
 * The sender (发送): takes the messages due in the outbox and sends them, one batch at a time.
 * A message is claimed (`sending`, with a lease) before it is sent and marked `sent` after; a failure
 * is tried again after 1, 2, 4 … minutes and given up after MAX_ATTEMPTS, its reason kept. A crash
 * between sending and marking leaves the message `sending`: once its lease has passed it is sent
 * again (at once when the server starts again, or once its lease has passed) with the same
 * Message-ID (e-mail) or msgId (robots), so nothing is lost and a repeat is recognisable. Nothing is
 * sent twice otherwise: claiming is one UPDATE, one sender runs per server, and a server stopping
 * (SIGTERM) finishes the message in hand before the database closes, or, past a grace of a few
 * seconds, breaks it off and gives it back to be sent at the next start.
 *
 * E-mails and robots are sent apart, each channel by lanes of its own: a relay that answers slowly
 * holds up e-mails, never the robots (and the other way round). Within a channel a lane takes the
 * messages of one target (a robot, an address) at a time, in the order they were queued, and no two
 * lanes take the same target: a robot that does not answer holds one lane, for one attempt, while the
 * others go on. A target whose attempt failed rests until that message's next attempt: its other
 * messages wait with it rather than each failing in turn, and new ones for it are not taken meanwhile.
 * Every attempt has a deadline, well within the lease: a relay that keeps its connection alive without
 * ever accepting the message (a tarpit, one overloaded) fails the attempt, which is tried again later,
 * rather than holding its lane for ever.
 */
import { and, eq, inArray, lte, notInArray, or, sql } from 'drizzle-orm';
import { MAX_ATTEMPTS, retryDelayMinutes } from '$lib/notification-events';
import type { Db } from '../db';
import { outbox, user, webhook } from '../db/schema';
import { readSmtp } from './channels';
import { sendMail } from './email';
import { awaitsConfirmation } from './email-confirmation';
import { deadline } from './deadline';
import { onQueued } from './sender-signal';
import { postWebhook } from './webhook';

type OutboxRow = typeof outbox.$inferSelect;

/** The most messages of one target a lane claims at once. */
const BATCH = 20;
/** Targets sent to at once, per channel. */
const LANES = 4;
const LEASE_MS = 2 * 60_000;
const CHANNELS = outbox.channel.enumValues;
type Channel = (typeof CHANNELS)[number];

/** How long one attempt may take (within the lease, so that nothing claims the message meanwhile), and how long a stopping server waits for the messages in hand. */
export type SenderTimes = { deadlineMs: number; stopGraceMs: number };
const TIMES: SenderTimes = { deadlineMs: 45_000, stopGraceMs: 10_000 };

/** The address of a place of this application, for messages read outside it. */
export function absoluteLink(path: string, origin = process.env.ORIGIN): string {
	return origin ? new URL(path, origin).href : path;
}

/** The Message-ID of an outbox row: the same at every attempt. */
export function messageIdOf(row: Pick<OutboxRow, 'id' | 'createdAt'>, from: string): string {
	const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'localhost';
	return `<outbox-${row.id}-${Date.parse(row.createdAt)}@${domain}>`;
}

/**
 * Claims the messages of `channel` due at `now` (pending or failed and due, or stuck in a lease that has
 * passed) of one target, the one queued first among those not in `skip`: at most BATCH, oldest first.
 */
function claimOneTarget(db: Db, channel: Channel, now: Date, skip: string[]): OutboxRow[] {
	const at = now.toISOString();
	const due = and(
		eq(outbox.channel, channel),
		or(
			and(inArray(outbox.state, ['pending', 'failed']), lte(outbox.nextAttemptAt, at)),
			and(eq(outbox.state, 'sending'), lte(outbox.leaseUntil, at))
		),
		skip.length ? notInArray(outbox.target, skip) : undefined
	);
	return db.transaction((tx) => {
		const first = tx.select({ target: outbox.target }).from(outbox).where(due).orderBy(outbox.id).limit(1).get();
		if (!first) return [];
		const ids = tx
			.select({ id: outbox.id })
			.from(outbox)
			.where(and(due, eq(outbox.target, first.target)))
			.orderBy(outbox.id)
			.limit(BATCH)
			.all()
			.map((r) => r.id);
		return tx
			.update(outbox)
			.set({ state: 'sending', attempts: sql`${outbox.attempts} + 1`, leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString() })
			.where(inArray(outbox.id, ids))
			.returning()
			.all()
			.sort((a, b) => a.id - b.id);
	});
}

/**
 * Targets whose last attempt failed, per database: until when they rest (ms), by `channel|target`.
 * Resting, a target is not taken; its rest over, it is tried again, and stays a suspect until a
 * message to it goes through. Kept in memory: a restart forgets them, and their messages are tried
 * again at once, as after any restart.
 */
const failing = new WeakMap<Db, Map<string, number>>();

/** The targets of `channel` that failed last: those still resting at `now`, and those whose rest is over (suspects). */
function failingTargets(db: Db, channel: Channel, now: Date): { resting: string[]; suspects: string[] } {
	const found = { resting: [] as string[], suspects: [] as string[] };
	for (const [key, until] of failing.get(db) ?? []) {
		if (!key.startsWith(`${channel}|`)) continue;
		found[until > now.getTime() ? 'resting' : 'suspects'].push(key.slice(channel.length + 1));
	}
	return found;
}

function failed(db: Db, channel: Channel, target: string, until: Date): void {
	if (!failing.has(db)) failing.set(db, new Map());
	failing.get(db)!.set(`${channel}|${target}`, until.getTime());
}

const delivered = (db: Db, channel: Channel, target: string) => failing.get(db)?.delete(`${channel}|${target}`);

/** A message that must not be sent at all any more: given up at once, never tried again. */
class NotToBeSent extends Error {}

/**
 * Whether an e-mail may no longer go to its person: one disabled, or who has given another address,
 * or (for a notice they got as a unit's staff) who is no longer that unit's staff, since it was queued
 * (it went out at the next retry; a unit's return comment reached someone moved to another unit).
 * A confirmation code goes only to the address still waiting for it (`email-confirmation.ts`).
 * A message queued before the outbox named its person is checked by its address alone. The
 * administrator's test message goes to the address typed.
 */
function recipientGone(db: Db, row: OutboxRow, now: Date): boolean {
	if (row.event === 'test') return false;
	// A confirmation code goes to the address waiting for it, only while it still waits.
	if (row.event === 'confirm') return row.userId === null || !awaitsConfirmation(db, row.userId, row.target, now.toISOString());
	const enabled = and(eq(user.email, row.target), eq(user.disabled, false));
	if (row.userId === null) return !db.select({ id: user.id }).from(user).where(enabled).get();
	const person = db
		.select({ role: user.role, unitId: user.unitId })
		.from(user)
		.where(and(enabled, eq(user.id, row.userId)))
		.get();
	return !person || (row.unitId !== null && (person.role !== 'staff' || person.unitId !== row.unitId));
}

async function deliver(db: Db, row: OutboxRow, signal: AbortSignal, now: Date): Promise<void> {
	const text = `${row.body}\n\n${absoluteLink(row.link)}`;
	if (row.channel === 'email') {
		if (recipientGone(db, row, now))
			throw new NotToBeSent('收件人已停用、已更换邮箱或已调离该单位 (recipient disabled, address changed, or moved from the unit)');
		const smtp = readSmtp(db);
		if (!smtp) throw new Error('未设置邮件服务器 (no mail relay set)');
		await sendMail(smtp, { to: row.target, subject: row.title, text, messageId: messageIdOf(row, smtp.from) }, signal);
		return;
	}
	const hook = db
		.select()
		.from(webhook)
		.where(eq(webhook.id, Number(row.target)))
		.get();
	if (!hook) throw new Error('群机器人已删除 (webhook removed)');
	await postWebhook(
		hook,
		{
			id: row.id,
			event: row.event,
			title: row.title,
			body: row.body,
			link: absoluteLink(row.link),
			at: row.createdAt
		},
		signal
	);
}

/**
 * Records how an attempt ended, on a message still `sending`: one given up meanwhile (its robot
 * removed while the post was under way) stays given up, never tried again.
 */
function settle(db: Db, row: OutboxRow, failure: unknown, now: Date): Date | null {
	const inHand = and(eq(outbox.id, row.id), eq(outbox.state, 'sending'));
	if (failure === null) {
		db.update(outbox).set({ state: 'sent', sentAt: now.toISOString(), leaseUntil: null, lastError: null }).where(inHand).run();
		return null;
	}
	const reason = (failure instanceof Error ? failure.message : String(failure)).slice(0, 500);
	const givenUp = row.attempts >= MAX_ATTEMPTS || failure instanceof NotToBeSent;
	const next = new Date(now.getTime() + retryDelayMinutes(row.attempts) * 60_000);
	db.update(outbox)
		.set({ state: givenUp ? 'given_up' : 'failed', leaseUntil: null, lastError: reason, nextAttemptAt: next.toISOString() })
		.where(inHand)
		.run();
	return next;
}

/** Gives back claimed messages not tried (the server is stopping): due again at once, the claim undone. */
function release(db: Db, rows: OutboxRow[]): void {
	if (!rows.length) return;
	db.update(outbox)
		.set({ state: 'pending', attempts: sql`${outbox.attempts} - 1`, leaseUntil: null })
		.where(
			and(
				eq(outbox.state, 'sending'),
				inArray(
					outbox.id,
					rows.map((r) => r.id)
				)
			)
		)
		.run();
}

/**
 * Sends what is due now, a few targets at a time per channel (a slow relay or a robot that does not
 * answer holds one lane, not the queue), until nothing due is left but what rests; returns how many
 * were tried. When `stopping` says so, the messages claimed and not tried are given back; when `abort`
 * fires, the messages in hand are broken off and given back too.
 */
export async function sendDue(
	db: Db,
	clock: () => Date = () => new Date(),
	stopping: () => boolean = () => false,
	{
		channels = CHANNELS,
		times = TIMES,
		abort,
		queued
	}: { channels?: readonly Channel[]; times?: SenderTimes; abort?: AbortSignal; queued?: EventTarget } = {}
): Promise<number> {
	const tried = await Promise.all(channels.map((channel) => sendChannel(db, channel, clock, stopping, times, abort, queued)));
	return tried.reduce((a, b) => a + b, 0);
}

async function sendChannel(
	db: Db,
	channel: Channel,
	clock: () => Date,
	stopping: () => boolean,
	times: SenderTimes,
	abort: AbortSignal | undefined,
	queued: EventTarget | undefined
): Promise<number> {
	const busy = new Set<string>();
	let suspected = 0;
	let tried = 0;
	// A lane with nothing to take waits while others are busy: for one of them to finish, or for a
	// message queued meanwhile (`queued`), which it takes at once rather than after the busy ones.
	const wake = new EventTarget();
	const rouse = () => wake.dispatchEvent(new Event('wake'));
	const work = () => new Promise<void>((resolve) => wake.addEventListener('wake', () => resolve(), { once: true }));
	queued?.addEventListener('queued', rouse);
	const lane = async () => {
		while (!stopping()) {
			const now = clock();
			// Targets that failed last take at most all lanes but one: the last is kept for the others (four
			// robots that did not answer held every lane, 15 s each round of their retries).
			const { resting, suspects } = failingTargets(db, channel, now);
			const skip = [...busy, ...resting, ...(suspected >= LANES - 1 ? suspects : [])];
			const rows = claimOneTarget(db, channel, now, skip);
			if (!rows.length) {
				if (busy.size === 0) return;
				await work();
				continue;
			}
			const target = rows[0].target;
			const suspect = suspects.includes(target);
			busy.add(target);
			if (suspect) suspected++;
			let next = 0;
			try {
				while (next < rows.length && !stopping()) {
					const row = rows[next++];
					tried++;
					const due = deadline(times.deadlineMs);
					let failure: unknown = null;
					try {
						await deliver(db, row, abort ? AbortSignal.any([due.signal, abort]) : due.signal, clock());
					} catch (e) {
						failure = due.signal.aborted
							? new Error(`${times.deadlineMs / 1000} 秒内未送达，稍后重试 (not delivered within the deadline)`)
							: e;
					} finally {
						due.clear();
					}
					// Broken off by a server stopping: given back, neither failed nor counted as an attempt.
					if (failure !== null && abort?.aborted && !due.signal.aborted) {
						next--;
						tried--;
						break;
					}
					const retryAt = settle(db, row, failure, clock());
					if (failure === null) delivered(db, channel, target);
					// The target failed: it rests until this message's next attempt, its other messages with it.
					else if (retryAt && !(failure instanceof NotToBeSent)) {
						failed(db, channel, target, retryAt);
						break;
					}
				}
			} finally {
				release(db, rows.slice(next));
				busy.delete(target);
				if (suspect) suspected--;
				rouse();
			}
		}
	};
	try {
		await Promise.all(Array.from({ length: LANES }, lane));
	} finally {
		queued?.removeEventListener('queued', rouse);
	}
	return tried;
}

/**
 * Runs the sender inside the server, a loop per channel: at once when a write queues a message, and
 * every `everyMs` for retries. Returns the way to stop it: it waits for the messages in hand for
 * `times.stopGraceMs` at most, then breaks them off (given back, sent again at the next start).
 */
export function startSender(db: Db, everyMs = 15_000, times: SenderTimes = TIMES): () => Promise<void> {
	let stopped = false;
	const abort = new AbortController();
	const loops = CHANNELS.map((channel) => {
		let running: Promise<void> | null = null;
		let again = false;
		// Tells the lanes under way of a message queued: an idle one takes it at once.
		const queued = new EventTarget();
		const run = () => {
			if (stopped) return;
			if (running) {
				again = true;
				queued.dispatchEvent(new Event('queued'));
				return;
			}
			running = (async () => {
				try {
					// Until nothing due is left (but what rests), and again if a write queued more meanwhile.
					do {
						again = false;
						await sendDue(db, undefined, () => stopped, { channels: [channel], times, abort: abort.signal, queued });
					} while (!stopped && again);
				} catch (e) {
					console.error('notification sender:', e);
				} finally {
					running = null;
				}
			})();
		};
		return { run, finished: () => running };
	});
	const run = () => loops.forEach((loop) => loop.run());
	// One server sends for a database: a message still `sending` at start was being sent when the last
	// server stopped without finishing its step (a crash). It is sent again now, not after its lease.
	db.update(outbox)
		.set({ state: 'pending', leaseUntil: null, nextAttemptAt: new Date().toISOString() })
		.where(eq(outbox.state, 'sending'))
		.run();
	onQueued(run);
	const timer = setInterval(run, everyMs);
	timer.unref();
	run();
	return async () => {
		stopped = true;
		onQueued(null);
		clearInterval(timer);
		const finished = Promise.all(loops.map((loop) => loop.finished()));
		const grace = setTimeout(() => abort.abort(new Error('the server is stopping')), times.stopGraceMs);
		try {
			await finished;
		} finally {
			clearTimeout(grace);
		}
	};
}
