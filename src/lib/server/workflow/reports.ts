/**
 * Monthly reports (月度进展): staff save a draft and submit it; the office approves or returns it.
 * Only an approved report counts, and its milestones met become the milestones' completions then.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { addMonthsToMonth, formatDate, isCalendarDate, isMonth, monthOf, type CalendarDate } from '$lib/dates';
import type { SessionUser } from '../auth/sessions';
import type { Db, Tx } from '../db';
import { attachment, coUnitContribution, initiative, milestone, progressReport, reportMilestone, unit } from '../db/schema';
import { openedVersion, optionalText, required, stagedUploads, tickedIds } from '../forms';
import { attachFiles, currentAttachments, milestoneOfField, withdrawAttachments, type FileToAttach } from '../evidence/attachments';
import { deleteTracked, insertTracked, updateTracked, type ChangeContext } from '../history';
import type { ItemState } from '../item-state';
import {
	isLeadUnitStaff,
	itemWithUnits,
	mayReadDraft,
	requireActiveItem,
	requireLeadUnitStaff,
	requireRole,
	type CommandContext
} from './access';
import * as notices from '../notifications/notices';
import { expectVersion, WorkflowError } from './errors';
import { m, midSentence } from '$lib/i18n';
import { EVIDENCE_MAX, REPORT_TEXT_MAX } from '$lib/report-limits';

const trio = {
	progress: optionalText(m.field_progress, REPORT_TEXT_MAX),
	problems: optionalText(m.field_problems, REPORT_TEXT_MAX),
	nextSteps: optionalText(m.field_next_steps, REPORT_TEXT_MAX)
};
const trioLabels = { progress: m.field_progress, problems: m.field_problems, nextSteps: m.field_next_steps } as const;

export type MilestoneMet = {
	milestoneId: number;
	completedOn: CalendarDate;
	evidence: string;
	/** The milestone's version the form showed beside its tick (`mv-<id>`); absent where nothing showed it (an import names it by its title). */
	seenVersion?: number;
};
export type ReportInput = {
	progress: string;
	problems: string;
	nextSteps: string;
	milestonesMet: MilestoneMet[];
	/** The report's version when the form was opened; null for a new report. */
	version: number | null;
	submit: boolean;
	/** Evidence files to attach (`files`: the report; `files-<id>`: a milestone ticked met). */
	files?: FileToAttach[];
	/** Attached files to withdraw (`withdraw-<attachment id>` ticked). */
	withdraw?: number[];
	/**
	 * The co-units' 协办意见 the form showed, as unit id → version (`contributionsSeen`): a report is
	 * submitted only with the contributions its writer read. Absent where nothing showed them (an import).
	 */
	contributionsSeen?: ReadonlyMap<number, number>;
};

/**
 * Reads the report form: the trio, `intent` (draft or submit), `version`, and for each milestone
 * ticked `met-<id>`, its `date-<id>` and `evidence-<id>`. Errors are keyed by field name.
 */
export function parseReportForm(form: FormData): { ok: true; data: ReportInput } | { ok: false; errors: Record<string, string> } {
	const errors: Record<string, string> = {};
	const text = (key: keyof typeof trio) => {
		const parsed = trio[key].safeParse(form.get(key) ?? '');
		if (!parsed.success) errors[key] = parsed.error.issues[0].message;
		return parsed.success ? (parsed.data ?? '') : '';
	};
	const values = { progress: text('progress'), problems: text('problems'), nextSteps: text('nextSteps') };
	const intent = form.get('intent');
	if (intent !== 'submit' && intent !== 'draft') errors.form = m.report_intent_missing();
	const submit = intent === 'submit';
	if (submit) {
		for (const key of Object.keys(trioLabels) as (keyof typeof trioLabels)[]) {
			if (!values[key] && !errors[key]) errors[key] = m.report_fill_before_submit({ label: midSentence(trioLabels[key]()) });
		}
	}
	const opened = openedVersion(form);
	if (!opened.ok) errors.form = opened.error;
	const version = opened.ok ? opened.version : null;
	const milestonesMet: MilestoneMet[] = [];
	// Each milestone once, however often its box is sent (a crafted form: met-7 twice); ids as the page
	// writes them (met-07 names no field of the page).
	for (const key of new Set(form.keys())) {
		const id = /^met-([1-9]\d{0,8})$/.exec(key)?.[1];
		if (!id || !form.getAll(key).includes('on')) continue;
		const completedOn = String(form.get(`date-${id}`) ?? '').trim();
		const evidence = String(form.get(`evidence-${id}`) ?? '').trim();
		if (!isCalendarDate(completedOn))
			errors[`date-${id}`] = completedOn ? m.form_not_a_date({ label: m.field_completed_on() }) : required(m.field_completed_on);
		// Evidence is a text or files (checked on saving, where the files already attached are known).
		if (evidence.length > EVIDENCE_MAX) errors[`evidence-${id}`] = m.form_too_long({ label: m.field_evidence(), max: EVIDENCE_MAX });
		const shown = form.get(`mv-${id}`);
		const seenVersion = shown === null ? undefined : /^[1-9]\d{0,8}$/.test(String(shown)) ? Number(shown) : NaN;
		if (Number.isNaN(seenVersion)) errors.form = m.form_stale();
		milestonesMet.push({ milestoneId: Number(id), completedOn, evidence, ...(seenVersion === undefined ? {} : { seenVersion }) });
	}
	// Evidence typed beside a milestone not ticked as met would be lost on saving: say so instead.
	for (const [key, value] of form) {
		const id = /^evidence-(\d{1,9})$/.exec(key)?.[1];
		if (id && typeof value === 'string' && value.trim() && form.get(`met-${id}`) !== 'on') errors[key] = m.evidence_without_tick();
	}
	// Files chosen beside a milestone not ticked as met: the same.
	for (const upload of stagedUploads(form)) {
		const id = milestoneOfField(upload.field);
		if (id !== null && form.get(`met-${id}`) !== 'on') errors[upload.field] = m.evidence_without_tick();
	}
	const withdraw = tickedIds(form, 'withdraw');
	const seen = contributionsSeen(form.get('contributionsSeen'));
	if (seen === 'unreadable') errors.form = m.form_stale();
	if (Object.keys(errors).length) return { ok: false, errors };
	return {
		ok: true,
		data: { ...values, milestonesMet, version, submit, withdraw, contributionsSeen: seen === 'unreadable' ? undefined : seen }
	};
}

