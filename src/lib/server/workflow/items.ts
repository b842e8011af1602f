/**
 * What the supervision office does to items and milestones (立项, editing, removal). Removal of a
 * milestone is recorded (it stays, marked removed), never a silent delete.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { formatMonth } from '$lib/dates';
import { locateQuote } from '$lib/source-text';
import type { Db, Tx } from '../db';
import { initiative, initiativeCoUnit, milestone, progressReport, source, theme, unit } from '../db/schema';
import {
	calendarDate,
	checkboxList,
	chosenId,
	optionalDate,
	optionalId,
	optionalLine,
	longText,
	text,
	versionField,
	wholeNumber
} from '../forms';
import { insertTracked, setCoUnits, updateTracked } from '../history';
import { requireRole, type CommandContext } from './access';
import * as notices from '../notifications/notices';
import { markRepeatsOf, repeatOf } from '../intake/repeats';
import { expectVersion, WorkflowError } from './errors';
import { m } from '$lib/i18n';

const coUnitIds = checkboxList(
	z
		.array(
			z
				.string()
				.regex(/^\d{1,9}$/, { error: () => m.form_invalid({ label: m.entity_co_unit() }) })
				.transform(Number)
		)
		.max(30, { error: () => m.co_units_too_many() })
);

const itemFields = {
	title: text(m.item_title, 80),
	themeId: chosenId(m.field_theme),
	leadUnitId: optionalId(m.field_lead_unit),
	coUnitIds,
	leader: optionalLine(m.field_leader, 50),
	startOn: optionalDate(m.field_start_on),
	dueOn: optionalDate(m.col_deadline)
};

/** The longest quote an item holds (a few sentences; a longer passage is split into items). */
export const QUOTE_MAX = 1000;

export const newItemSchema = z.object({
	code: z
		.string()
		.trim()
		.regex(/^[A-Z]{2,6}-\d{2,3}$/, { error: () => m.item_code_format() }),
	sourceId: wholeNumber(m.entity_source, 1, 1e9),
	quote: longText(m.source_quote, QUOTE_MAX),
	/** Where the quote starts, when it was chosen in the text (words that stand twice are then told apart). */
	quoteStart: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(1e9).optional()),
	/** Ticked when the task may repeat an item (查重): made anyway, the office having checked it is another task. */
	confirmRepeat: z.preprocess((v) => v === 'on' || v === true, z.boolean()).optional(),
	...itemFields
});
export const itemChangeSchema = z.object({
	version: versionField,
	/** The office's consent that the lead unit's unsent drafts go to the new lead unit (a checkbox). */
	handOverDrafts: z.preprocess((v) => v === 'on' || v === true, z.boolean()).optional(),
	...itemFields
});

export const milestoneSchema = z.object({
	title: text(m.milestone_title, 100),
	dueOn: calendarDate(m.milestone_due_on),
	weight: wholeNumber(m.field_weight, 1, 1000),
	// 顺序 as the pages number milestones (序号 from 1); stored from 0 (`shownPosition`).
	position: wholeNumber(m.field_position, 1, 1000).transform((n) => n - 1)
});
export const milestoneChangeSchema = milestoneSchema.extend({ version: versionField });

type ItemFields = Omit<z.infer<typeof itemChangeSchema>, 'version'>;

function checkItemFields(tx: Tx, fields: ItemFields) {
	if (!tx.select({ id: theme.id }).from(theme).where(eq(theme.id, fields.themeId)).get())
		throw new WorkflowError('themeId', m.theme_gone());
	const units = [fields.leadUnitId, ...fields.coUnitIds].filter((x): x is number => x !== null);
	const found = units.length ? tx.select({ id: unit.id }).from(unit).where(inArray(unit.id, units)).all().length : 0;
	if (found !== new Set(units).size) throw new WorkflowError('leadUnitId', m.unit_gone());
	if (fields.leadUnitId !== null && fields.coUnitIds.includes(fields.leadUnitId))
		throw new WorkflowError('coUnitIds', m.lead_not_co_unit());
	if (fields.startOn && fields.dueOn && fields.dueOn < fields.startOn) throw new WorkflowError('dueOn', m.due_before_start());
}

