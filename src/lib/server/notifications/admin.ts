/**
 * The administrator's side of the channels (/admin/notifications): the mail relay, the group robots,
 * the reminders' time, and the outbox as a log (发送记录) with a way to send a message again. Every
 * change is recorded in the security log (what changed, never a password or a secret).
 */
import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { m } from '$lib/i18n';
import { notificationEvents, outboxStates, webhookKinds } from '$lib/notification-events';
import { recordSecurityEvent } from '../auth/security-log';
import type { Db, Tx } from '../db';
import { outbox, securityEvent, unit, user, webhook } from '../db/schema';
import { inDocumentLanguage } from '../document-language';
import { checkboxList, optionalId, optionalLine, wholeNumber } from '../forms';
import { StaleVersionError, WorkflowError, type FieldChange } from '../workflow/errors';
import { defaultReminders, readReminders, readSmtp, saveSmtp, saveReminders, type ReminderSettings, type SmtpSettings } from './channels';
import { queue } from './notify';
import { emailAddress } from './preferences';
import { wakeSender } from './sender-signal';

export type AdminContext = { at: string; actorId: number; address: string | null };

function audit(db: Tx, ctx: AdminContext, detail: Record<string, unknown>) {
	recordSecurityEvent(db, { kind: 'channels_changed', at: ctx.at, actorId: ctx.actorId, address: ctx.address, detail });
}

const checked = z
	.string()
	.optional()
	.transform((v) => v === 'on');

