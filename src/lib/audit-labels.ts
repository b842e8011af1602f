/** Names of what the audit pages list, in the interface language. */
import { m, translated } from './i18n';
import type { SecurityEventKind } from './server/db/schema';

export const securityEventLabels = translated<SecurityEventKind>({
	login_succeeded: m.event_login_succeeded,
	login_failed: m.event_login_failed,
	login_refused_locked: m.event_login_refused_locked,
	login_rate_limited: m.event_login_rate_limited,
	account_locked: m.event_account_locked,
	logout: m.event_logout,
	session_expired: m.event_session_expired,
	password_changed: m.event_password_changed,
	password_reset: m.event_password_reset,
	user_created: m.event_user_created,
	user_updated: m.event_user_updated,
	user_disabled: m.event_user_disabled,
	user_enabled: m.event_user_enabled,
	access_denied: m.event_access_denied
});

export const entityLabels: Readonly<Record<string, string>> = translated({
	source: m.entity_source,
	theme: m.field_theme,
	unit: m.entity_unit,
	user: m.entity_user,
	initiative: m.entity_initiative,
	initiative_co_unit: m.entity_co_unit,
	milestone: m.entity_milestone,
	progress_report: m.entity_progress_report
});

export const actionLabels: Readonly<Record<string, string>> = translated({
	insert: m.action_insert,
	update: m.action_update,
	delete: m.action_delete
});
