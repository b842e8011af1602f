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
 * E-mails and robots are sent apart, each channel in batches of its own: a relay that answers slowly
 * holds up e-mails, never the robots (and the other way round). Every attempt has a deadline, well
 * within the lease: a relay that keeps its connection alive without ever accepting the message (a
 * tarpit, one overloaded) fails the attempt, which is tried again later, rather than holding its
 * lane for ever.
 */
import { and, eq, inArray, lte, or, sql } from 'drizzle-orm';
import { MAX_ATTEMPTS, retryDelayMinutes } from '$lib/notification-events';
import type { Db } from '../db';
import { outbox, user, webhook } from '../db/schema';
import { readSmtp } from './channels';
import { sendMail } from './email';
import { deadline } from './deadline';
import { onQueued } from './sender-signal';
import { postWebhook } from './webhook';

type OutboxRow = typeof outbox.$inferSelect;

const BATCH = 20;
/** Messages sent at once, per channel. */
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

/** Claims the messages of `channel` due at `now`: pending or failed and due, or stuck in a lease that has passed. */
function claim(db: Db, channel: Channel, now: Date): OutboxRow[] {
	const at = now.toISOString();
	return db.transaction((tx) => {
		const due = tx
			.select({ id: outbox.id })
			.from(outbox)
			.where(
				and(
					eq(outbox.channel, channel),
					or(
						and(inArray(outbox.state, ['pending', 'failed']), lte(outbox.nextAttemptAt, at)),
						and(eq(outbox.state, 'sending'), lte(outbox.leaseUntil, at))
					)
				)
			)
			.orderBy(outbox.id)
			.limit(BATCH)
			.all()
			.map((r) => r.id);
		if (!due.length) return [];
		return tx
			.update(outbox)
			.set({ state: 'sending', attempts: sql`${outbox.attempts} + 1`, leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString() })
			.where(inArray(outbox.id, due))
			.returning()
			.all()
			.sort((a, b) => a.id - b.id);
	});
}

/** A message that must not be sent at all any more: given up at once, never tried again. */
class NotToBeSent extends Error {}

/**
 * Whether an e-mail's address still belongs to someone enabled: a message queued for a person who is
 * disabled (or has given another address) before it went out is not sent (it was, at the next retry).
 * The administrator's test message goes to the address typed.
 */
function recipientGone(db: Db, row: OutboxRow): boolean {
	if (row.event === 'test') return false;
	return !db
		.select({ id: user.id })
		.from(user)
		.where(and(eq(user.email, row.target), eq(user.disabled, false)))
		.get();
}

async function deliver(db: Db, row: OutboxRow, signal: AbortSignal): Promise<void> {
	const text = `${row.body}\n\n${absoluteLink(row.link)}`;
	if (row.channel === 'email') {
		if (recipientGone(db, row)) throw new NotToBeSent('收件人已停用或已更换邮箱 (recipient disabled or address changed)');
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
function settle(db: Db, row: OutboxRow, failure: unknown, now: Date): void {
	const inHand = and(eq(outbox.id, row.id), eq(outbox.state, 'sending'));
	if (failure === null) {
		db.update(outbox).set({ state: 'sent', sentAt: now.toISOString(), leaseUntil: null, lastError: null }).where(inHand).run();
		return;
	}
	const reason = (failure instanceof Error ? failure.message : String(failure)).slice(0, 500);
	const givenUp = row.attempts >= MAX_ATTEMPTS || failure instanceof NotToBeSent;
	db.update(outbox)
		.set({
			state: givenUp ? 'given_up' : 'failed',
			leaseUntil: null,
			lastError: reason,
			nextAttemptAt: new Date(now.getTime() + retryDelayMinutes(row.attempts) * 60_000).toISOString()
		})
		.where(inHand)
		.run();
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
 * Sends what is due now, a few at a time per channel (a slow relay or a robot that does not answer
 * holds one lane, not the queue); returns how many were tried. When `stopping` says so, the rest of
 * each batch is given back; when `abort` fires, the messages in hand are broken off and given back too.
 */
export async function sendDue(
	db: Db,
	clock: () => Date = () => new Date(),
	stopping: () => boolean = () => false,
	{ channels = CHANNELS, times = TIMES, abort }: { channels?: readonly Channel[]; times?: SenderTimes; abort?: AbortSignal } = {}
): Promise<number> {
	const tried = await Promise.all(channels.map((channel) => sendChannel(db, channel, clock, stopping, times, abort)));
	return tried.reduce((a, b) => a + b, 0);
}

async function sendChannel(
	db: Db,
	channel: Channel,
	clock: () => Date,
	stopping: () => boolean,
	times: SenderTimes,
	abort: AbortSignal | undefined
): Promise<number> {
	const rows = claim(db, channel, clock());
	let next = 0;
	const brokenOff: OutboxRow[] = [];
	const lane = async () => {
		while (next < rows.length && !stopping()) {
			const row = rows[next++];
			const due = deadline(times.deadlineMs);
			let failure: unknown = null;
			try {
				await deliver(db, row, abort ? AbortSignal.any([due.signal, abort]) : due.signal);
			} catch (e) {
				failure = due.signal.aborted ? new Error(`${times.deadlineMs / 1000} 秒内未送达，稍后重试 (not delivered within the deadline)`) : e;
			} finally {
				due.clear();
			}
			// Broken off by a server stopping: given back, neither failed nor counted as an attempt.
			if (failure !== null && abort?.aborted && !due.signal.aborted) brokenOff.push(row);
			else settle(db, row, failure, clock());
		}
	};
	await Promise.all(Array.from({ length: Math.min(LANES, rows.length) }, lane));
	release(db, [...brokenOff, ...rows.slice(next)]);
	return next;
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
		const run = () => {
			if (stopped) return;
			if (running) {
				again = true;
				return;
			}
			running = (async () => {
				try {
					const send = () => sendDue(db, undefined, () => stopped, { channels: [channel], times, abort: abort.signal });
					while (!stopped && ((await send()) === BATCH || again)) again = false;
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
