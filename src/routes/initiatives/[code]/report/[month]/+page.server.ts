import { error, redirect } from '@sveltejs/kit';
import { isMonth, suzhouToday } from '$lib/dates';
import { appDb } from '$lib/server/app-db';
import { evidenceLimits } from '$lib/server/config';
import { requirePermission } from '$lib/server/auth/guard';
import { formAction } from '$lib/server/form-action';
import { getInitiative, initiativeIdByCode } from '$lib/server/initiatives';
import { isCoUnitStaff, isLeadUnitStaff, itemUnitGuard } from '$lib/server/workflow/access';
import { WorkflowError } from '$lib/server/workflow/errors';
import { checkReportMonth, contributionsShown, milestonesReportedMet, parseReportForm, saveReport } from '$lib/server/workflow/reports';
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
	// The lead unit writes the report; a co-unit's staff are sent to their contribution (协办意见).
	if (isCoUnitStaff(user, item)) redirect(303, `/initiatives/${item.code}/contribution/${params.month}`);
	if (!isLeadUnitStaff(user, item)) error(403, m.report_lead_unit_only());
	try {
		checkReportMonth(params.month, item, today);
	} catch (e) {
		if (e instanceof WorkflowError) error(e.status === 404 ? 404 : 400, e.message);
		throw e;
	}
	const report = item.reports.find((r) => r.month === params.month) ?? null;
	const met = report ? milestonesReportedMet(appDb(), [report.id]) : [];
	const isOpen = (rm: (typeof met)[number]) => rm.removedAt === null && rm.completedBefore === null;
	const contributions = item.contributions.filter((c) => c.month === params.month);
	return {
		item: { code: item.code, title: item.title, status: item.status },
		month: params.month,
		today,
		report,
		met: met.filter(isOpen),
		// Reported met, then removed by the office or completed otherwise: kept with the report as typed
		// (saveReport leaves them be), shown apart with the reason, no longer in the form.
		metNoLongerOpen: met.filter((rm) => !isOpen(rm)),
		files: report ? item.attachments.filter((a) => a.reportId === report.id && a.withdrawnAt === null) : [],
		evidenceLimits: evidenceLimits(),
		contributions,
		// Sent with the report: it is submitted only with the contributions read here (saveReport).
		contributionsSeen: contributionsShown(contributions),
		coUnits: item.coUnits,
		unitNames: item.unitNames,
		people: item.people,
		openMilestones: item.milestones
			.filter((m) => m.completedOn === null)
			// Each with its version: a tick names the milestone as the unit read it (`mv-<id>`).
			.map((m) => ({ id: m.id, title: m.title, dueOn: m.dueOn, weight: m.weight, version: m.version }))
	};
}) satisfies PageServerLoad;

export const actions = {
	default: (event) =>
		formAction(event, {
			permission: 'writeReports',
			guard: itemUnitGuard(appDb(), event.params.code, 'lead'),
			parse: parseReportForm,
			files: true,
			run: ({ db, user, change, today, uploads }, input) => {
				const id = initiativeIdByCode(db, event.params.code);
				if (id === null) throw new WorkflowError('form', m.item_gone(), 404);
				return saveReport(db, user, id, event.params.month, { ...input, files: uploads }, change, today);
			},
			next: (report) =>
				report.status === 'submitted'
					? `/initiatives/${event.params.code}?done=reported`
					: `/initiatives/${event.params.code}/report/${event.params.month}?saved`
		})
} satisfies Actions;
