/** Names of what the audit pages list, in the interface language. */
import { formatDate, formatInstant } from './dates';
import { fieldLabel, valueLabel } from './field-labels';
import { webhookKindLabels, type WebhookKind } from './notification-events';
import { roleLabels, type UserRole } from './roles';
import { m, translated } from './i18n';
import { visibleControls } from './visible-text';
import type { SecurityEventKind } from './server/db/schema';

export const securityEventLabels = translated<SecurityEventKind>({
	login_succeeded: m.event_login_succeeded,
	login_failed: m.event_login_failed,
	login_refused_locked: m.event_login_refused_locked,
	login_rate_limited: m.event_login_rate_limited,
	account_locked: m.event_account_locked,
	account_unlocked: m.event_account_unlocked,
	logout: m.event_logout,
	session_expired: m.event_session_expired,
	password_changed: m.event_password_changed,
	password_reset: m.event_password_reset,
	user_created: m.event_user_created,
	user_updated: m.event_user_updated,
	user_disabled: m.event_user_disabled,
	user_enabled: m.event_user_enabled,
	access_denied: m.event_access_denied,
	channels_changed: m.event_channels_changed,
	api_keys_changed: m.event_api_keys_changed
});

/** The name of every kind of record the history keeps (the `entity` of change_log), by its table. */
export const entityLabels: Readonly<Record<string, string>> = translated({
	source: m.entity_source,
	theme: m.entity_theme,
	unit: m.entity_unit,
	user: m.entity_user,
	initiative: m.entity_initiative,
	initiative_co_unit: m.entity_co_unit,
	milestone: m.entity_milestone,
	progress_report: m.entity_progress_report,
	report_milestone: m.entity_report_milestone,
	co_unit_contribution: m.entity_co_unit_contribution,
	extension_request: m.entity_extension_request,
	closure_request: m.entity_closure_request,
	instruction: m.entity_instruction,
	supervision_slip: m.entity_supervision_slip,
	attachment: m.entity_attachment,
	circular: m.entity_circular,
	setting: m.entity_setting
});

export const actionLabels: Readonly<Record<string, string>> = translated({
	insert: m.action_insert,
	update: m.action_update,
	delete: m.action_delete
});

/** Who made a change: the person's name, or what wrote it when nobody signed in did. */
export function actorName(actor: string | null, actorLabel: string | null): string {
	if (actor) return actor;
	return actorLabel === 'demo' ? m.demo_data() : actorLabel === 'catalogue' ? m.catalogue() : m.the_system();
}

/**
 * A change's note in the interface language. The notes the system writes are stored in Chinese,
 * as the office's record; their fixed forms are shown translated, anything else as written.
 */
export function noteLabel(note: string): string {
	const fixed: Record<string, () => string> = {
		立项: m.note_registered,
		销号: m.note_closed,
		节点完成: m.note_milestone_met,
		月报导入: m.note_imported,
		签发提示单: m.note_slip_blue,
		签发催办单: m.note_slip_yellow,
		签发督办单: m.note_slip_red,
		作废: m.note_voided
	};
	if (Object.hasOwn(fixed, note)) return fixed[note]();
	const approved = /^随 (\d{4}-\d{2}) 月报审核通过$/.exec(note);
	if (approved) return m.note_approved_with({ month: approved[1] });
	const extended = /^延期:(\S+) → (\S+)$/.exec(note);
	if (extended) return m.note_extended({ from: extended[1], to: extended[2] });
	const removed = /^删除节点:([\s\S]*)$/.exec(note);
	if (removed) return m.note_removed({ reason: removed[1] });
	return note;
}

/** A username as the security log holds it: names nobody has are kept as `?` and a keyed hash. */
export function loggedUsername(username: string | null): string {
	if (username === null) return '—';
	return username.startsWith('?') ? m.unknown_username({ tag: username.slice(1, 9) }) : username;
}

/**
 * What a security event's detail adds, in a few words: the refused request, why a login failed, what
 * an administrator changed (a person's role or unit, a key, a robot, the mail relay, the reminders;
 * `unitNames` names the units).
 */
