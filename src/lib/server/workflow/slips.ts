/**
 * 督办单: the office issues numbered slips that press an item's lead unit; the unit answers (反馈);
 * a slip issued in error is voided, keeping its number. docs/domain.md, "Slips".
 */
import { percent } from '$lib/progress';
import { createHash } from 'node:crypto';
import { quoted } from '$lib/chinese-quotes';
import { and, eq, isNull, max } from 'drizzle-orm';
import { evaluate } from '$lib/evaluation';
import { addCalendarDays, formatDate, type CalendarDate } from '$lib/dates';
import { lightLabels, lightReasons } from '$lib/lights';
import { defaultDemand, defaultReplyBy, MAX_REPLY_DAYS, slipColourFor, slipKindLabels, slipNumber, type SlipColour } from '$lib/slips';
import type { Db, Tx } from '../db';
import { supervisionSlip } from '../db/schema';
import { unitName } from '../units';
import { insertTracked, updateTracked } from '../history';
import { inDocumentLanguage } from '../document-language';
import { itemState, ruleInput, type ItemState } from '../item-state';
import { listInitiatives } from '../portfolio';
import { readRuleSettings } from '../rule-settings';
import { slipNumberPrefix } from '../config';
import { mayReadSlip, requireActiveItem, requireRole, staffUnitOf, type Actor, type CommandContext } from './access';
import * as notices from '../notifications/notices';
import { workingCalendar } from '../working-calendar';
import { expectVersion, HiddenRecordError, WorkflowError } from './errors';
import { m } from '$lib/i18n';

export type Slip = typeof supervisionSlip.$inferSelect;

/**
 * What a slip for this item would say if issued on `date`: its colour and its facts, in Chinese, and
 * the mark of both that the page's form sends back (`markOf`).
 */
export function slipDraft(tx: Tx, state: ItemState, date: CalendarDate) {
	return inDocumentLanguage(() => {
		const settings = readRuleSettings(tx);
		const input = ruleInput(state, date);
		const reasons = lightReasons(input, date, settings);
		const evaluation = evaluate(input, date, settings);
		const colour = slipColourFor(reasons);
		const lead = unitName(tx, state.item.leadUnitId);
		const due = state.item.dueOn ? `，完成时限${formatDate(state.item.dueOn, 'zh-CN')}` : '';
		const next = state.milestones.find((ms) => ms.completedOn === null);
		const facts = [
			`${quoted(`${state.item.code} ${state.item.title}`)}，牵头单位${lead ?? '（未定）'}${due}。`,
			`截至${formatDate(date, 'zh-CN')}，实际进度${percent(evaluation.actual)}，序时进度${percent(evaluation.expected)}，亮${lightLabels[evaluation.light]}。`,
			...reasons.map((r) => `${r.text}。`),
			next && !reasons.length ? `下一时间节点${quoted(next.title)}应于${formatDate(next.dueOn, 'zh-CN')}完成。` : ''
		].join('');
		return {
			colour,
			facts,
			mark: markOf(`${colour}\n${facts}`),
			light: evaluation.light,
			replyBy: defaultReplyBy(colour, date, workingCalendar(tx)),
			demand: defaultDemand(colour, reasons)
		};
	});
}

/**
 * The mark of what the office was shown before issuing (the form sends it back): a slip's colour and
 * facts, or the items a bulk run would press. Issuing refuses a form whose mark is no longer today's,
 * so that a slip never goes out other than the one the office read (a light turned red meanwhile
 * would have issued a red 督办单, with its number in the red register for good, under words meant for a 提示单).
 */
function markOf(shown: string): string {
	return createHash('sha256').update(shown).digest('hex').slice(0, 32);
}

/** Slips neither answered nor void, as SQL. */
const stillOpen = () => and(isNull(supervisionSlip.reply), isNull(supervisionSlip.voidedAt));

/** Slips of `colour` neither answered nor void, as SQL. */
const openOfColour = (colour: SlipColour) => and(eq(supervisionSlip.colour, colour), stillOpen());

/**
 * The item's slip of `colour` to its lead unit `unitId` that is neither answered nor void: a second one
 * is not issued beside it. One to a unit that led the item before (handed to another since) presses
 * that unit, not this one: it stays that unit's to answer, and the new lead may be pressed.
 */