/** The contributions a report form showed, written `unit:version` each, comma-separated (`contributionsShown`). */
export function contributionsShown(contributions: { unitId: number; version: number }[]): string {
	return contributions.map((c) => `${c.unitId}:${c.version}`).join(',');
}

function contributionsSeen(field: FormDataEntryValue | null): ReadonlyMap<number, number> | undefined | 'unreadable' {
	if (field === null) return undefined;
	if (typeof field !== 'string' || !/^(?:[1-9]\d{0,8}:[1-9]\d{0,8}(?:,[1-9]\d{0,8}:[1-9]\d{0,8})*)?$/.test(field)) return 'unreadable';
	return new Map(field ? field.split(',').map((pair) => pair.split(':').map(Number) as [number, number]) : []);
}

/** A month a report may be written for on `today`: not in the future, not before the item started. */
export function checkReportMonth(month: string, state: { item: Pick<ItemState['item'], 'startOn'> }, today: CalendarDate): void {
	if (!isMonth(month)) throw new WorkflowError('month', m.month_format(), 404);
	if (month > monthOf(today)) throw new WorkflowError('month', m.report_future_month());
	const first = state.item.startOn ? monthOf(state.item.startOn) : null;
	if (first && month < first) throw new WorkflowError('month', m.report_before_start({ month: first }));
	if (month < addMonthsToMonth(monthOf(today), -24)) throw new WorkflowError('month', m.report_too_old());
}

/**
 * Refuses to submit a report with 协办意见 its writer did not read: one written, changed or begun by a
 * co-unit after the form was opened goes to the office only once the lead unit has seen it (the page
 * shows it again, as it is now, with the texts typed kept). A draft is saved whatever changed beside it.
 */
function expectContributionsSeen(tx: Tx, initiativeId: number, month: string, seen: ReadonlyMap<number, number>): void {
	const changed = tx
		.select({ unitId: coUnitContribution.unitId, version: coUnitContribution.version, unit: unit.name })
		.from(coUnitContribution)
		.innerJoin(unit, eq(unit.id, coUnitContribution.unitId))
		.where(and(eq(coUnitContribution.initiativeId, initiativeId), eq(coUnitContribution.month, month)))
		.all()
		.filter((c) => seen.get(c.unitId) !== c.version);
	if (changed.length)
		throw new WorkflowError('form', m.report_contributions_changed({ units: changed.map((c) => c.unit).join(m.list_separator()) }), 409);
}

/**
 * What saving a month's report checks and changes: the item and its units, that month's report and
 * the milestones it reports met, and the item's open milestones. Read in a few small queries rather
 * than the whole item (every month's report), which at thousands of items was half of a submission.
 */
function reportState(tx: Tx, initiativeId: number, month: string) {
	const existing = tx
		.select()
		.from(progressReport)
		.where(and(eq(progressReport.initiativeId, initiativeId), eq(progressReport.month, month)))
		.get();
	return {
		...itemWithUnits(tx, initiativeId),
		existing,
		reportedMet: existing ? tx.select().from(reportMilestone).where(eq(reportMilestone.reportId, existing.id)).all() : [],
		openMilestones: new Map(
			tx
				.select({ id: milestone.id, title: milestone.title, dueOn: milestone.dueOn, version: milestone.version })
				.from(milestone)
				.where(and(eq(milestone.initiativeId, initiativeId), isNull(milestone.completedOn), isNull(milestone.removedAt)))
				.all()
				.map((ms) => [ms.id, ms])
		)
	};
}

