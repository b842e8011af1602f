/** Names of record fields and values, for history timelines and "changed meanwhile" notices. */
import { m, translated } from './i18n';
import { ruleSettingLabels } from './rule-settings';

export const fieldLabels: Readonly<Record<string, string>> = translated({
	title: m.field_title,
	code: m.field_code,
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
	role: m.field_role,
	unitId: m.field_unit,
	disabled: m.field_disabled,
	demo: m.field_demo
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
	cancelled: m.status_cancelled
});

/** A field's name; the rule thresholds (the settings form) are named as the settings page names them. */
export function fieldLabel(field: string): string {
	if (Object.hasOwn(fieldLabels, field)) return fieldLabels[field];
	return Object.hasOwn(ruleSettingLabels, field) ? ruleSettingLabels[field as keyof typeof ruleSettingLabels] : field;
}

/** Stands in the history for a draft's text that the reader may not read (`mayReadDraft`). */
export const WITHHELD_VALUE = { withheld: true } as const;

export function valueLabel(value: unknown): string {
	if (typeof value === 'object' && value !== null && 'withheld' in value) return m.draft_text_withheld();
	if (value === null || value === undefined || value === '') return m.value_empty();
	if (typeof value === 'boolean') return value ? m.value_yes() : m.value_no();
	const text = String(value);
	return Object.hasOwn(valueLabels, text) ? valueLabels[text] : text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