export function createItem(db: Db, input: z.infer<typeof newItemSchema>, ctx: CommandContext) {
	requireRole(ctx.actor, 'manageItems');
	return db.transaction((tx) => {
		const row = createItemIn(tx, input, ctx);
		const made = { ...row, quote: row.sourceQuote, start: row.quoteStart, end: row.quoteEnd };
		// A task that may repeat an item already made (some of these words, or the same words pasted as
		// another source) is made only when the office ticks that it checked, as a proposal's 立项 is;
		// refused, the transaction undoes it.
		const repeat = input.confirmRepeat ? null : repeatOf(tx, made, row.id);
		if (repeat) throw new WorkflowError('confirmRepeat', m.proposal_confirm_repeat_needed({ code: repeat.code }));
		// Made by hand from words a source's analysis also proposed: that proposal says so from now on,
		// as it does once another proposal of the same words is accepted.
		markRepeatsOf(tx, made);
		return row;
	});
}

/**
 * 立项 inside a caller's transaction. The quote is found in the source's text; where the same words
 * stand twice, `quoteStart` says which (a proposal knows its offsets), else it is refused as ambiguous.
 */
export function createItemIn(tx: Tx, input: z.infer<typeof newItemSchema>, ctx: CommandContext) {
	requireRole(ctx.actor, 'manageItems');
	checkItemFields(tx, input);
	// A new item's code is its theme's (YRD-05 under 长三角一体化): the code is how the ledger, the
	// documents and people name it, and what the theme's next code is counted from.
	const prefix = tx.select({ code: theme.code }).from(theme).where(eq(theme.id, input.themeId)).get()!.code;
	if (!input.code.startsWith(`${prefix}-`))
		throw new WorkflowError('code', m.code_not_of_theme({ prefix, example: nextItemCodes(tx)[input.themeId] ?? `${prefix}-01` }));
	if (tx.select({ id: initiative.id }).from(initiative).where(eq(initiative.code, input.code)).get())
		throw new WorkflowError('code', m.code_taken());
	const doc = tx.select().from(source).where(eq(source.id, input.sourceId)).get();
	if (!doc) throw new WorkflowError('sourceId', m.source_gone());
	// A quote chosen in the text comes back from a textarea with \r\n (as browsers send one): the text has \n.
	const quote = input.quote.replace(/\r\n?/g, '\n');
	if (quote.length > QUOTE_MAX) throw new WorkflowError('quote', m.quote_too_long({ max: QUOTE_MAX }));
	const at = input.quoteStart;
	const located =
		at !== undefined && doc.body.slice(at, at + quote.length) === quote && quote.length > 0
			? { ok: true as const, span: { start: at, end: at + quote.length } }
			: locateQuote(doc.body, quote);
	if (!located.ok) {
		throw new WorkflowError('quote', located.reason === 'missing' ? m.quote_missing() : m.quote_ambiguous());
	}
	// The same words of the same source are one commitment: a second item over them (by hand, or a
	// proposal of them accepted after) is refused, naming the first.
	const twin = tx
		.select({ code: initiative.code, title: initiative.title })
		.from(initiative)
		.where(
			and(eq(initiative.sourceId, input.sourceId), eq(initiative.quoteStart, located.span.start), eq(initiative.quoteEnd, located.span.end))
		)
		.get();
	if (twin) throw new WorkflowError('quote', m.quote_already_item({ code: twin.code, title: twin.title }), 409);
	const position = tx.select({ id: initiative.id }).from(initiative).where(eq(initiative.themeId, input.themeId)).all().length;
	const { coUnitIds: co, quote: _typed, quoteStart: _at, confirmRepeat: _checked, ...fields } = input;
	const row = insertTracked(
		tx,
		initiative,
		{ ...fields, sourceQuote: quote, quoteStart: located.span.start, quoteEnd: located.span.end, position },
		{ ...ctx, note: '立项' }
	);
	setCoUnits(tx, row.id, co, ctx);
	notices.unitsAssigned(tx, row, { lead: row.leadUnitId, co }, ctx.at);
	return row;
}

