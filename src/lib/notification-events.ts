/**
 * What the system tells people (通知): the events, who they concern, and the channels beyond the
 * in-app inbox. The inbox always receives every notification; e-mail follows each person's choice;
 * a unit's group robot (DingTalk, WeCom) receives the events its administrator chose for the group.
 */
import { m, translated } from './i18n';

export const notificationEvents = [
	'report_due',
	'report_overdue',
	'report_returned',
	'report_approved',
	'request_decided',
	'instruction_written',
	'instruction_answered',
	'slip_issued',
	'unit_assigned'
] as const;
export type NotificationEvent = (typeof notificationEvents)[number];

export const notificationChannels = ['email', 'webhook'] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

/** Events sent by e-mail unless the person chose otherwise: those that ask them to act. */
export const emailedByDefault: readonly NotificationEvent[] = [
	'report_due',
	'report_overdue',
	'report_returned',
	'request_decided',
	'instruction_written',
	'slip_issued',
	'unit_assigned'
];

export const webhookKinds = ['dingtalk', 'wecom', 'generic'] as const;
export type WebhookKind = (typeof webhookKinds)[number];

/** The states of a message in the outbox (发送记录). */
export const outboxStates = ['pending', 'sending', 'sent', 'failed', 'given_up'] as const;
export type OutboxState = (typeof outboxStates)[number];

/** A message that failed is tried again after 1, 2, 4 … minutes, at most this many times in all. */
export const MAX_ATTEMPTS = 8;

/** Minutes to wait before attempt `attempts + 1`, after `attempts` failed (capped at 2 hours). */
export function retryDelayMinutes(attempts: number): number {
	return Math.min(2 ** Math.max(0, attempts - 1), 120);
}

export const notificationEventLabels = translated<NotificationEvent>({
	report_due: m.notification_event_report_due,
	report_overdue: m.notification_event_report_overdue,
	report_returned: m.notification_event_report_returned,
	report_approved: m.notification_event_report_approved,
	request_decided: m.notification_event_request_decided,
	instruction_written: m.notification_event_instruction_written,
	instruction_answered: m.notification_event_instruction_answered,
	slip_issued: m.notification_event_slip_issued,
	unit_assigned: m.notification_event_unit_assigned
});

export const outboxStateLabels = translated<OutboxState>({
	pending: m.outbox_state_pending,
	sending: m.outbox_state_sending,
	sent: m.outbox_state_sent,
	failed: m.outbox_state_failed,
	given_up: m.outbox_state_given_up
});

export const webhookKindLabels = translated<WebhookKind>({
	dingtalk: m.channels_webhook_kind_dingtalk,
	wecom: m.channels_webhook_kind_wecom,
	generic: m.channels_webhook_kind_generic
});
