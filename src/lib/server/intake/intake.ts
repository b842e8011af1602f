/**
 * 来源录入: a new source (pasted or extracted text) stored as received, its proposals computed and
 * kept for review; then each proposal accepted as an item (through the same tracked writes as 立项
 * by hand), merged with the next, split into its clauses, or rejected. A decided proposal stays, so
 * proposing again offers only what nobody has decided.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { isCalendarDate, type CalendarDate } from '$lib/dates';
import { m } from '$lib/i18n';
import { openedSpan } from '$lib/intake/opened-span';
import { clauses } from '$lib/intake/sentences';
import type { Cue } from '$lib/intake/tasking';
import { shortNamesOf } from '$lib/intake/units';
import { sourceKinds, type SourceKind } from '$lib/source-kinds';
import type { Span } from '$lib/source-text';
import type { Db, Tx } from '../db';
import { changeLog, initiative, proposal, source, unit } from '../db/schema';
import { calendarDate, checkboxList, optionalLine, optionalText, text, withoutInvisible } from '../forms';
import { insertTracked } from '../history';
import { workingCalendar } from '../working-calendar';
import { readRuleSettings } from '../rule-settings';
import { requireRole, type CommandContext } from '../workflow/access';
import { WorkflowError } from '../workflow/errors';
import { addMilestoneIn, createItemIn, newItemSchema } from '../workflow/items';
import { normaliseText, SOURCE_LIMITS } from './extract';
import {
	PROPOSALS_MAX,
	propose,
	proposeSpans,
	SPLIT_MAX,
	STEPS_MAX,
	type IntakeContext,
	type Proposal,
	type ProposedUnit
} from './propose';
import { existingItems, markRepeatsOf } from './repeats';

export const newSourceSchema = z.object({
	kind: z.enum(sourceKinds, { error: () => m.form_invalid({ label: m.source_kind() }) }),
	title: text(m.source_title, 200),
	speaker: text(m.source_speaker, 100),
	deliveredOn: calendarDate(m.source_date),
	body: optionalText(m.source_text, SOURCE_LIMITS.characters)
});
export type NewSource = Omit<z.infer<typeof newSourceSchema>, 'body'> & { body: string };

/** What proposing needs from the database: the units with their short names, items, the calendar, what was decided. */
export function intakeContext(tx: Tx, sourceId?: number): IntakeContext {
	const units = tx
		.select({ id: unit.id, name: unit.name, shortNames: unit.shortNames })
		.from(unit)
		.all()
		.map((u) => ({ ...u, shortNames: shortNamesOf(u.shortNames) }));
	const items = existingItems(tx);
	const decided =
		sourceId === undefined
			? []
			: tx
					.select({ start: proposal.quoteStart, end: proposal.quoteEnd })
					.from(proposal)
					.where(and(eq(proposal.sourceId, sourceId), inArray(proposal.status, ['accepted', 'rejected'])))
					.all();
	const rules = readRuleSettings(tx);
	return {
		units,
		items,
		calendar: workingCalendar(tx),
		decided,
		replyWithin: { instruction: { workingDays: rules.instructionReplyDays }, proposal: { months: rules.proposalReplyMonths } }
	};
}

function proposalRow(sourceId: number, p: Proposal, at: string): typeof proposal.$inferInsert {
	return {
		sourceId,
		quoteStart: p.start,
		quoteEnd: p.end,
		quote: p.quote,
		title: p.title,
		leadName: p.lead?.name ?? null,
		leadUnitId: p.lead?.unitId ?? null,
		coUnits: JSON.stringify(p.co),
		dueOn: p.deadline,
		milestones: JSON.stringify(p.milestones),
		why: JSON.stringify(p.why),
		duplicateOf: p.duplicateOf ? JSON.stringify(p.duplicateOf) : null,
		createdAt: at
	};
}