function openSlipOf(tx: Tx, initiativeId: number, unitId: number, colour: SlipColour) {
	return tx
		.select({ number: supervisionSlip.number })
		.from(supervisionSlip)
		.where(and(eq(supervisionSlip.initiativeId, initiativeId), eq(supervisionSlip.unitId, unitId), openOfColour(colour)))
		.get();
}

/**
 * The item's slips neither answered nor void, each with the unit it presses: what the edit page says
 * stays with that unit when the item is handed to another.
 */
export function openSlipsOfItem(tx: Tx, initiativeId: number): { number: string; unitName: string }[] {
	return tx
		.select({ number: supervisionSlip.number, unitId: supervisionSlip.unitId })
		.from(supervisionSlip)
		.where(and(eq(supervisionSlip.initiativeId, initiativeId), stillOpen()))
		.orderBy(supervisionSlip.id)
		.all()
		.map((s) => ({ number: s.number, unitName: unitName(tx, s.unitId) ?? '' }));
}

/**
 * Issues one slip in `tx`, numbered from the register: the next number of its colour and year.
 * The caller's transaction is IMMEDIATE (the demo loader's holds the whole database), so no other writer reads the same last number meanwhile; the
 * unique index on (colour, year, serial) would refuse a duplicate anyway.
 */
export function issueSlipIn(
	tx: Tx,
	state: ItemState,
	input: { demand?: string; replyBy?: CalendarDate; shown?: string },
	ctx: CommandContext,
	today: CalendarDate
) {
	requireActiveItem(state);
	if (state.item.leadUnitId === null) throw new WorkflowError('form', m.slip_no_lead_unit(), 409);
	const draft = slipDraft(tx, state, today);
	// The form's draft (its mark) against today's: the command line and the bulk run show none.
	if (input.shown !== undefined && input.shown !== draft.mark)
		throw new WorkflowError('form', m.slip_draft_changed({ kind: slipKindLabels[draft.colour] }), 409);
	const open = openSlipOf(tx, state.item.id, state.item.leadUnitId, draft.colour);
	if (open) throw new WorkflowError('form', m.slip_already_open({ number: open.number }), 409);
	const replyBy = input.replyBy ?? draft.replyBy;
	if (replyBy < today || replyBy > addCalendarDays(today, MAX_REPLY_DAYS))
		throw new WorkflowError('replyBy', m.slip_reply_by_range({ max: MAX_REPLY_DAYS }));
	const year = Number(today.slice(0, 4));
	const last = tx
		.select({ serial: max(supervisionSlip.serial) })
		.from(supervisionSlip)
		.where(and(eq(supervisionSlip.colour, draft.colour), eq(supervisionSlip.year, year)))
		.get();
	const serial = (last?.serial ?? 0) + 1;
	const slip = insertTracked(
		tx,
		supervisionSlip,
		{
			initiativeId: state.item.id,
			colour: draft.colour,
			year,
			serial,
			number: slipNumber(slipNumberPrefix(), draft.colour, year, serial),
			unitId: state.item.leadUnitId,
			issuedOn: today,
			issuedAt: ctx.at,
			issuedBy: 'system' in ctx.actor ? null : ctx.actor.id,
			facts: draft.facts,
			demand: input.demand?.trim() || draft.demand,
			replyBy
		},
		{ ...ctx, note: inDocumentLanguage(() => `签发${slipKindLabels[draft.colour]}`) }
	);
	notices.slipIssued(tx, slip, ctx.at);
	return slip;
}

/**
 * The office issues a slip for one item; its colour and facts are the rules' on `today`, and, with
 * `shown`, those the office read (the draft's mark).
 */
export function issueSlip(
	db: Db,
	input: { initiativeId: number; demand?: string; replyBy?: CalendarDate; shown?: string },
	ctx: CommandContext,
	today: CalendarDate
): Slip {
	requireRole(ctx.actor, 'issueSlips');
	return db.transaction(
		(tx) => {
			const state = itemState(tx, input.initiativeId, null);
			if (!state) throw new WorkflowError('form', m.item_gone(), 404);
			return issueSlipIn(tx, state, input, ctx, today);
		},
		{ behavior: 'immediate' }
	);
}

/**
 * The items a bulk run would press on `today`: active, red, with a lead unit and no open red slip to
 * it, in catalogue order; and how many red items already have one. `mark` is what the page shows it by.
 */