/** A sender as mail clients show it: `address`, or `Name <address>`. */
const sender = z
	.string()
	.trim()
	.max(200, { error: () => m.channels_from_invalid() })
	.refine((v) => /^(?:[^<>]*<\s*[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+\s*>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/.test(v), {
		error: () => m.channels_from_invalid()
	});

export const smtpSchema = z.object({
	host: z
		.string()
		.trim()
		.regex(/^[A-Za-z0-9.-]{1,253}$|^\[[0-9A-Fa-f:.]+\]$/, { error: () => m.channels_host_invalid() }),
	port: wholeNumber(m.channels_smtp_port, 1, 65535),
	secure: checked,
	username: optionalLine(m.channels_smtp_username, 200),
	/** Empty: keep the password saved before. Kept exactly as typed. */
	password: z
		.string()
		.max(200, { error: () => m.form_too_long({ label: m.channels_smtp_password(), max: 200 }) })
		.optional()
		.transform((v) => v || null),
	from: sender
});

/**
 * Saves the mail relay (null: no e-mail), over the version `openedAt` the form was opened at
 * (`channelVersion`): a save over another administrator's change since is refused with what they changed.
 */
export function saveRelay(db: Db, input: z.infer<typeof smtpSchema> | null, openedAt: number, ctx: AdminContext): void {
	db.transaction((tx) => {
		const before = readSmtp(tx);
		expectChannelUnchanged(tx, 'smtp', openedAt, before && relayShown(before));
		if (input === null) {
			saveSmtp(tx, null);
			audit(tx, ctx, { smtp: 'off' });
			return;
		}
		const settings: SmtpSettings = { ...input, password: input.password ?? (input.username ? (before?.password ?? null) : null) };
		saveSmtp(tx, settings);
		audit(tx, ctx, { smtp: { ...relayShown(settings), passwordChanged: input.password !== null } });
	});
}

/** The relay as the security log records it and the form shows it: never its password. */
const relayShown = ({ host, port, secure, username, from }: SmtpSettings) => ({ host, port, secure, username, from });

/** The channels' settings a form saves, each versioned by the security log's entries that changed it. */
type Channel = 'smtp' | 'reminders';

/** The fields of a channel's settings, in the form's order, as `FieldChange`s name them (`field-labels.ts`). */
const channelFields: Record<Channel, string[]> = {
	smtp: ['host', 'port', 'secure', 'username', 'from'],
	reminders: ['enabled', 'time', 'daysBefore']
};

/**
 * The version of a channel's settings: the id of the last security log entry that changed them, 0
 * when they were never changed. Their table keeps no history, and the log records every change (the
 * relay's without its password), so it gives both the version and what a version held.
 */
export function channelVersion(db: Tx, channel: Channel): number {
	return lastChannelChange(db, channel)?.id ?? 0;
}

function lastChannelChange(db: Tx, channel: Channel) {
	return db
		.select({ id: securityEvent.id, at: securityEvent.at, detail: securityEvent.detail, name: user.displayName })
		.from(securityEvent)
		.leftJoin(user, eq(user.id, securityEvent.actorId))
		.where(and(eq(securityEvent.kind, 'channels_changed'), sql`json_type(${securityEvent.detail}, ${'$.' + channel}) IS NOT NULL`))
		.orderBy(desc(securityEvent.id))
		.limit(1)
		.get();
}

/**
 * Refuses (`StaleVersionError`) a save over changes to the channel's settings made after the form was
 * opened at `openedAt`: what they were then (the log's entry of that version) against `now`, field by
 * field, and a password set meanwhile. The same values saved again are no conflict.
 */
function expectChannelUnchanged(tx: Tx, channel: Channel, openedAt: number, now: Readonly<Record<string, unknown>> | null): void {
	const last = lastChannelChange(tx, channel);
	if ((last?.id ?? 0) === openedAt) return;
	const then =
		openedAt === 0 ? null : tx.select({ detail: securityEvent.detail }).from(securityEvent).where(eq(securityEvent.id, openedAt)).get();
	const valueThen = then ? (then.detail as Record<string, unknown> | null)?.[channel] : undefined;
	// Never changed before the form was opened: it showed no relay, or the reminders' defaults.
	const shownThen: Record<string, unknown> | null = openedAt === 0 && channel === 'reminders' ? { ...defaultReminders } : null;
	const before = typeof valueThen === 'object' && valueThen !== null ? (valueThen as Record<string, unknown>) : shownThen;
	const changes: FieldChange[] = channelFields[channel]
		.map((field) => ({ field, before: before?.[field] ?? null, after: now?.[field] ?? null }))
		.filter((c) => c.before !== c.after);
	if (channel === 'smtp' && now !== null) {
		const since = tx.all<{ changed: number }>(sql`
			SELECT 1 AS changed FROM security_event WHERE kind = 'channels_changed' AND id > ${openedAt}
			AND json_extract(detail, '$.smtp.passwordChanged') = 1 LIMIT 1`);
		if (since.length) changes.push({ field: 'password', before: null, after: m.channels_smtp_password_changed() });
	}
	if (changes.length) throw new StaleVersionError(changes, last?.name ?? null, last?.at ?? null, last?.id ?? 0);
}

/** The version a channel's form was opened at (hidden `version`): 0 for settings never changed. */
export const channelVersionField = z.coerce
	.number({ error: () => m.form_stale() })
	.int({ error: () => m.form_stale() })
	.min(0, { error: () => m.form_stale() });

export const testMailSchema = z.object({ to: emailAddress.refine((v) => v !== null, { error: () => m.preferences_email_invalid() }) });

/** A test message through a channel: queued like every other, its result in the log. */
export function queueTest(db: Db, channel: 'email' | 'webhook', target: string, at: string): void {
	const message = inDocumentLanguage(() => ({ title: m.notice_test_title(), body: m.notice_test_body() }));
	queue(db, channel, target, { event: 'test', key: `test|${at}`, ...message, link: '/' }, at);
	wakeSender();
}

const eventList = checkboxList(z.array(z.enum(notificationEvents)).min(1, { error: () => m.channels_webhook_events_missing() }));

export const webhookSchema = z.object({
	name: z
		.string()
		.trim()
		.min(1, { error: () => m.channels_webhook_name_missing() })
		.max(100, { error: () => m.form_too_long({ label: m.field_name(), max: 100 }) }),
	kind: z.enum(webhookKinds),
	url: z
		.string()
		.trim()
		.max(2000, { error: () => m.channels_webhook_url_invalid() })
		.refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), { error: () => m.channels_webhook_url_invalid() })
		// A name and password in the address would travel in every error the send reports (and fetch refuses them).
		.refine((v) => !URL.canParse(v) || (!new URL(v).username && !new URL(v).password), {
			error: () => m.channels_webhook_url_credentials()
		}),
	secret: optionalLine(m.channels_webhook_secret_label, 500),
	// Empty is the office's own robot; anything else must name a unit: a garbled choice never widens a
	// unit's robot into the office's, which hears every unit.
	unitId: optionalId(m.channels_webhook_unit),
	events: eventList
});

