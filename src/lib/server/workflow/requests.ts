/**
 * Requests a unit makes and the office decides: extensions (延期) of a milestone or the deadline,
 * asked before it passes, and closures (销号), asked by the lead unit with evidence. An approval
 * changes the item in the same transaction; the history keeps the original dates.
 */
import { and, eq, sql } from 'drizzle-orm';
import { rowsAsOf } from '../as-of';
import type { CalendarDate } from '$lib/dates';
import type { SessionUser } from '../auth/sessions';
import type { Db, Tx } from '../db';
import { closureRequest, extensionRequest, initiative, milestone } from '../db/schema';
import { insertTracked, updateTracked, type ChangeContext } from '../history';
import { itemState, type ItemState } from '../item-state';
import { requireActiveItem, requireItemUnitStaff, requireLeadUnitStaff, requireRole, type CommandContext } from './access';
import * as notices from '../notifications/notices';
import { expectVersion, WorkflowError } from './errors';
import { attachFiles, type FileToAttach } from '../evidence/attachments';
import { m } from '$lib/i18n';

function loadState(tx: Tx, initiativeId: number): ItemState {
	const state = itemState(tx, initiativeId, null);
	if (!state) throw new WorkflowError('form', m.item_gone(), 404);
	return state;
}

export type ExtensionInput = { initiativeId: number; milestoneId: number | null; requestedDue: CalendarDate; reason: string };

export function requestExtension(db: Db, actor: SessionUser, input: ExtensionInput, ctx: ChangeContext, today: CalendarDate) {
	return db.transaction((tx) => {
		const state = loadState(tx, input.initiativeId);
		requireItemUnitStaff(actor, state);
		requireActiveItem(state);
		let originalDue: string | null;
		if (input.milestoneId === null) {
			originalDue = state.item.dueOn;
			if (!originalDue) throw new WorkflowError('target', m.extension_no_deadline());
		} else {
			const target = state.milestones.find((x) => x.id === input.milestoneId);
			if (!target) throw new WorkflowError('target', m.milestone_not_of_item());
			if (target.completedOn) throw new WorkflowError('target', m.extension_milestone_done());
			originalDue = target.dueOn;
		}
		if (originalDue < today) throw new WorkflowError('target', m.extension_too_late({ date: originalDue }));
		if (input.requestedDue <= originalDue) throw new WorkflowError('requestedDue', m.extension_not_later({ date: originalDue }));
		// A milestone stays within its item's deadline (the deadline itself is extended by its own request),
		// and no date is asked for beyond ten years: 2127 is a slip of the keyboard, not a plan.
		if (input.milestoneId !== null && state.item.dueOn && input.requestedDue > state.item.dueOn)
			throw new WorkflowError('requestedDue', m.extension_after_deadline({ date: state.item.dueOn }));
		const furthest = `${Number(today.slice(0, 4)) + 10}${today.slice(4)}`;
		if (input.requestedDue > furthest) throw new WorkflowError('requestedDue', m.extension_too_far({ date: furthest }));
		const pending = state.extensions.find((e) => e.status === 'pending' && e.milestoneId === input.milestoneId);
		if (pending) throw new WorkflowError('target', m.extension_pending(), 409);
		return insertTracked(tx, extensionRequest, { ...input, originalDue, requestedBy: actor.id, requestedAt: ctx.at }, ctx);
	});
}

/** An office decision on a request of the item `initiativeId` (a request of another item is refused). */
export type Decision = { initiativeId: number; requestId: number; version: number; approve: boolean; comment: string };

function decide<T extends typeof extensionRequest | typeof closureRequest>(tx: Tx, table: T, decision: Decision, ctx: ChangeContext) {
	const t = table as typeof extensionRequest;
	const request = tx.select().from(t).where(eq(t.id, decision.requestId)).get();
	if (!request || request.initiativeId !== decision.initiativeId) throw new WorkflowError('form', m.request_gone(), 404);
	expectVersion(tx, table === extensionRequest ? 'extension_request' : 'closure_request', request, decision.version);
	if (request.status !== 'pending') throw new WorkflowError('form', m.request_decided(), 409);
	if (!decision.approve && !decision.comment.trim()) throw new WorkflowError('comment', m.refusal_reason_missing());
	const decided = updateTracked(
		tx,
		t,
		request.id,
		{
			status: decision.approve ? 'approved' : 'refused',
			decidedBy: ctx.actorId,
			decidedAt: ctx.at,
			decisionComment: decision.comment.trim() || null
		},
		ctx
	)!;
	notices.requestDecided(tx, decided, table === extensionRequest ? 'extension' : 'closure', decision.approve, ctx.at);
	return request;
}

