/** Names of workflow states, in the interface language. */
import { m, translated } from './i18n';
import type { ReportStatus, RequestStatus } from './server/db/schema';
import type { SourceKind } from './source-kinds';
import type { CueKind } from './intake/tasking';

export const reportStatusLabels = translated<ReportStatus>({
	draft: m.report_draft,
	submitted: m.report_submitted,
	returned: m.report_returned,
	approved: m.report_approved
});

export const requestStatusLabels = translated<RequestStatus>({
	pending: m.request_pending,
	approved: m.request_approved,
	refused: m.request_refused
});

export const sourceKindLabels = translated<SourceKind>({
	speech: m.source_kind_speech,
	minutes: m.source_kind_minutes,
	instruction: m.source_kind_instruction,
	work_report: m.source_kind_work_report,
	proposal: m.source_kind_proposal,
	other: m.source_kind_other
});

/** Why a proposal was proposed: the kind of words found. */
export const cueLabels = translated<CueKind>({
	assign: m.cue_assign,
	deadline: m.cue_deadline,
	obligation: m.cue_obligation,
	result: m.cue_result,
	marker: m.cue_marker,
	row: m.cue_row,
	rule: m.cue_rule
});
