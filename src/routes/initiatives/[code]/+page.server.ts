import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { monthOf, suzhouToday } from '$lib/dates';
import { viewMomentOf } from '$lib/view-moment';
import { can } from '$lib/roles';
import { appDb } from '$lib/server/app-db';
import { itemHistory } from '$lib/server/audit';
import { requireUser } from '$lib/server/auth/guard';
import { formAction } from '$lib/server/form-action';
import { calendarDate, longText, optionalId, parseFileForm, recordIdField, versionField, withoutBlankEnds } from '$lib/server/forms';
import { officeFiles } from '$lib/server/evidence/attachments';
import { getInitiative, initiativeIdByCode, withRecentReports } from '$lib/server/initiatives';
import {
	isCoUnitStaff,
	isLeadUnitStaff,
	itemUnitGuard,
	mayReadDraft,
	mayReadReviewComments,
	mayReadInstructions,
	staffUnitOf,
	withholdDrafts
} from '$lib/server/workflow/access';
import { WorkflowError } from '$lib/server/workflow/errors';
import { answerInstruction, writeInstruction } from '$lib/server/workflow/instructions';
import { decideClosure, decideExtension, requestClosure, requestExtension } from '$lib/server/workflow/requests';
import { withdrawReport } from '$lib/server/workflow/reports';
import { issueSlip, slipDraft } from '$lib/server/workflow/slips';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/i18n';

/** Changes listed at first; `?history` lists them all (a long-running item has hundreds). */
const HISTORY_SHOWN = 40;
const HISTORY_ALL = 5000;
/** Months of reports shown at first; `?reports` shows them all (five years of an item weigh most of its page). */
const REPORTS_SHOWN = 12;

export const load = (({ params, url, locals }) => {
	const user = requireUser(locals);
	const { date, asOf: asOfParam } = viewMomentOf(url.searchParams, suzhouToday());
	const db = appDb();
	const item = getInitiative(db, params.code, date, asOfParam !== null);
	if (!item) {
		error(
			404,
			asOfParam ? m.item_not_yet({ code: params.code.slice(0, 20), date: asOfParam }) : m.item_not_found({ code: params.code.slice(0, 20) })
		);
	}
	const live = asOfParam === null;
	const allHistory = url.searchParams.has('history');
	const month = monthOf(date);
	const current = item.reports.find((r) => r.month === month);
	const reader = {
		readsDrafts: mayReadDraft(user, item),
		readsInstructions: mayReadInstructions(user, item),
		readsReviewComments: mayReadReviewComments(user, item),
		unitId: staffUnitOf(user)
	};
	const changes = live ? itemHistory(db, item.id, allHistory ? HISTORY_ALL : HISTORY_SHOWN + 1, reader) : [];
	// Slips and 批示 are issued, written and answered while the item is under way (the commands refuse them after).
	const underWay = live && item.status === 'active';
	const mayIssueSlip = underWay && can(user.role, 'issueSlips');
	return {
		date,
		asOf: asOfParam,
		item: url.searchParams.has('reports')
			? { ...withholdDrafts(user, item), reportsCut: 0 }
			: withRecentReports(withholdDrafts(user, item), REPORTS_SHOWN),
		history: changes.slice(0, allHistory ? HISTORY_ALL : HISTORY_SHOWN),
		historyCut: !allHistory && changes.length > HISTORY_SHOWN,
		thisMonth: {
			month,
			// Only its state: the text of a draft is withheld from most readers (withholdDrafts).
			report: current ? { id: current.id, version: current.version, status: current.status } : null,
			contributed: user.role === 'staff' && item.contributions.some((c) => c.month === month && c.unitId === user.unitId)
		},
		may: {
			report: live && isLeadUnitStaff(user, item),
			contribute: live && isCoUnitStaff(user, item),
			close: live && isLeadUnitStaff(user, item),
			readInstructions: reader.readsInstructions,
			instruct: underWay && can(user.role, 'writeInstructions'),
			answerInstructions: underWay && isLeadUnitStaff(user, item),
			manage: live && can(user.role, 'manageItems'),
			issueSlip: mayIssueSlip
		},
		// What a slip issued today would say: the office sees it before it issues one.
		officeFiles: item.attachments.filter((a) => a.reportId === null && a.slipId === null && a.closureRequestId === null),
		slipDraft: mayIssueSlip ? slipDraft(db, item, date) : null
	};
}) satisfies PageServerLoad;

function itemId(code: string): number {
	const id = initiativeIdByCode(appDb(), code);
	if (id === null) throw new WorkflowError('form', m.item_gone(), 404);
	return id;
}