/** Each theme's first free item code (INN-05 after INN-04), for a new item of that theme; the codes are read once. */
export function nextItemCodes(tx: Tx): Record<number, string> {
	const taken = new Set(
		tx
			.select({ code: initiative.code })
			.from(initiative)
			.all()
			.map((r) => r.code)
	);
	const codes: Record<number, string> = {};
	for (const t of tx.select({ id: theme.id, code: theme.code }).from(theme).all()) {
		for (let n = 1; n < 1000 && codes[t.id] === undefined; n++) {
			const code = `${t.code}-${String(n).padStart(2, '0')}`;
			if (!taken.has(code)) codes[t.id] = code;
		}
	}
	return codes;
}

export function updateItem(db: Db, initiativeId: number, input: z.infer<typeof itemChangeSchema>, ctx: CommandContext) {
	requireRole(ctx.actor, 'manageItems');
	return db.transaction((tx) => {
		const before = tx.select().from(initiative).where(eq(initiative.id, initiativeId)).get();
		if (!before) throw new WorkflowError('form', m.item_gone(), 404);
		expectVersion(tx, 'initiative', before, input.version);
		const { version: _v, handOverDrafts, coUnitIds: co, ...fields } = input;
		checkItemFields(tx, input);
		// A draft is its lead unit's until sent (`mayReadDraft`): a new lead unit would read and send the
		// old one's unsent words. Only with the office's consent, which the form asks for.
		if (fields.leadUnitId !== before.leadUnitId && !handOverDrafts) {
			const drafts = tx
				.select({ month: progressReport.month })
				.from(progressReport)
				.where(and(eq(progressReport.initiativeId, initiativeId), eq(progressReport.status, 'draft')))
				.all();
			if (drafts.length)
				throw new WorkflowError(
					'handOverDrafts',
					m.lead_change_drafts({ months: drafts.map((d) => formatMonth(d.month)).join(m.list_separator()) }),
					409
				);
		}
		checkDatesAgainstMilestones(tx, initiativeId, fields, before.dueOn);
		const coBefore = new Set(
			tx
				.select()
				.from(initiativeCoUnit)
				.where(eq(initiativeCoUnit.initiativeId, initiativeId))
				.all()
				.map((c) => c.unitId)
		);
		const after = updateTracked(tx, initiative, initiativeId, fields, ctx)!;
		setCoUnits(tx, initiativeId, co, ctx);
		// The units newly given the item hear of it, and those taken off it; those it kept hear nothing.
		const leadChanged = after.leadUnitId !== before.leadUnitId;
		notices.unitsAssigned(tx, after, { lead: leadChanged ? after.leadUnitId : null, co: co.filter((u) => !coBefore.has(u)) }, ctx.at);
		const stillCo = new Set(co);
		notices.unitsRelieved(
			tx,
			after,
			{
				// A lead unit made a co-unit hears it as a co-unit (above), not that it was relieved.
				lead: leadChanged && before.leadUnitId !== null && !stillCo.has(before.leadUnitId) ? before.leadUnitId : null,
				co: [...coBefore].filter((u) => !stillCo.has(u) && u !== after.leadUnitId)
			},
			ctx.at
		);
	});
}

/**
 * The item's dates against its milestones, removed ones left out (a removed milestone held the start
 * date where it was): none due before the start; and a deadline moved is not before a milestone still
 * open, as a unit's extension of a milestone is not past the deadline (requests.ts).
 */