export function redItemsToPress(tx: Tx, today: CalendarDate) {
	// Open to the item's lead unit now (`openSlipOf`): one to a former lead does not spare the new one.
	const open = new Set(
		tx
			.select({ initiativeId: supervisionSlip.initiativeId, unitId: supervisionSlip.unitId })
			.from(supervisionSlip)
			.where(openOfColour('red'))
			.all()
			.map((s) => `${s.initiativeId}:${s.unitId}`)
	);
	const red = listInitiatives(tx, today).filter((i) => i.status === 'active' && i.light === 'red' && i.leadUnitId !== null);
	const items = red.filter((i) => !open.has(`${i.id}:${i.leadUnitId}`)).map((i) => ({ id: i.id, code: i.code, title: i.title }));
	return { items, alreadyOpen: red.length - items.length, mark: markOf(items.map((i) => i.id).join(',')) };
}

/**
 * A red 督办单 for every item `redItemsToPress` finds on `today`, all issued in one transaction,
 * numbered in catalogue order; with `shown`, only if they are the items the office was shown (their
 * mark), else nothing is issued. Returns the slips issued and how many red items already had one.
 */
export function issueSlipsForRedItems(
	db: Db,
	ctx: CommandContext,
	today: CalendarDate,
	shown?: string
): { issued: Slip[]; alreadyOpen: number } {
	requireRole(ctx.actor, 'issueSlips');
	return db.transaction(
		(tx) => {
			// Read with the writers held off: the items pressed are the ones checked.
			const press = redItemsToPress(tx, today);
			if (shown !== undefined && shown !== press.mark)
				throw new WorkflowError('form', m.slip_bulk_changed({ count: press.items.length }), 409);
			const issued = press.items.map((item) => issueSlipIn(tx, itemState(tx, item.id, null)!, {}, ctx, today));
			return { issued, alreadyOpen: press.alreadyOpen };
		},
		{ behavior: 'immediate' }
	);
}

function slipRow(tx: Tx, slipId: number): Slip {
	const row = tx.select().from(supervisionSlip).where(eq(supervisionSlip.id, slipId)).get();
	if (!row) throw new WorkflowError('form', m.slip_gone(), 404);
	return row;
}

/** Staff of the unit a slip is addressed to answer it (反馈), once. */
export function answerSlip(db: Db, actor: Actor, slipId: number, version: number, reply: string, ctx: CommandContext): Slip {
	return db.transaction((tx) => {
		const row = slipRow(tx, slipId);
		if (!('system' in actor)) {
			// Another unit's slip is answered as one that does not exist: a refusal would tell that it does.
			if (!mayReadSlip(staffUnitOf(actor), row)) throw new HiddenRecordError(m.slip_gone(), 'slip');
			if (!(actor.role === 'staff' && actor.unitId === row.unitId)) throw new WorkflowError('form', m.slip_own_unit_only(), 403);
		}
		expectVersion(tx, 'supervision_slip', row, version);
		if (row.voidedAt) throw new WorkflowError('form', m.slip_voided_already(), 409);
		if (row.reply !== null) throw new WorkflowError('reply', m.slip_answered_already(), 409);
		return updateTracked(tx, supervisionSlip, row.id, { reply, repliedBy: 'system' in actor ? null : actor.id, repliedAt: ctx.at }, ctx)!;
	});
}

/** The office voids a slip issued in error; it keeps its number in the register, marked void. */
export function voidSlip(db: Db, slipId: number, version: number, reason: string, ctx: CommandContext): Slip {
	requireRole(ctx.actor, 'issueSlips');
	return db.transaction((tx) => {
		const row = slipRow(tx, slipId);
		expectVersion(tx, 'supervision_slip', row, version);
		if (row.voidedAt) throw new WorkflowError('form', m.slip_voided_already(), 409);
		if (row.reply !== null) throw new WorkflowError('form', m.slip_answered_no_void(), 409);
		const by = 'system' in ctx.actor ? null : ctx.actor.id;
		const voided = updateTracked(
			tx,
			supervisionSlip,
			row.id,
			{ voidedAt: ctx.at, voidedBy: by, voidReason: reason },
			{ ...ctx, note: '作废' }
		)!;
		notices.slipVoided(tx, voided, ctx.at);
		return voided;
	});
}
