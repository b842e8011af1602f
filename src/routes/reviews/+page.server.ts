import { z } from 'zod';
import { m } from '$lib/i18n';
import { appDb } from '$lib/server/app-db';
import { requirePermission } from '$lib/server/auth/guard';
import { formAction } from '$lib/server/form-action';
import { longText, recordIdField, versionField } from '$lib/server/forms';
import { pendingRequests, reviewQueue } from '$lib/server/reviews';
import { approveReport, returnReport } from '$lib/server/workflow/reports';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals }) => {
	requirePermission(locals, 'reviewReports');
	const db = appDb();
	return { ...reviewQueue(db), ...pendingRequests(db) };
}) satisfies PageServerLoad;

const target = { reportId: recordIdField, version: versionField };

export const actions = {
	approve: (event) =>
		formAction(event, {
			permission: 'reviewReports',
			parse: z.object(target),
			run: ({ db, change }, data) => approveReport(db, data.reportId, data.version, change),
			next: (report) => `/reviews?done=approved&report=${report.id}`
		}),
	return: (event) =>
		formAction(event, {
			permission: 'reviewReports',
			parse: z.object({
				...target,
				comment: longText(m.field_return_comment, 500)
			}),
			run: ({ db, change }, data) => returnReport(db, data.reportId, data.version, data.comment, change),
			next: (report) => `/reviews?done=returned&report=${report.id}`
		})
} satisfies Actions;