export function securityDetail(detail: unknown, unitNames: Readonly<Record<number, string>> = {}): string {
	if (typeof detail !== 'object' || detail === null) return '';
	const d = detail as Record<string, unknown>;
	const parts: string[] = [...settingsChanged(d, unitNames), ...personChanged(d, unitNames)];
	if (typeof d.method === 'string' && typeof d.path === 'string') {
		const request = `${d.method} ${visibleControls(d.path)}`;
		parts.push(d.status ? m.with_aside({ text: request, aside: String(d.status) }) : request);
	}
	if (typeof d.notLogged === 'number') parts.push(m.refusals_not_logged({ count: d.notLogged }));
	if (d.via === 'password_change') parts.push(m.failed_at_password_change());
	if (d.disabled === true || d.reason === 'disabled') parts.push(m.account_disabled_detail());
	// An evidence file refused is answered as missing (404): the log says why.
	const hiddenFile = { draft: m.refused_file_draft, slip: m.refused_file_slip, withdrawn: m.refused_file_withdrawn };
	if (typeof d.reason === 'string' && Object.hasOwn(hiddenFile, d.reason)) parts.push(hiddenFile[d.reason as keyof typeof hiddenFile]());
	if (typeof d.until === 'string') parts.push(m.locked_until_detail({ until: formatInstant(d.until) }));
	return parts.join(m.list_separator());
}

/** What an administrator changed of the channels or the API keys, as the log records it (never a password or a secret). */
function settingsChanged(d: Record<string, unknown>, unitNames: Readonly<Record<number, string>>): string[] {
	const what: Record<string, () => string> = {
		apiTokenIssued: m.detail_key_issued,
		apiTokenRevoked: m.detail_key_revoked,
		webhookAdded: m.detail_robot_added,
		webhookRemoved: m.detail_robot_removed,
		smtp: m.detail_relay_saved,
		reminders: m.detail_reminders_saved
	};
	const parts: string[] = [];
	for (const [key, label] of Object.entries(what)) {
		const value = d[key];
		if (value === undefined) continue;
		if (key === 'smtp' && value === 'off') parts.push(m.detail_relay_off());
		else if (typeof value === 'object' && value !== null) {
			const fields = Object.entries(value as Record<string, unknown>)
				.filter(([field, v]) => !['id', 'events'].includes(field) && !(field === 'passwordChanged' && v !== true))
				.map(([field, v]) =>
					field === 'passwordChanged'
						? m.channels_smtp_password_changed()
						: `${fieldLabel(field)}${m.list_intro()}${loggedValue(field, v, unitNames, m.api_scope_city)}`
				);
			parts.push(fields.length ? `${label()}${m.in_brackets({ text: fields.join(m.comma()) })}` : label());
		} else parts.push(label());
	}
	return parts;
}

/** A person's role, unit and name as created, or as changed (`[before, after]`, only those that changed). */
function personChanged(d: Record<string, unknown>, unitNames: Readonly<Record<number, string>>): string[] {
	return ['role', 'unitId', 'displayName'].flatMap((field) => {
		if (!(field in d)) return [];
		const value = d[field];
		if (!Array.isArray(value)) return [`${fieldLabel(field)}${m.list_intro()}${loggedValue(field, value, unitNames)}`];
		const [before, after] = value as unknown[];
		return before === after
			? []
			: [`${fieldLabel(field)}${m.list_intro()}${loggedValue(field, before, unitNames)} → ${loggedValue(field, after, unitNames)}`];
	});
}

function loggedValue(field: string, value: unknown, unitNames: Readonly<Record<number, string>>, noUnit = m.detail_no_unit): string {
	if (field === 'role' && typeof value === 'string' && Object.hasOwn(roleLabels, value)) return roleLabels[value as UserRole];
	if (field === 'unitId' && typeof value === 'number') return unitNames[value] ?? `#${value}`;
	if (field === 'unitId' && value === null) return noUnit();
	if (field === 'expiresOn' && typeof value === 'string') return formatDate(value);
	if (field === 'kind' && typeof value === 'string' && Object.hasOwn(webhookKindLabels, value))
		return webhookKindLabels[value as WebhookKind];
	return visibleControls(valueLabel(value, field));
}