export function decideExtension(db: Db, decision: Decision, ctx: CommandContext) {
	requireRole(ctx.actor, 'manageItems');
	return db.transaction((tx) => {
		const request = decide(tx, extensionRequest, decision, ctx) as typeof extensionRequest.$inferSelect;
		if (!decision.approve) return { granted: false };
		// An approval moves the date the unit asked to move, and only that one: a date the office changed
		// since, or a milestone met or removed since, is not silently put back or revived.
		const state = loadState(tx, request.initiativeId);
		requireActiveItem(state);
		const target = request.milestoneId === null ? state.item : state.milestones.find((x) => x.id === request.milestoneId && !x.completedOn);
		if (!target) throw new WorkflowError('form', m.extension_target_settled(), 409);
		if (target.dueOn !== request.originalDue)
			throw new WorkflowError('form', m.extension_date_changed({ original: request.originalDue, current: target.dueOn ?? '—' }), 409);
		// Nor a milestone the office renamed since: the unit's reason was written for the milestone it read.
		if (request.milestoneId !== null) {
			const [asked] = rowsAsOf(tx, milestone, request.requestedAt, { ids: sql`SELECT ${String(request.milestoneId)}` });
			const { title } = target as typeof asked;
			if (asked && asked.title !== title)
				throw new WorkflowError('form', m.extension_milestone_renamed({ original: asked.title, current: title }), 409);
		}
		// Nor does a milestone move past the item's deadline, which the office may have set earlier since.
		if (request.milestoneId !== null && state.item.dueOn && request.requestedDue > state.item.dueOn)
			throw new WorkflowError('form', m.extension_after_deadline_now({ date: state.item.dueOn }), 409);
		const note = `延期:${request.originalDue} → ${request.requestedDue}`;
		if (request.milestoneId === null)
			updateTracked(tx, initiative, request.initiativeId, { dueOn: request.requestedDue }, { ...ctx, note });
		else updateTracked(tx, milestone, request.milestoneId, { dueOn: request.requestedDue }, { ...ctx, note });
		return { granted: true };
	});
}

/** The lead unit asks to close the item, with its evidence as a text and, if it has them, as files. */
export function requestClosure(
	db: Db,
	actor: SessionUser,
	input: { initiativeId: number; evidence: string; files?: FileToAttach[] },
	ctx: ChangeContext
) {
	const { files = [], ...request } = input;
	return db.transaction((tx) => {
		const state = loadState(tx, input.initiativeId);
		requireLeadUnitStaff(actor, state);
		requireActiveItem(state);
		if (state.closures.some((c) => c.status === 'pending')) throw new WorkflowError('evidence', m.closure_pending(), 409);
		const row = insertTracked(tx, closureRequest, { ...request, requestedBy: actor.id, requestedAt: ctx.at }, ctx);
		attachFiles(tx, { initiativeId: input.initiativeId, reportId: null, closureRequestId: row.id }, files, actor.id, ctx);
		return row;
	});
}

/** Approving a closure is what makes an item 已完成, dated the day of the approval. */
export function decideClosure(db: Db, decision: Decision & { files?: FileToAttach[] }, ctx: CommandContext, today: CalendarDate) {
	requireRole(ctx.actor, 'manageItems');
	return db.transaction((tx) => {
		const request = decide(tx, closureRequest, decision, ctx);
		if (decision.approve) requireActiveItem(loadState(tx, request.initiativeId));
		// The office's own papers of the decision (the signed approval, the site check) beside the unit's.
		const target = { initiativeId: request.initiativeId, reportId: null, closureRequestId: request.id };
		attachFiles(tx, target, decision.files ?? [], ctx.actorId, ctx);
		if (decision.approve) {
			updateTracked(tx, initiative, request.initiativeId, { status: 'completed', completedOn: today }, { ...ctx, note: '销号' });
			// The extensions still waiting are settled with the item: refused, saying why (in the record's
			// language, as the history's notes are), and the unit told.
			const waiting = tx
				.select()
				.from(extensionRequest)
				.where(and(eq(extensionRequest.initiativeId, request.initiativeId), eq(extensionRequest.status, 'pending')))
				.all();
			for (const pending of waiting) {
				const settled = updateTracked(
					tx,
					extensionRequest,
					pending.id,
					{ status: 'refused', decidedBy: ctx.actorId, decidedAt: ctx.at, decisionComment: '任务已销号，延期申请不再办理。' },
					ctx
				)!;
				notices.requestDecided(tx, settled, 'extension', false, ctx.at);
			}
		}
		return { granted: decision.approve };
	});
}
