/** Names of record fields and values, for history timelines and "changed meanwhile" notices. */
import { m, translated } from './i18n';
import { ruleSettingLabels } from './rule-settings';

export const fieldLabels: Readonly<Record<string, string>> = translated({
	title: m.field_title,
	name: m.field_name,
	code: m.field_code,
	kind: m.field_kind,
	shortNames: m.field_short_names,
	sourceId: m.field_source,
	sourceQuote: m.field_source_quote,
	quoteStart: m.field_quote_start,
	quoteEnd: m.field_quote_end,
	speaker: m.field_speaker,
	deliveredOn: m.field_delivered_on,
	slug: m.field_slug,
	fileName: m.field_file_name,
	reportId: m.field_report,
	docNumber: m.field_doc_number,
	signedOn: m.field_signed_on,
	registeredBy: m.field_registered_by,
	milestoneId: m.field_milestone,
	slipId: m.field_slip,
	closureRequestId: m.field_closure_request,
	month: m.field_month,
	createdAt: m.field_created_at,
	authorId: m.field_author,
	requestedBy: m.field_requested_by,
	requestedAt: m.field_requested_at,
	colour: m.field_slip_colour,
	year: m.field_year,
	serial: m.field_serial,
	number: m.field_slip_number,
	issuedOn: m.field_issued_on,
	issuedAt: m.field_issued_at,
	issuedBy: m.field_issued_by,
	facts: m.field_slip_facts,
	sha256: m.field_file_hash,
	mime: m.field_file_type,
	size: m.field_file_size,
	capturedAt: m.field_captured_at,
	uploadedBy: m.field_uploaded_by,
	uploadedAt: m.field_uploaded_at,
	themeId: m.field_theme,
	leadUnitId: m.field_lead_unit,
	leader: m.field_leader,
	startOn: m.field_start_on,
	dueOn: m.field_due_on,
	status: m.field_status,
	completedOn: m.field_completed_on,
	weight: m.field_weight,
	position: m.field_position,
	evidence: m.field_evidence,
	removedAt: m.field_removed_at,
	progress: m.field_progress,
	problems: m.field_problems,
	nextSteps: m.field_next_steps,
	reportedBy: m.field_reported_by,
	submittedAt: m.field_submitted_at,
	reviewedBy: m.field_reviewed_by,
	reviewedAt: m.field_reviewed_at,
	reviewComment: m.field_review_comment,
	requestedDue: m.field_requested_due,
	originalDue: m.field_original_due,
	reason: m.field_reason,
	decidedBy: m.field_decided_by,
	decidedAt: m.field_decided_at,
	decisionComment: m.field_decision_comment,
	body: m.field_instruction_body,
	answer: m.field_answer,
	holidays: m.calendar_holidays,
	workdays: m.calendar_workdays,
	opinion: m.field_contribution,
	writtenBy: m.field_written_by,
	writtenAt: m.field_written_at,
	answeredBy: m.field_answered_by,
	answeredAt: m.field_answered_at,
	reply: m.field_slip_reply,
	repliedBy: m.field_replied_by,
	repliedAt: m.field_replied_at,
	voidedAt: m.field_voided_at,
	voidedBy: m.field_voided_by,
	voidReason: m.field_void_reason,
	replyBy: m.field_reply_by,
	demand: m.field_slip_demand,
	withdrawnAt: m.field_withdrawn_at,
	withdrawnBy: m.field_withdrawn_by,
	displayName: m.field_display_name,
	username: m.field_username,
	email: m.field_email,
	role: m.field_role,
	unitId: m.field_unit,
	disabled: m.field_disabled,
	demo: m.field_demo,
	// The channels' settings (/admin/notifications), named as their form names them.
	host: m.channels_smtp_host,
	port: m.channels_smtp_port,
	secure: m.channels_smtp_secure,
	from: m.channels_smtp_from,
	password: m.channels_smtp_password,
	enabled: m.channels_reminders_enabled,
	time: m.channels_reminders_time,
	daysBefore: m.channels_reminders_days,
	expiresOn: m.api_token_expires
});

const valueLabels: Readonly<Record<string, string>> = translated({
	draft: m.report_draft,
	submitted: m.value_submitted,
	returned: m.report_returned,
	approved: m.report_approved,
	pending: m.request_pending,
	refused: m.request_refused,
	active: m.status_active,
	completed: m.pace_done,
	cancelled: m.status_cancelled,
	department: m.unit_kind_department,
	district: m.unit_kind_district,
	speech: m.source_kind_speech,
	minutes: m.source_kind_minutes,
	work_report: m.source_kind_work_report
});

/** A field's name; the rule thresholds (the settings form) are named as the settings page names them. */
export function fieldLabel(field: string): string {
	if (Object.hasOwn(fieldLabels, field)) return fieldLabels[field];
	return Object.hasOwn(ruleSettingLabels, field) ? ruleSettingLabels[field as keyof typeof ruleSettingLabels] : field;
}

/** Stands in the history for a draft's text that the reader may not read (`mayReadDraft`). */
export const WITHHELD_VALUE = { withheld: 'draft' } as const;
/** Stands in the history for the office's return comment to a unit the reader is not (`mayReadReviewComments`). */
export const WITHHELD_COMMENT = { withheld: 'comment' } as const;

/**
 * A stored order (顺序, from 0) as the pages number what it orders (序号, from 1): in a form, in a
 * history's "顺序：1 → 2".
 */
export const shownPosition = (position: number): number => position + 1;

/** A field's value as a history or a notice shows it (the field, when given, for values shown otherwise than stored). */
export function valueLabel(value: unknown, field?: string): string {
	if (field === 'position' && typeof value === 'number') return String(shownPosition(value));
	if (typeof value === 'object' && value !== null && 'withheld' in value)
		return value.withheld === 'comment' ? m.review_comment_withheld() : m.draft_text_withheld();
	if (value === null || value === undefined || value === '') return m.value_empty();
	if (typeof value === 'boolean') return value ? m.value_yes() : m.value_no();
	const text = String(value);
	return Object.hasOwn(valueLabels, text) ? valueLabels[text] : text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