/** The milestones the reports `reportIds` report met, with the milestones' titles, in the order reported. */
export function milestonesReportedMet(db: Tx, reportIds: number[]) {
	if (reportIds.length === 0) return [];
	return db
		.select({
			reportId: reportMilestone.reportId,
			milestoneId: reportMilestone.milestoneId,
			title: milestone.title,
			completedOn: reportMilestone.completedOn,
			evidence: reportMilestone.evidence,
			/** The milestone as it stands now: removed, or completed otherwise, an approval leaves it be. */
			removedAt: milestone.removedAt,
			completedBefore: milestone.completedOn
		})
		.from(reportMilestone)
		.innerJoin(milestone, eq(milestone.id, reportMilestone.milestoneId))
		.where(inArray(reportMilestone.reportId, reportIds))
		.orderBy(reportMilestone.id)
		.all();
}

/** Saves the staff member's report for `month` as a draft, or submits it. One transaction. */
export function saveReport(
	db: Tx,
	actor: SessionUser,
	initiativeId: number,
	month: string,
	input: ReportInput,
	ctx: ChangeContext,
	today: CalendarDate
) {
	return db.transaction((tx) => {
		const state = reportState(tx, initiativeId, month);
		// The lead unit writes the month's report (co-units write their 协办意见 beside it). The office
		// may enter a unit's report from an imported ledger; it still goes to review.
		if (actor.role !== 'supervisor') requireLeadUnitStaff(actor, state);
		requireActiveItem(state);
		checkReportMonth(month, state, today);
		const { existing } = state;
		if (existing) {
			if (existing.status === 'submitted') throw new WorkflowError('form', m.report_locked_submitted(), 409);
			if (existing.status === 'approved') throw new WorkflowError('form', m.report_locked_approved(), 409);
			// The office enters a unit's report from a ledger only where the unit has not begun one: a draft
			// is the unit's until it sends it, neither shown to the office nor replaced by its import.
			if (existing.status === 'draft' && !mayReadDraft(actor, state))
				throw new WorkflowError('form', m.report_draft_of_unit({ code: state.item.code }), 409);
			// Nor a report returned to the unit: its correction is the unit's.
			if (existing.status === 'returned' && !isLeadUnitStaff(actor, state))
				throw new WorkflowError('form', m.import_report_returned({ code: state.item.code }), 409);
			// A form opened before the report existed is refused too, with what the other person wrote.
			expectVersion(tx, 'progress_report', existing, input.version, ['progress', 'problems', 'nextSteps']);
		}
		if (input.submit && input.contributionsSeen) expectContributionsSeen(tx, initiativeId, month, input.contributionsSeen);
		for (const met of input.milestonesMet) {
			const open = state.openMilestones.get(met.milestoneId);
			if (!open) throw new WorkflowError(`met-${met.milestoneId}`, m.milestone_not_open());
			// The office changed the milestone since the form showed it (renamed, moved): the tick named another one.
			if (met.seenVersion !== undefined && met.seenVersion !== open.version)
				throw new WorkflowError(
					`met-${met.milestoneId}`,
					m.milestone_changed_since({ title: open.title, dueOn: formatDate(open.dueOn) }),
					409
				);
			if (met.completedOn > today) throw new WorkflowError(`date-${met.milestoneId}`, m.completed_after_today());
			if (state.item.startOn && met.completedOn < state.item.startOn)
				throw new WorkflowError(`date-${met.milestoneId}`, m.completed_before_start());
		}
		const fields = {
			progress: input.progress,
			problems: input.problems,
			nextSteps: input.nextSteps,
			status: input.submit ? ('submitted' as const) : ('draft' as const),
			reportedBy: actor.id,
			submittedAt: input.submit ? ctx.at : null,
			reviewComment: existing?.status === 'returned' ? existing.reviewComment : null
		};
		const report = existing
			? updateTracked(tx, progressReport, existing.id, fields, ctx)!
			: insertTracked(tx, progressReport, { initiativeId, month, ...fields }, ctx);
		// A milestone reported met that is no longer open (removed by the office, or completed otherwise
		// since) is no longer in the form: its row stays with the report as the unit typed it, and the
		// review says it will not count. Only the open milestones' rows are the form's to replace.
		for (const old of state.reportedMet) if (state.openMilestones.has(old.milestoneId)) deleteTracked(tx, reportMilestone, old.id, ctx);
		for (const met of input.milestonesMet) insertTracked(tx, reportMilestone, { reportId: report.id, ...met }, ctx);
		withdrawAttachments(tx, report.id, input.withdraw ?? [], actor.id, ctx);
		// A file attached as the evidence of an open milestone no longer reported met stays with the
		// report, as the report's own file: never shown under a milestone the report does not claim.
		const claimed = new Set(input.milestonesMet.map((met) => met.milestoneId));
		for (const file of currentAttachments(tx, report.id))
			if (file.milestoneId !== null && state.openMilestones.has(file.milestoneId) && !claimed.has(file.milestoneId))
				updateTracked(tx, attachment, file.id, { milestoneId: null }, ctx);
		attachFiles(tx, { initiativeId, reportId: report.id }, input.files ?? [], actor.id, ctx);
		// A milestone reported met needs its evidence: a text, or a file attached to it.
		const filed = new Set(currentAttachments(tx, report.id).map((a) => a.milestoneId));
		for (const met of input.milestonesMet) {
			if (!met.evidence && !filed.has(met.milestoneId)) throw new WorkflowError(`evidence-${met.milestoneId}`, required(m.field_evidence));
		}
		return report;
	});
}