function slugFor(tx: Tx, kind: SourceKind, date: CalendarDate): string {
	const taken = new Set(
		tx
			.select({ slug: source.slug })
			.from(source)
			.all()
			.map((s) => s.slug)
	);
	const base = `${kind.replace('_', '-')}-${date}`;
	if (!taken.has(base)) return base;
	for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Stores a source as received and its proposals; returns the source. */
export function addSource(db: Db, input: NewSource, ctx: CommandContext) {
	requireRole(ctx.actor, 'manageItems');
	// The same form sent twice is answered before its text is analysed again (seconds for a long one);
	// `addSourceIn` checks once more in the transaction that stores.
	const before = justEntered(db, { ...input, body: normaliseText(input.body) }, ctx);
	if (before) return { source: before, proposals: 0, again: true };
	// Proposing reads and computes: done before the write, which then holds the database only to store.
	const found = proposalsFor(input, intakeContext(db));
	return db.transaction((tx) => addSourceIn(tx, input, ctx, found));
}

function proposalsFor(input: NewSource, ctx: IntakeContext) {
	return propose({ body: normaliseText(input.body), kind: input.kind, date: input.deliveredOn }, ctx);
}

/** `addSource` inside a caller's transaction (the demo's load). */
export function addSourceIn(tx: Tx, input: NewSource, ctx: CommandContext, proposed?: Proposal[]) {
	requireRole(ctx.actor, 'manageItems');
	const body = normaliseText(input.body);
	if (body.trim().length === 0) throw new WorkflowError('body', m.intake_no_text_given());
	const before = justEntered(tx, { ...input, body }, ctx);
	if (before) return { source: before, proposals: 0, again: true };
	const row = insertTracked(
		tx,
		source,
		{
			slug: slugFor(tx, input.kind, input.deliveredOn),
			title: input.title,
			speaker: input.speaker,
			deliveredOn: input.deliveredOn,
			kind: input.kind,
			body
		},
		{ ...ctx, note: '来源录入' }
	);
	const found = proposed ?? proposalsFor(input, intakeContext(tx));
	insertProposals(
		tx,
		found.map((p) => proposalRow(row.id, p, ctx.at))
	);
	return { source: row, proposals: found.length, again: false };
}

/** How long the same source entered again by the same person is the same entry sent twice. */
const RESENT_WITHIN_MS = 10 * 60_000;

/**
 * The source this person entered in the last minutes with the same kind, title, speaker, date and
 * text: the same form sent twice (a double click, a page resent), answered as the first was rather
 * than stored again with a second set of proposals nobody can remove. Entered by someone else or
 * longer ago, it is a new entry, which the review page marks as the same text as the earlier one.
 */
function justEntered(tx: Tx, input: NewSource & { body: string }, ctx: CommandContext) {
	if (ctx.actorId === null) return undefined;
	const alike = tx
		.select()
		.from(source)
		.where(
			and(
				eq(source.kind, input.kind),
				eq(source.deliveredOn, input.deliveredOn),
				eq(source.title, input.title),
				eq(source.speaker, input.speaker)
			)
		)
		.all()
		.filter((s) => s.body === input.body);
	const since = new Date(Date.parse(ctx.at) - RESENT_WITHIN_MS).toISOString();
	return alike.find((s) => {
		const entered = tx
			.select({ actorId: changeLog.actorId, at: changeLog.at })
			.from(changeLog)
			.where(and(eq(changeLog.entity, 'source'), eq(changeLog.entityId, String(s.id)), eq(changeLog.action, 'insert')))
			.get();
		return entered && entered.actorId === ctx.actorId && entered.at >= since;
	});
}

/** Proposes again (after the unit list grew, say): open proposals are replaced; decided ones stay and are not offered again. */
export function proposeAgain(db: Db, sourceId: number, ctx: CommandContext): number {
	requireRole(ctx.actor, 'manageItems');
	return db.transaction((tx) => {
		const doc = sourceRow(tx, sourceId);
		const open = tx
			.select()
			.from(proposal)
			.where(and(eq(proposal.sourceId, sourceId), eq(proposal.status, 'open')))
			.all();
		const found = propose({ body: doc.body, kind: doc.kind, date: doc.deliveredOn, sourceId }, intakeContext(tx, sourceId));
		// An open proposal the analysis makes again (the same words, the same steps) keeps its id, its other
		// suggestions refreshed: a 立项 form a colleague opened on it still goes through, and the steps it
		// ticked by their place in the list are the same steps. The others go; the new ones come.
		const sameWords = (p: { quoteStart: number; quoteEnd: number }) => `${p.quoteStart}|${p.quoteEnd}`;
		const openBySpan = new Map(open.map((o) => [sameWords(o), o]));
		const kept = new Set<number>();
		const fresh: (typeof proposal.$inferInsert)[] = [];
		for (const row of found.map((p) => proposalRow(sourceId, p, ctx.at))) {
			const before = openBySpan.get(sameWords(row));
			if (before && !kept.has(before.id) && before.quote === row.quote && before.milestones === row.milestones) {
				kept.add(before.id);
				const { createdAt: _made, ...refreshed } = row;
				tx.update(proposal).set(refreshed).where(eq(proposal.id, before.id)).run();
			} else fresh.push(row);
		}
		const gone = open.filter((o) => !kept.has(o.id)).map((o) => o.id);
		for (let i = 0; i < gone.length; i += 500)
			tx.delete(proposal)
				.where(inArray(proposal.id, gone.slice(i, i + 500)))
				.run();
		insertProposals(tx, fresh);
		return found.length;
	});
}

function sourceRow(tx: Tx, id: number) {
	const doc = tx.select().from(source).where(eq(source.id, id)).get();
	if (!doc) throw new WorkflowError('form', m.source_gone(), 404);
	return doc;
}

function openProposal(tx: Tx, sourceId: number, id: number) {
	const row = tx
		.select()
		.from(proposal)
		.where(and(eq(proposal.id, id), eq(proposal.sourceId, sourceId)))
		.get();
	if (!row) throw new WorkflowError('form', m.proposal_gone(), 404);
	if (row.status !== 'open') throw new WorkflowError('form', m.proposal_decided(), 409);
	return row;
}

/** The other sources holding this one's very text: a paste made twice, whose proposals would make each task twice. */
export function sourcesOfSameText(tx: Tx, sourceId: number): { id: number; title: string; deliveredOn: string }[] {
	return tx.all<{ id: number; title: string; deliveredOn: string }>(sql`
		SELECT id, title, delivered_on AS deliveredOn FROM source
		WHERE id <> ${sourceId} AND body = (SELECT body FROM source WHERE id = ${sourceId})
		ORDER BY id`);
}

export type ProposalView = Omit<typeof proposal.$inferSelect, 'coUnits' | 'milestones' | 'why' | 'duplicateOf'> & {
	coUnits: ProposedUnit[];
	milestones: { title: string; dueOn: CalendarDate }[];
	why: Cue[];
	duplicateOf: Proposal['duplicateOf'];
	itemCode: string | null;
};

/** A source's proposals, in the order of its text (or only `id`, when given). */
export function proposalsOf(tx: Tx, sourceId: number, id?: number): ProposalView[] {
	return tx
		.select({ p: proposal, itemCode: initiative.code })
		.from(proposal)
		.leftJoin(initiative, eq(initiative.id, proposal.initiativeId))
		.where(id === undefined ? eq(proposal.sourceId, sourceId) : and(eq(proposal.sourceId, sourceId), eq(proposal.id, id)))
		.orderBy(asc(proposal.quoteStart), asc(proposal.id))
		.all()
		.map(({ p, itemCode }) => ({
			...p,
			coUnits: JSON.parse(p.coUnits) as ProposedUnit[],
			milestones: JSON.parse(p.milestones) as { title: string; dueOn: CalendarDate }[],
			why: JSON.parse(p.why) as Cue[],
			duplicateOf: p.duplicateOf ? (JSON.parse(p.duplicateOf) as Proposal['duplicateOf']) : null,
			itemCode
		}));
}

export function getProposal(tx: Tx, sourceId: number, id: number): ProposalView | null {
	return proposalsOf(tx, sourceId, id)[0] ?? null;
}

export function rejectProposal(db: Db, sourceId: number, id: number, ctx: CommandContext & { actorId: number }): void {
	requireRole(ctx.actor, 'manageItems');
	db.transaction((tx) => {
		openProposal(tx, sourceId, id);
		tx.update(proposal).set({ status: 'rejected', decidedBy: ctx.actorId, decidedAt: ctx.at }).where(eq(proposal.id, id)).run();
	});
}

/** Joins a proposal with the next open one after it: one task written over two sentences. */
export function mergeWithNext(db: Db, sourceId: number, id: number, ctx: CommandContext): void {
	requireRole(ctx.actor, 'manageItems');
	db.transaction((tx) => {
		const first = openProposal(tx, sourceId, id);
		// The proposal right after it, and only if still open: a merge never takes in words already decided.
		const next = proposalsOf(tx, sourceId).find((p) => p.quoteStart >= first.quoteEnd);
		if (!next || next.status !== 'open') throw new WorkflowError('form', m.proposal_no_next());
		replaceWith(tx, sourceId, [first.id, next.id], [{ start: first.quoteStart, end: next.quoteEnd }], ctx.at);
	});
}

/** Cuts a proposal into its clauses, each a proposal of its own (a sentence that holds several tasks). */
export function splitProposal(db: Db, sourceId: number, id: number, ctx: CommandContext): void {
	requireRole(ctx.actor, 'manageItems');
	db.transaction((tx) => {
		const row = openProposal(tx, sourceId, id);
		const doc = sourceRow(tx, sourceId);
		const parts = clauses(doc.body, { start: row.quoteStart, end: row.quoteEnd });
		if (parts.length < 2) throw new WorkflowError('form', m.proposal_one_clause());
		if (parts.length > SPLIT_MAX) throw new WorkflowError('form', m.proposal_too_many_clauses({ count: parts.length, max: SPLIT_MAX }));
		// The source's proposals stay within what proposing it offers at most, as its review page says.
		const [{ count }] = tx
			.select({ count: sql<number>`count(*)` })
			.from(proposal)
			.where(eq(proposal.sourceId, sourceId))
			.all();
		if (count - 1 + parts.length > PROPOSALS_MAX) throw new WorkflowError('form', m.proposal_split_past_max({ max: PROPOSALS_MAX }));
		replaceWith(tx, sourceId, [row.id], parts, ctx.at);
	});
}

/**
 * The proposals `ids` become those of `spans`: the first keeps the first one's id, so that a 立项 form
 * open on it meets the new words (acceptProposal refuses it with the values kept, `opened`) rather
 * than a proposal that is gone.
 */
function replaceWith(tx: Tx, sourceId: number, ids: number[], spans: Span[], at: string) {
	const doc = sourceRow(tx, sourceId);
	const ctx = intakeContext(tx, sourceId);
	const input = { body: doc.body, kind: doc.kind, date: doc.deliveredOn, sourceId };
	const [first, ...rest] = proposeSpans(input, ctx, spans).map((p) => proposalRow(sourceId, p, at));
	const [kept, ...gone] = ids;
	if (gone.length) tx.delete(proposal).where(inArray(proposal.id, gone)).run();
	tx.update(proposal).set(first).where(eq(proposal.id, kept)).run();
	insertProposals(tx, rest);
}

/**
 * Proposals written some hundreds a statement: one statement for a long speech's 2,400 (each a dozen
 * values) passed SQLite's limit of 32,766 values and failed the whole paste as a 500.
 */
function insertProposals(tx: Tx, rows: (typeof proposal.$inferInsert)[]) {
	for (let i = 0; i < rows.length; i += 500)
		tx.insert(proposal)
			.values(rows.slice(i, i + 500))
			.run();
}

export const acceptSchema = newItemSchema.omit({ sourceId: true, quote: true }).extend({
	/** Milestones proposed, by index, that the supervisor kept. */
	steps: checkboxList(
		z
			.array(
				z
					.string()
					.regex(/^\d{1,2}$/, { error: () => m.form_invalid({ label: m.review_steps() }) })
					.transform(Number)
			)
			.max(STEPS_MAX)
			// Each proposed step once: the form has one box per step (a list naming one twice is forged).
			.refine((indices) => new Set(indices).size === indices.length, { error: () => m.form_invalid({ label: m.review_steps() }) })
	),
	/** A unit the source names that is not on the list, to be added as it is written. */
	newLeadUnit: z.preprocess((v) => v ?? '', optionalLine(m.field_lead_unit, 50)),
	newLeadKind: z.enum(['department', 'district']).optional(),
	/** The words the form was opened on (`start-end` in the source): a merge or split meanwhile changes them. */
	opened: z
		.string()
		.regex(/^\d{1,9}-\d{1,9}$/, { error: () => m.form_invalid({ label: m.source_quote() }) })
		.optional()
});

/** The proposal becomes an item (立项) with its kept milestones; a lead unit not on the list is added first when asked. */
export function acceptProposal(
	db: Db,
	sourceId: number,
	id: number,
	input: z.infer<typeof acceptSchema>,
	ctx: CommandContext & { actorId: number }
) {
	requireRole(ctx.actor, 'manageItems');
	return db.transaction((tx) => {
		const row = openProposal(tx, sourceId, id);
		// Merged with the next or split since the form was opened: the same id, other words and steps.
		if (input.opened !== undefined && input.opened !== openedSpan(row)) throw new WorkflowError('form', m.proposal_changed(), 409);
		// A task that may repeat an item already made (words of it made into an item, or the same words
		// pasted as two sources) is registered only when the office says it checked: a double entry takes
		// a deliberate tick, not two clicks. (An item of these very words is refused by createItemIn.)
		const repeat = row.duplicateOf ? (JSON.parse(row.duplicateOf) as NonNullable<Proposal['duplicateOf']>) : null;
		if (repeat && !input.confirmRepeat) throw new WorkflowError('confirmRepeat', m.proposal_confirm_repeat_needed({ code: repeat.code }));
		let leadUnitId = input.leadUnitId;
		if (input.newLeadUnit) {
			if (leadUnitId !== null) throw new WorkflowError('newLeadUnit', m.proposal_lead_twice());
			leadUnitId = addUnit(tx, input.newLeadUnit, input.newLeadKind ?? 'department', ctx);
		}
		const { steps, newLeadUnit: _n, newLeadKind: _k, opened: _o, ...fields } = input;
		const proposed = JSON.parse(row.milestones) as { title: string; dueOn: string }[];
		if (steps.some((index) => !proposed[index])) throw new WorkflowError('steps', m.form_invalid({ label: m.review_steps() }));
		const item = createItemIn(tx, { ...fields, leadUnitId, sourceId, quote: row.quote, quoteStart: row.quoteStart }, ctx);
		steps.forEach((index, position) => {
			const step = proposed[index]; // each index checked above
			if (!isCalendarDate(step.dueOn)) return;
			addMilestoneIn(tx, item.id, { title: step.title.slice(0, 100), dueOn: step.dueOn, weight: 1, position }, ctx);
		});
		tx.update(proposal)
			.set({ status: 'accepted', initiativeId: item.id, decidedBy: ctx.actorId, decidedAt: ctx.at })
			.where(eq(proposal.id, id))
			.run();
		markRepeatsOf(tx, { ...item, quote: row.quote, sourceId, start: row.quoteStart, end: row.quoteEnd });
		return item;
	});
}

/** A unit named in a source and not yet on the list, added as written (its code: u + a number). */
function addUnit(tx: Tx, typed: string, kind: 'department' | 'district', ctx: CommandContext): number {
	// A unit's name with spaces in it (a line break pasted into the field is one) or characters that take
	// no room (a zero-width space) is the unit without them, never a look-alike beside it: 市发展 改革委
	// and 市发展\u200B改革委 are 市发展改革委. A new unit's name never keeps an invisible character.
	const name = withoutInvisible(typed);
	const bare = (n: string) => withoutInvisible(n).replace(/\s+/g, '');
	const all = tx.select({ id: unit.id, code: unit.code, name: unit.name }).from(unit).all();
	const existing = all.find((u) => bare(u.name) === bare(name));
	if (existing) return existing.id;
	const taken = new Set(all.map((u) => u.code));
	let n = all.length + 1;
	while (taken.has(`u${n}`)) n += 1;
	return insertTracked(tx, unit, { code: `u${n}`, name, kind, position: all.length }, { ...ctx, note: '来源录入新增单位' }).id;
}
