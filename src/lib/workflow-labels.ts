/** Names of workflow states, in the interface language. */
import { m, translated } from './i18n';
import type { ReportStatus, RequestStatus } from './server/db/schema';

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