function submittedReport(tx: Tx, reportId: number, version: number) {
	const report = tx.select().from(progressReport).where(eq(progressReport.id, reportId)).get();
	if (!report) throw new WorkflowError('form', m.report_gone(), 404);
	// The status first: the changes a stale version lists are of a report the office may read, never
	// of a draft (withdrawn and being rewritten, or never sent).
	if (report.status !== 'submitted') throw new WorkflowError('form', m.review_only_submitted(), 409);
	expectVersion(tx, 'progress_report', report, version);
	return report;
}

/** 审核通过: the report counts from now on, and the milestones it reports met are completed. */
export function approveReport(db: Db, reportId: number, version: number, ctx: CommandContext & { actorId: number }) {
	requireRole(ctx.actor, 'reviewReports');
	return db.transaction((tx) => {
		const report = submittedReport(tx, reportId, version);
		// A milestone removed or completed since it was reported met stays as it is (the review page said so).
		for (const met of milestonesReportedMet(tx, [report.id])) {
			if (met.completedBefore !== null || met.removedAt !== null) continue;
			updateTracked(
				tx,
				milestone,
				met.milestoneId,
				{ completedOn: met.completedOn, evidence: met.evidence },
				{ ...ctx, note: `随 ${report.month} 月报审核通过` }
			);
		}
		const approved = updateTracked(
			tx,
			progressReport,
			report.id,
			{ status: 'approved', reviewedBy: ctx.actorId, reviewedAt: ctx.at, reviewComment: null },
			ctx
		)!;
		notices.reportReviewed(tx, { ...approved, status: 'approved' }, ctx.at);
		return approved;
	});
}

/** 退回: the report goes back to its unit with the office's comment, to be corrected and resubmitted. */
export function returnReport(db: Db, reportId: number, version: number, comment: string, ctx: CommandContext & { actorId: number }) {
	requireRole(ctx.actor, 'reviewReports');
	if (!comment.trim()) throw new WorkflowError('comment', m.return_comment_missing());
	return db.transaction((tx) => {
		const report = submittedReport(tx, reportId, version);
		// A closed item's report cannot be corrected by its unit (saveReport refuses it): returned, it would
		// stay returned for ever. The office approves it instead.
		requireActiveItem({
			item: tx.select({ status: initiative.status }).from(initiative).where(eq(initiative.id, report.initiativeId)).get()!
		});
		const returned = updateTracked(
			tx,
			progressReport,
			report.id,
			{ status: 'returned', reviewedBy: ctx.actorId, reviewedAt: ctx.at, reviewComment: comment.trim() },
			ctx
		)!;
		notices.reportReviewed(tx, { ...returned, status: 'returned' }, ctx.at);
		return returned;
	});
}

/**
 * 撤回: the lead unit takes back a report it submitted, before the office has reviewed it. The report
 * is a draft again, with its texts and milestones as submitted; the history keeps the submission.
 */
export function withdrawReport(db: Db, initiativeId: number, reportId: number, version: number, ctx: CommandContext) {
	return db.transaction((tx) => {
		const report = tx.select().from(progressReport).where(eq(progressReport.id, reportId)).get();
		// A report of another item than the one the form is on is not found there.
		if (!report || report.initiativeId !== initiativeId) throw new WorkflowError('form', m.report_gone(), 404);
		if (!('system' in ctx.actor)) requireLeadUnitStaff(ctx.actor, itemWithUnits(tx, initiativeId));
		expectVersion(tx, 'progress_report', report, version);
		if (report.status !== 'submitted') throw new WorkflowError('form', m.withdraw_only_submitted(), 409);
		return updateTracked(tx, progressReport, report.id, { status: 'draft', submittedAt: null }, ctx)!;
	});
}
