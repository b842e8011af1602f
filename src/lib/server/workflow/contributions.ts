/**
 * 协办意见: each co-unit's (配合单位) part of an item's monthly report. The lead unit (牵头单位)
 * writes and submits the report; a co-unit writes its contribution, which the lead unit reads while
 * writing and which goes to the office with the report. Once the report is submitted the
 * contributions are kept as they were sent; a returned report opens them again.
 */
import { and, eq } from 'drizzle-orm';
import type { CalendarDate } from '$lib/dates';
import { reportSent } from '$lib/reporting-calendar';
import type { SessionUser } from '../auth/sessions';
import type { Tx } from '../db';
import { coUnitContribution, progressReport } from '../db/schema';
import { longText, openedVersion } from '../forms';
import { insertTracked, updateTracked, type ChangeContext } from '../history';
import { itemWithUnits, requireActiveItem, requireCoUnitStaff } from './access';
import { expectVersion, WorkflowError } from './errors';
import { checkReportMonth } from './reports';
import { m } from '$lib/i18n';
import { CONTRIBUTION_MAX } from '$lib/report-limits';

export type ContributionInput = { opinion: string; version: number | null };

const opinionField = longText(m.field_contribution, CONTRIBUTION_MAX);

export function parseContributionForm(
	form: FormData
): { ok: true; data: ContributionInput } | { ok: false; errors: Record<string, string> } {
	const opinion = opinionField.safeParse(form.get('opinion') ?? '');
	if (!opinion.success) return { ok: false, errors: { opinion: opinion.error.issues[0].message } };
	const opened = openedVersion(form);
	if (!opened.ok) return { ok: false, errors: { form: opened.error } };
	return { ok: true, data: { opinion: opinion.data, version: opened.version } };
}

/** Saves the acting co-unit's contribution to `month`'s report of the item. One transaction. */
export function saveContribution(
	db: Tx,
	actor: SessionUser,
	initiativeId: number,
	month: string,
	input: ContributionInput,
	ctx: ChangeContext,
	today: CalendarDate
) {
	return db.transaction((tx) => {
		const units = itemWithUnits(tx, initiativeId);
		requireCoUnitStaff(actor, units);
		requireActiveItem(units);
		checkReportMonth(month, units, today);
		const report = tx
			.select({ status: progressReport.status })
			.from(progressReport)
			.where(and(eq(progressReport.initiativeId, initiativeId), eq(progressReport.month, month)))
			.get();
		if (reportSent(report?.status)) throw new WorkflowError('form', m.contribution_locked(), 409);
		const existing = tx
			.select()
			.from(coUnitContribution)
			.where(
				and(
					eq(coUnitContribution.initiativeId, initiativeId),
					eq(coUnitContribution.month, month),
					eq(coUnitContribution.unitId, actor.unitId!)
				)
			)
			.get();
		const fields = { opinion: input.opinion, writtenBy: actor.id, writtenAt: ctx.at };
		if (!existing) return insertTracked(tx, coUnitContribution, { initiativeId, month, unitId: actor.unitId!, ...fields }, ctx);
		// A form opened before the contribution existed is refused too, with what the other person wrote.
		expectVersion(tx, 'co_unit_contribution', existing, input.version, ['opinion']);
		return updateTracked(tx, coUnitContribution, existing.id, fields, ctx)!;
	});
}
