/**
 * Giving notice (发出通知): a write that someone must act on, or should know about, calls `notify` in
 * its own transaction. The notice lands in each person's inbox, and the messages beyond the app (their
 * e-mail, the unit's group robot) are recorded in the outbox in that same transaction, so a write
 * never commits without its notices, nor a notice without its write. The sender (`sender.ts`) sends
 * them afterwards. Every notice has a key naming what it is about: given twice, it lands once.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { emailedByDefault, type NotificationEvent } from '$lib/notification-events';
import type { Tx } from '../db';
import { notification, notificationPreference, outbox, user, webhook } from '../db/schema';
import { unitName } from '../units';
import { wakeSender } from './sender-signal';

export type Notice = {
	event: NotificationEvent;
	/** What the notice is about, e.g. `report_returned|812|3`: the same key is never given twice to a person. */
	key: string;
	title: string;
	body: string;
	/** Where to act: a path of this application. */
	link: string;
	/** The unit it concerns, whose group robot hears of it. */
	unitId: number | null;
};

/** Who receives a notice: the staff of a unit, and named people. */
export type Recipients = { staffOf?: number | null; users?: (number | null)[] };

/** Records `notice` for its recipients and queues its messages; returns how many people it reached anew. */
export function notify(tx: Tx, notice: Notice, to: Recipients, at: string): number {
	const people = recipients(tx, to);
	let reached = 0;
	for (const person of people) {
		// Got as the unit's staff (also when named besides): theirs while they stay its staff.
		const unitId = to.staffOf != null && person.role === 'staff' && person.unitId === to.staffOf ? to.staffOf : null;
		const added = tx
			.insert(notification)
			.values({
				userId: person.id,
				event: notice.event,
				key: notice.key,
				title: notice.title,
				body: notice.body,
				link: notice.link,
				unitId,
				createdAt: at
			})
			.onConflictDoNothing()
			.run();
		if (added.changes === 0) continue; // given before
		reached++;
		if (person.email && emailsEvent(person, notice.event)) queue(tx, 'email', person.email, notice, at, { userId: person.id, unitId });
	}
	for (const hook of webhooksFor(tx, notice))
		queue(tx, 'webhook', String(hook.id), hook.unitId === null ? namingItsUnit(tx, notice) : notice, at);
	wakeSender();
	return reached;
}

/**
 * Queues one message in the outbox, once per channel, target and key; an e-mail for a person names
 * them, and the unit whose staff they got it as (the sender checks both still hold when it sends).
 */
export function queue(
	tx: Tx,
	channel: 'email' | 'webhook',
	target: string,
	message: Omit<Notice, 'unitId' | 'event'> & { event: Notice['event'] | 'digest' | 'test' | 'confirm' },
	at: string,
	recipient: { userId: number; unitId: number | null } | null = null
) {
	tx.insert(outbox)
		.values({
			channel,
			target,
			userId: recipient?.userId ?? null,
			unitId: recipient?.unitId ?? null,
			key: message.key,
			event: message.event,
			title: message.title,
			body: message.body,
			link: message.link,
			nextAttemptAt: at,
			createdAt: at
		})
		.onConflictDoNothing()
		.run();
}

type Person = {
	id: number;
	role: string;
	unitId: number | null;
	email: string | null;
	emailEvents: NotificationEvent[] | null;
	digest: boolean | null;
};

function recipients(tx: Tx, to: Recipients): Person[] {
	const who = [];
	if (to.staffOf != null) who.push(and(eq(user.role, 'staff'), eq(user.unitId, to.staffOf)));
	const named = (to.users ?? []).filter((id): id is number => id != null);
	if (named.length) who.push(inArray(user.id, named));
	if (!who.length) return [];
	return tx
		.select({
			id: user.id,
			role: user.role,
			unitId: user.unitId,
			email: user.email,
			emailEvents: notificationPreference.emailEvents,
			digest: notificationPreference.digest
		})
		.from(user)
		.leftJoin(notificationPreference, eq(notificationPreference.userId, user.id))
		.where(and(eq(user.disabled, false), sql`(${sql.join(who, sql` OR `)})`))
		.orderBy(user.id)
		.all();
}

/** Whether a person gets this event by e-mail now (not in a daily digest). */
function emailsEvent(person: Person, event: NotificationEvent): boolean {
	if (person.digest) return false;
	return (person.emailEvents ?? emailedByDefault).includes(event);
}

/**
 * A unit's notice as the office's own robot posts it (a webhook of every unit): its title begins with
 * the unit's name. Written to the unit ("…向本单位发出催办单"), it said in the office's group neither
 * which unit nor to whom, fourteen times after a round of slips.
 */
function namingItsUnit(tx: Tx, notice: Notice): Notice {
	if (notice.unitId === null) return notice;
	const name = unitName(tx, notice.unitId);
	return name ? { ...notice, title: `【${name}】${notice.title}` } : notice;
}

function webhooksFor(tx: Tx, notice: Notice) {
	return tx
		.select()
		.from(webhook)
		.where(eq(webhook.enabled, true))
		.all()
		.filter((h) => h.events.includes(notice.event) && (h.unitId === null || h.unitId === notice.unitId));
}
