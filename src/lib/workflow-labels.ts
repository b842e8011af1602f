/** Chinese names of workflow states. */
import type { ReportStatus, RequestStatus } from './server/db/schema';

export const reportStatusLabels: Record<ReportStatus, string> = {
	draft: '草稿',
	submitted: '待审核',
	returned: '已退回',
	approved: '已通过'
};

export const requestStatusLabels: Record<RequestStatus, string> = {
	pending: '待审批',
	approved: '已同意',
	refused: '不同意'
};
