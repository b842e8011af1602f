/**
 * Notifications: a backlog of messages in the outbox (e-mails to a real SMTP server, posts to a real
 * HTTP receiver, both started here) is sent while the server is stopped (SIGTERM) and killed
 * (SIGKILL) at random moments and started again. Nothing may be lost. A graceful stop finishes the
 * message in hand, so it may not repeat one; a kill can land between the relay taking a message and
 * the server marking it sent, and that message is then sent again with the same Message-ID / msgId,
 * so that a receiver can drop the repeat: counted and published, not hidden.
 */
import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { openDatabase } from '$lib/server/db';
import { user } from '$lib/server/db/schema';
import { updateTracked } from '$lib/server/history';
import { MailSink } from '../helpers/mail-sink';
import { WebhookSink } from '../helpers/webhook-sink';
import { databaseProblems } from './checks';
import type { Drill } from './drill';
import { copyOfTemplate } from './fixtures';
import { AppServer, sleep } from './server';

const MESSAGES = 300;
const STOPS = 4;
const KILLS = 6;

export const notificationsDrill: Drill = async ({ template, dir, port, random }) => {
	const mail = new MailSink();
	const robot = new WebhookSink();
	mail.acceptDelayMs = 15;
	const [smtpPort, robotBase] = await Promise.all([mail.start(), robot.start()]);
	const path = copyOfTemplate(template, dir, 'notifications');
	const problems: string[] = [];
	try {
		const client = new Database(path);
		const now = new Date().toISOString();
		client
			.prepare(`INSERT INTO notifier_setting (key, value) VALUES ('smtp', ?)`)
			.run(
				JSON.stringify({ host: '127.0.0.1', port: smtpPort, secure: false, username: null, password: null, from: 'drill@suzhou.example' })
			);
		const hook = client
			.prepare(
				`INSERT INTO webhook (name, kind, url, secret, unit_id, events, enabled, created_at) VALUES ('drill', 'generic', ?, NULL, NULL, '[]', 1, ?)`
			)
			.run(`${robotBase}/hook`, now).lastInsertRowid;
		// The addresses of twenty people, given as the account page gives them (an e-mail goes only to
		// an address someone enabled gives).
		const app = openDatabase(path);
		const people = app.select({ id: user.id }).from(user).where(eq(user.disabled, false)).orderBy(user.id).limit(20).all();
		app.transaction((tx) =>
			people.forEach(({ id }, k) => updateTracked(tx, user, id, { email: `unit${k}@suzhou.example` }, { at: now, actorId: id }))
		);
		app.$client.close();
		const queue = client.prepare(
			`INSERT INTO outbox (channel, target, key, event, title, body, link, state, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, 'slip_issued', ?, '演练', '/', 'pending', 0, ?, ?)`
		);
		client.transaction(() => {
			for (let i = 0; i < MESSAGES; i++) {
				queue.run('email', `unit${i % people.length}@suzhou.example`, `drill|${i}`, `演练邮件 ${i}`, now, now);
				queue.run('webhook', String(hook), `drill|${i}`, `演练消息 ${i}`, now, now);
			}
		})();
		const ids = client.prepare(`SELECT id FROM outbox`).pluck().all() as number[];
		client.close();

		const server = new AppServer(path, port);
		let stops = 0;
		let kills = 0;
		const duplicatesAfter = { stop: 0, kill: 0 };
		const receipts = () => mail.messages.length + robot.received.length;
		const uniqueReceipts = () =>
			new Set([...mail.messages.map((m) => m.messageId), ...robot.received.map((r) => String(r.json.msgId))]).size;
		for (const signal of [...Array<'SIGTERM'>(STOPS).fill('SIGTERM'), ...Array<'SIGKILL'>(KILLS).fill('SIGKILL')]) {
			await server.start();
			await sleep(random.int(200, 1500));
			const before = receipts() - uniqueReceipts();
			await server.stop(signal);
			// Whatever repeats come of this stop show once the next server has sent again: counted below.
			if (signal === 'SIGTERM') stops++;
			else kills++;
			await server.start();
			await sleep(300);
			await server.stop('SIGTERM');
			duplicatesAfter[signal === 'SIGTERM' ? 'stop' : 'kill'] += receipts() - uniqueReceipts() - before;
		}
		// Then the rest is sent, with no interruption.
		await server.start();
		const deadline = Date.now() + 120_000;
		const open = () => {
			const db = new Database(path, { readonly: true });
			try {
				return db.prepare(`SELECT count(*) FROM outbox WHERE state NOT IN ('sent', 'given_up')`).pluck().get() as number;
			} finally {
				db.close();
			}
		};
		while (open() > 0 && Date.now() < deadline) await sleep(500);
		await server.stop('SIGTERM');

		const received = new Set([...mail.messages.map((m) => m.messageId ?? ''), ...robot.received.map((r) => String(r.json.msgId))]);
		const mailIds = new Set(mail.messages.map((m) => Number(/^<outbox-(\d+)-/.exec(m.messageId ?? '')?.[1])));
		const postIds = new Set(robot.received.map((r) => Number(r.json.msgId)));
		const lost = ids.filter((id) => !mailIds.has(id) && !postIds.has(id));
		if (lost.length) problems.push(`${lost.length} of ${ids.length} messages never arrived (e.g. outbox ${lost.slice(0, 5).join(', ')})`);
		if (duplicatesAfter.stop > 0) problems.push(`${duplicatesAfter.stop} messages repeated after a graceful stop (SIGTERM)`);
		const db = new Database(path, { readonly: true });
		const states = db.prepare(`SELECT state, count(*) AS n FROM outbox GROUP BY state`).all() as { state: string; n: number }[];
		db.close();
		problems.push(...databaseProblems(path));
		const repeats = receipts() - received.size;
		return {
			drill: 'Notifications (stop and kill while sending)',
			runs: stops + kills,
			problems,
			figures:
				`${ids.length} messages (${MESSAGES} e-mails, ${MESSAGES} robot posts); ${stops} SIGTERM, ${kills} SIGKILL while sending; ` +
				`${lost.length ? `${lost.length} lost` : 'none lost'}; repeats: ${duplicatesAfter.stop} after a stop, ${repeats} in all after kills (each with its Message-ID / msgId); ` +
				`outbox at the end: ${states.map((s) => `${s.state} ${s.n}`).join(', ')}`
		};
	} finally {
		await Promise.all([mail.close(), robot.close()]);
	}
};
