import { requirePermission } from '$lib/server/auth/guard';
import { z } from 'zod';
import { appDb } from '$lib/server/app-db';
import { formAction, type ActionContext } from '$lib/server/form-action';
import { m } from '$lib/i18n';
import {
	addWebhook,
	channelVersion,
	channelVersionField,
	listWebhooks,
	OUTBOX_PAGE,
	outboxLog,
	queueTest,
	removeWebhook,
	retryMessage,
	saveRelay,
	saveReminderSettings,
	smtpSchema,
	testMailSchema,
	webhookSchema
} from '$lib/server/notifications/admin';
import { readReminders, readSmtp, reminderSchema } from '$lib/server/notifications/channels';
import { lastDailyRun } from '$lib/server/notifications/reminders';
import { rescheduleReminders } from '$lib/server/notifications/service';
import { listUnits } from '$lib/server/units';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals, url }) => {
	requirePermission(locals, 'manageSettings');
	const db = appDb();
	const smtp = readSmtp(db);
	const page = Math.max(
		0,
		Math.min(10_000, Number(/^\d{1,5}$/.test(url.searchParams.get('page') ?? '') ? url.searchParams.get('page') : 0))
	);
	return {
		smtp: smtp && { ...smtp, password: undefined, hasPassword: smtp.password !== null },
		reminders: readReminders(db),
		// The versions the forms are opened at: a save over another administrator's change since is refused.
		versions: { smtp: channelVersion(db, 'smtp'), reminders: channelVersion(db, 'reminders') },
		lastRun: lastDailyRun(db),
		webhooks: listWebhooks(db),
		units: listUnits(db),
		outbox: outboxLog(db, page * OUTBOX_PAGE),
		page,
		pageSize: OUTBOX_PAGE,
		done: url.searchParams.get('done')
	};
}) satisfies PageServerLoad;

const admin = (ctx: ActionContext) => ({ at: ctx.change.at, actorId: ctx.user.id, address: ctx.change.address });
const idForm = z.object({
	id: z.coerce
		.number({ error: () => m.form_stale() })
		.int()
		.positive()
});
const done = (what: string) => () => `/admin/notifications?done=${what}`;

export const actions = {
	smtp: (event) =>
		formAction(event, {
			permission: 'manageSettings',
			parse: smtpSchema.extend({ version: channelVersionField }),
			run: (ctx, { version, ...relay }) => saveRelay(ctx.db, relay, version, admin(ctx)),
			next: done('smtp')
		}),
	smtpOff: (event) =>
		formAction(event, {
			permission: 'manageSettings',
			parse: z.object({ confirm: z.literal('off', { error: () => m.form_stale() }), version: channelVersionField }),
			run: (ctx, data) => saveRelay(ctx.db, null, data.version, admin(ctx)),
			next: done('smtpOff')
		}),
	testMail: (event) =>
		formAction(event, {
			permission: 'manageSettings',
			parse: testMailSchema,
			run: (ctx, data) => queueTest(ctx.db, 'email', data.to!, ctx.change.at),
			next: done('test')
		}),
	webhookAdd: (event) =>
		formAction(event, {
			permission: 'manageSettings',
			parse: webhookSchema,
			run: (ctx, data) => addWebhook(ctx.db, data, admin(ctx)),
			next: done('webhookAdded')
		}),
	webhookRemove: (event) =>
		formAction(event, {
			permission: 'manageSettings',
			parse: idForm,
			run: (ctx, data) => removeWebhook(ctx.db, data.id, admin(ctx)),
			next: done('webhookRemoved')
		}),
	webhookTest: (event) =>
		formAction(event, {
			permission: 'manageSettings',
			parse: idForm,
			run: (ctx, data) => queueTest(ctx.db, 'webhook', String(data.id), ctx.change.at),
			next: done('test')
		}),
	reminders: (event) =>
		formAction(event, {
			permission: 'manageSettings',
			parse: (form) => {
				const version = channelVersionField.safeParse(form.get('version'));
				const parsed = reminderSchema.safeParse({
					enabled: form.get('enabled') === 'on',
					time: String(form.get('time') ?? ''),
					daysBefore: Number(form.get('daysBefore'))
				});
				if (version.success && parsed.success) return { ok: true, data: { settings: parsed.data, version: version.data } };
				const errors: Record<string, string> = {};
				if (!version.success) errors.form = m.form_stale();
				if (!parsed.success) errors.reminders = m.channels_reminders_invalid();
				return { ok: false, errors };
			},
			run: (ctx, { settings, version }) => {
				saveReminderSettings(ctx.db, settings, version, admin(ctx));
				rescheduleReminders();
			},
			next: done('reminders')
		}),
	retry: (event) =>
		formAction(event, {
			permission: 'manageSettings',
			parse: idForm,
			run: (ctx, data) => retryMessage(ctx.db, data.id, ctx.change.at),
			next: done('retried')
		})
} satisfies Actions;
