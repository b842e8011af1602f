import { error, redirect } from '@sveltejs/kit';
import { isMonth, suzhouToday } from '$lib/dates';
import { reportSent } from '$lib/reporting-calendar';
import { appDb } from '$lib/server/app-db';
import { requirePermission } from '$lib/server/auth/guard';
import { formAction } from '$lib/server/form-action';
import { getInitiative, initiativeIdByCode } from '$lib/server/initiatives';
import { isCoUnitStaff, isLeadUnitStaff, itemUnitGuard } from '$lib/server/workflow/access';
import { parseContributionForm, saveContribution } from '$lib/server/workflow/contributions';
import { WorkflowError } from '$lib/server/workflow/errors';
import { checkReportMonth } from '$lib/server/workflow/reports';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/i18n';

export const load = (({ params, locals }) => {
	const user = requirePermission(locals, 'writeReports');
	const today = suzhouToday();
	const item = getInitiative(appDb(), params.code, today);
	if (!item) error(404, m.item_not_found({ code: params.code.slice(0, 20) }));
	// The month goes into the address redirected to (a header: no emoji, no control characters): one that
	// is no month is the 404 either page answers for it, never a redirect that fails as a 500.
	if (!isMonth(params.month)) error(404, m.month_format());
	// The lead unit writes the report itself (and reads every contribution there).
	if (isLeadUnitStaff(user, item)) redirect(303, `/initiatives/${item.code}/report/${params.month}`);
	if (!isCoUnitStaff(user, item)) error(403, m.contribution_own_unit_only());
	try {
		checkReportMonth(params.month, item, today);
	} catch (e) {
		if (e instanceof WorkflowError) error(e.status === 404 ? 404 : 400, e.message);
		throw e;
	}
	const report = item.reports.find((r) => r.month === params.month);
	return {
		item: { code: item.code, title: item.title, status: item.status, leadUnitName: item.leadUnitName },
		month: params.month,
		reportStatus: report?.status ?? null,
		locked: reportSent(report?.status) || item.status !== 'active',
		itemActive: item.status === 'active',
		contribution: item.contributions.find((c) => c.month === params.month && c.unitId === user.unitId) ?? null
	};
}) satisfies PageServerLoad;

export const actions = {
	default: (event) =>
		formAction(event, {
			permission: 'writeReports',
			guard: itemUnitGuard(appDb(), event.params.code, 'co'),
			parse: parseContributionForm,
			run: ({ db, user, change, today }, input) => {
				const id = initiativeIdByCode(db, event.params.code);
				if (id === null) throw new WorkflowError('form', m.item_gone(), 404);
				return saveContribution(db, user, id, event.params.month, input, change, today);
			},
			next: () => `/initiatives/${event.params.code}/contribution/${event.params.month}?saved`
		})
} satisfies Actions;