const here = (code: string, done: string) => () => `/initiatives/${code}?done=${done}#actions`;
const decision = z.object({
	requestId: recordIdField,
	version: versionField,
	decision: z.enum(['approve', 'refuse'], { error: () => m.decision_missing() }),
	comment: z
		.string()
		.overwrite(withoutBlankEnds)
		.max(500, { error: () => m.form_too_long({ label: m.field_decision_comment(), max: 500 }) })
		.default('')
});

export const actions = {
	instruct: (event) =>
		formAction(event, {
			permission: 'writeInstructions',
			parse: z.object({ body: longText(m.field_instruction_body, 1000) }),
			run: ({ db, user, change }, data) => writeInstruction(db, user, itemId(event.params.code), data.body, change),
			next: here(event.params.code, 'instructed')
		}),
	answerInstruction: (event) =>
		formAction(event, {
			permission: 'writeReports',
			guard: itemUnitGuard(appDb(), event.params.code),
			parse: z.object({ instructionId: recordIdField, version: versionField, answer: longText(m.field_answer, 1000) }),
			run: ({ db, user, change }, data) => answerInstruction(db, user, data.instructionId, data.version, data.answer, change),
			next: here(event.params.code, 'answered')
		}),
	requestExtension: (event) =>
		formAction(event, {
			permission: 'writeReports',
			guard: itemUnitGuard(appDb(), event.params.code),
			parse: z.object({
				target: optionalId(m.extension_target),
				requestedDue: calendarDate(m.extension_new_date),
				reason: longText(m.extension_reason, 1000)
			}),
			run: ({ db, user, change, today }, data) =>
				requestExtension(
					db,
					user,
					{ initiativeId: itemId(event.params.code), milestoneId: data.target, requestedDue: data.requestedDue, reason: data.reason },
					change,
					today
				),
			next: here(event.params.code, 'extension')
		}),
	withdrawReport: (event) =>
		formAction(event, {
			permission: 'writeReports',
			guard: itemUnitGuard(appDb(), event.params.code, 'lead'),
			parse: z.object({ reportId: recordIdField, version: versionField }),
			run: ({ db, change }, data) => withdrawReport(db, itemId(event.params.code), data.reportId, data.version, change),
			next: (report) => `/initiatives/${event.params.code}/report/${report.month}?withdrawn`
		}),
	requestClosure: (event) =>
		formAction(event, {
			permission: 'writeReports',
			guard: itemUnitGuard(appDb(), event.params.code, 'lead'),
			files: true,
			parse: z.object({ evidence: longText(m.closure_evidence, 2000) }),
			run: ({ db, user, change, uploads }, data) =>
				requestClosure(db, user, { initiativeId: itemId(event.params.code), evidence: data.evidence, files: uploads }, change),
			next: here(event.params.code, 'closure')
		}),
	issueSlip: (event) =>
		formAction(event, {
			permission: 'issueSlips',
			// `shown`: the mark of the draft the page showed; without one (a form of another kind) it is refused as changed.
			parse: z.object({
				demand: longText(m.field_slip_demand, 1000),
				replyBy: calendarDate(m.field_reply_by),
				shown: z.string().max(64).catch('')
			}),
			run: ({ db, change, today }, data) => issueSlip(db, { initiativeId: itemId(event.params.code), ...data }, change, today),
			next: (slip) => `/slips/${slip.id}?done=issued`
		}),
	attachFiles: (event) =>
		formAction(event, {
			permission: 'manageItems',
			files: true,
			parse: parseFileForm,
			run: ({ db, change, uploads }, data) =>
				officeFiles(db, { initiativeId: itemId(event.params.code), slipId: null }, uploads, data.withdraw, change),
			next: here(event.params.code, 'files')
		}),
	decideExtension: (event) =>
		formAction(event, {
			permission: 'manageItems',
			parse: decision,
			run: ({ db, change }, d) =>
				decideExtension(db, { ...d, initiativeId: itemId(event.params.code), approve: d.decision === 'approve' }, change),
			next: (r) => here(event.params.code, r.granted ? 'extension-granted' : 'extension-refused')()
		}),
	decideClosure: (event) =>
		formAction(event, {
			permission: 'manageItems',
			files: true,
			parse: decision,
			run: ({ db, change, today, uploads }, d) =>
				decideClosure(
					db,
					{ ...d, initiativeId: itemId(event.params.code), approve: d.decision === 'approve', files: uploads },
					change,
					today
				),
			next: (r) => here(event.params.code, r.granted ? 'closure-granted' : 'closure-refused')()
		})
} satisfies Actions;