function checkDatesAgainstMilestones(
	tx: Tx,
	initiativeId: number,
	dates: { startOn: string | null; dueOn: string | null },
	dueBefore: string | null
) {
	const kept = tx
		.select({ title: milestone.title, dueOn: milestone.dueOn, completedOn: milestone.completedOn })
		.from(milestone)
		.where(and(eq(milestone.initiativeId, initiativeId), isNull(milestone.removedAt)))
		.all()
		.sort((a, b) => a.dueOn.localeCompare(b.dueOn));
	const first = kept[0];
	if (dates.startOn && first && first.dueOn < dates.startOn)
		throw new WorkflowError('startOn', m.start_after_milestone({ date: first.dueOn }));
	const lastOpen = kept.filter((x) => x.completedOn === null).at(-1);
	if (dates.dueOn && dates.dueOn !== dueBefore && lastOpen && lastOpen.dueOn > dates.dueOn)
		throw new WorkflowError('dueOn', m.deadline_before_milestone({ title: lastOpen.title, date: lastOpen.dueOn }));
}

/** A milestone's date within its item's: not before the start, not after the deadline. */
function checkMilestoneDate(item: typeof initiative.$inferSelect, input: { title: string; dueOn: string }) {
	if (item.startOn && input.dueOn < item.startOn) throw new WorkflowError('dueOn', m.milestone_before_start({ date: item.startOn }));
	if (item.dueOn && input.dueOn > item.dueOn)
		throw new WorkflowError('dueOn', m.milestone_after_deadline({ title: input.title, date: item.dueOn }));
}

export function addMilestone(db: Db, initiativeId: number, input: z.infer<typeof milestoneSchema>, ctx: CommandContext) {
	requireRole(ctx.actor, 'manageItems');
	return db.transaction((tx) => addMilestoneIn(tx, initiativeId, input, ctx));
}

export function addMilestoneIn(tx: Tx, initiativeId: number, input: z.infer<typeof milestoneSchema>, ctx: CommandContext) {
	const item = tx.select().from(initiative).where(eq(initiative.id, initiativeId)).get();
	if (!item) throw new WorkflowError('form', m.item_gone(), 404);
	checkMilestoneDate(item, input);
	return insertTracked(tx, milestone, { initiativeId, ...input }, ctx);
}

function ownMilestone(tx: Tx, initiativeId: number, milestoneId: number) {
	const row = tx
		.select()
		.from(milestone)
		.where(and(eq(milestone.id, milestoneId), eq(milestone.initiativeId, initiativeId)))
		.get();
	if (!row || row.removedAt !== null) throw new WorkflowError('form', m.milestone_gone(), 404);
	return row;
}

export function updateMilestone(
	db: Db,
	initiativeId: number,
	milestoneId: number,
	input: z.infer<typeof milestoneChangeSchema>,
	ctx: CommandContext
) {
	requireRole(ctx.actor, 'manageItems');
	return db.transaction((tx) => {
		const row = ownMilestone(tx, initiativeId, milestoneId);
		expectVersion(tx, 'milestone', row, input.version);
		checkMilestoneDate(tx.select().from(initiative).where(eq(initiative.id, initiativeId)).get()!, input);
		const { version: _v, ...fields } = input;
		return updateTracked(tx, milestone, milestoneId, fields, ctx);
	});
}

export function removeMilestone(db: Db, initiativeId: number, milestoneId: number, version: number, reason: string, ctx: CommandContext) {
	if (!reason.trim()) throw new WorkflowError('reason', m.removal_reason_missing());
	requireRole(ctx.actor, 'manageItems');
	return db.transaction((tx) => {
		const row = ownMilestone(tx, initiativeId, milestoneId);
		expectVersion(tx, 'milestone', row, version);
		return updateTracked(tx, milestone, milestoneId, { removedAt: ctx.at }, { ...ctx, note: `删除节点:${reason.trim()}` });
	});
}