export function addWebhook(db: Db, input: z.infer<typeof webhookSchema>, ctx: AdminContext) {
	return db.transaction((tx) => {
		const { unitId } = input;
		if (unitId !== null && !tx.select({ id: unit.id }).from(unit).where(eq(unit.id, unitId)).get())
			throw new WorkflowError('unitId', m.unit_gone());
		const row = tx
			.insert(webhook)
			.values({ ...input, unitId, createdAt: ctx.at })
			.returning()
			.get();
		audit(tx, ctx, { webhookAdded: { id: row.id, name: row.name, kind: row.kind, unitId, events: row.events } });
		return row;
	});
}

/** Removes a robot; its messages not yet sent are given up, saying why. */
export function removeWebhook(db: Db, id: number, ctx: AdminContext): boolean {
	return db.transaction((tx) => {
		const row = tx.select().from(webhook).where(eq(webhook.id, id)).get();
		if (!row) return false;
		tx.update(outbox)
			.set({ state: 'given_up', lastError: '群机器人已删除 (webhook removed)', leaseUntil: null })
			.where(and(eq(outbox.channel, 'webhook'), eq(outbox.target, String(id)), inArray(outbox.state, ['pending', 'failed', 'sending'])))
			.run();
		tx.delete(webhook).where(eq(webhook.id, id)).run();
		audit(tx, ctx, { webhookRemoved: { id, name: row.name } });
		return true;
	});
}

export function listWebhooks(db: Tx) {
	return db
		.select({
			id: webhook.id,
			name: webhook.name,
			kind: webhook.kind,
			url: webhook.url,
			signed: webhook.secret,
			unitId: webhook.unitId,
			events: webhook.events,
			enabled: webhook.enabled
		})
		.from(webhook)
		.orderBy(webhook.id)
		.all()
		.map(({ signed, url, ...h }) => ({ ...h, signed: signed !== null, url: redactedUrl(url) }));
}

/** An address without what grants access (DingTalk's access_token, WeCom's key): shown, never the secret. */
export function redactedUrl(href: string): string {
	const url = new URL(href);
	for (const key of [...url.searchParams.keys()]) url.searchParams.set(key, '…');
	if (url.username || url.password) [url.username, url.password] = ['…', ''];
	return url.href.replaceAll('%E2%80%A6', '…');
}

/** Saves the reminders' settings over the version `openedAt` the form was opened at, as `saveRelay` does. */
export function saveReminderSettings(db: Db, settings: ReminderSettings, openedAt: number, ctx: AdminContext): void {
	db.transaction((tx) => {
		expectChannelUnchanged(tx, 'reminders', openedAt, readReminders(tx));
		saveReminders(tx, settings);
		audit(tx, ctx, { reminders: settings });
	});
}

export const OUTBOX_PAGE = 50;

export function outboxLog(db: Tx, offset: number) {
	const rows = db.select().from(outbox).orderBy(desc(outbox.id)).limit(OUTBOX_PAGE).offset(offset).all();
	const counts = Object.fromEntries(outboxStates.map((s) => [s, 0])) as Record<(typeof outboxStates)[number], number>;
	for (const r of db.select({ state: outbox.state, n: count() }).from(outbox).groupBy(outbox.state).all()) counts[r.state] = r.n;
	const hooks = new Map(
		db
			.select({ id: webhook.id, name: webhook.name })
			.from(webhook)
			.all()
			.map((h) => [String(h.id), h.name])
	);
	return {
		rows: rows.map((r) => ({ ...r, target: r.channel === 'webhook' ? (hooks.get(r.target) ?? `#${r.target}`) : r.target })),
		counts,
		total: Object.values(counts).reduce((a, b) => a + b, 0)
	};
}

/** Sends a failed or given-up message again, from its first attempt. */
export function retryMessage(db: Db, id: number, at: string): boolean {
	const done = db
		.update(outbox)
		.set({ state: 'pending', attempts: 0, nextAttemptAt: at, leaseUntil: null })
		.where(and(eq(outbox.id, id), inArray(outbox.state, ['failed', 'given_up'])))
		.run().changes;
	wakeSender();
	return done > 0;
}
