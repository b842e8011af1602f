/** Which items a person may act on as a unit (责任单位): those their unit leads or co-owns. */
import { can, type Permission } from '$lib/roles';
import type { SessionUser } from '../auth/sessions';
import type { ChangeContext } from '../history';
import { eq } from 'drizzle-orm';
import type { Tx } from '../db';
import { initiative, initiativeCoUnit } from '../db/schema';
import type { ItemState } from '../item-state';
import { WorkflowError } from './errors';
import { m } from '$lib/i18n';

/**
 * Who runs a workflow command: a signed-in person, or the system itself (the demo loader, a script
 * an administrator runs on the server), named for the history. Every command checks its actor
 * itself, so that a new route, the CLI or a script cannot reach it around the rule.
 */
export type Actor = Pick<SessionUser, 'id' | 'role' | 'unitId'> | { system: string };

/** What every workflow command is given: the change's context and who acts. */
export type CommandContext = ChangeContext & { actor: Actor };

/** Refuses (403) an actor whose role lacks `permission`; the system may run every command. */
export function requireRole(actor: Actor, permission: Permission): void {
	if ('system' in actor) return;
	if (!can(actor.role, permission)) throw new WorkflowError('form', m.no_permission(), 403);
}

export function isItemUnitStaff(user: Pick<SessionUser, 'role' | 'unitId'>, state: ItemUnits): boolean {
	return isLeadUnitStaff(user, state) || isCoUnitStaff(user, state);
}

/** Staff of the item's 牵头单位: they write and submit its monthly report. */
export function isLeadUnitStaff(user: Pick<SessionUser, 'role' | 'unitId'>, state: ItemUnits): boolean {
	return user.role === 'staff' && user.unitId !== null && state.item.leadUnitId === user.unitId;
}

/** Staff of one of the item's 配合单位 (and not its lead): they write their unit's 协办意见. */
export function isCoUnitStaff(user: Pick<SessionUser, 'role' | 'unitId'>, state: ItemUnits): boolean {
	return user.role === 'staff' && user.unitId !== null && state.item.leadUnitId !== user.unitId && state.coUnitIds.includes(user.unitId);
}

/** The part of an item that decides who may act on it. */
type ItemUnits = { item: Pick<ItemState['item'], 'leadUnitId'>; coUnitIds: number[] };

export function requireItemUnitStaff(user: Pick<SessionUser, 'role' | 'unitId'>, state: ItemUnits): void {
	if (!isItemUnitStaff(user, state)) throw new WorkflowError('form', m.own_unit_only(), 403);
}

export function requireLeadUnitStaff(user: Pick<SessionUser, 'role' | 'unitId'>, state: ItemUnits): void {
	if (!isLeadUnitStaff(user, state)) throw new WorkflowError('form', m.lead_unit_only(), 403);
}

export function requireCoUnitStaff(user: Pick<SessionUser, 'role' | 'unitId'>, state: ItemUnits): void {
	if (!isCoUnitStaff(user, state)) throw new WorkflowError('form', m.co_unit_only(), 403);
}

export function requireActiveItem(state: { item: Pick<ItemState['item'], 'status'> }): void {
	if (state.item.status !== 'active') throw new WorkflowError('form', m.item_not_active(), 409);
}

/** Which of an item's units a form action is for: any of them, its lead, or a co-unit. */
type UnitPart = 'any' | 'lead' | 'co';
const unitRequirement = { any: requireItemUnitStaff, lead: requireLeadUnitStaff, co: requireCoUnitStaff } as const;

/** A guard for form actions on one item: the acting staff must belong to its units in the `part` named. */
export function itemUnitGuard(db: Tx, code: string, part: UnitPart = 'any') {
	// Only the item and its units are read here: the action itself loads the rest in its transaction.
	return (user: SessionUser) => {
		const item = db.select({ id: initiative.id }).from(initiative).where(eq(initiative.code, code)).get();
		if (!item) throw new WorkflowError('form', m.item_gone(), 404);
		unitRequirement[part](user, itemWithUnits(db, item.id));
	};
}

/** An item's row and its co-units: what decides who may act on it. A 404 when the item is gone. */
export function itemWithUnits(tx: Tx, initiativeId: number) {
	const item = tx.select().from(initiative).where(eq(initiative.id, initiativeId)).get();
	if (!item) throw new WorkflowError('form', m.item_gone(), 404);
	const coUnitIds = tx
		.select({ unitId: initiativeCoUnit.unitId })
		.from(initiativeCoUnit)
		.where(eq(initiativeCoUnit.initiativeId, initiativeId))
		.all()
		.map((c) => c.unitId);
	return { item, coUnitIds };
}

/**
 * A draft belongs to the unit that writes it until it is submitted: the staff of the lead unit read
 * the month's draft; everyone else (co-units, the office, leaders) learns only that a draft exists.
 * Once submitted, the text is the unit's report and everyone who reads the item reads it.
 */
export function mayReadDraft(user: Pick<SessionUser, 'role' | 'unitId'>, state: ItemUnits): boolean {
	return isLeadUnitStaff(user, state);
}

/**
 * A co-unit's contribution (协办意见) is read by the lead unit, which writes the report with it, and
 * by the co-unit that wrote it; everyone else reads it once it has gone to the office with the
 * report: the report was submitted (and is not a draft again) after the contribution was written. A
 * contribution revised after the office returned the report waits for the resubmission.
 */
export function mayReadContribution(
	user: Pick<SessionUser, 'role' | 'unitId'>,
	state: ItemUnits,
	contribution: { unitId: number; writtenAt: string },
	report: { status: string; submittedAt: string | null } | undefined
): boolean {
	if (report && report.status !== 'draft' && report.submittedAt !== null && contribution.writtenAt <= report.submittedAt) return true;
	return isLeadUnitStaff(user, state) || (user.role === 'staff' && user.unitId === contribution.unitId);
}

/** The unit whose staff `user` is; null for the office, leaders and administrators. */
export function staffUnitOf(user: Pick<SessionUser, 'role' | 'unitId'>): number | null {
	return user.role === 'staff' ? user.unitId : null;
}

/**
 * A slip (督办单) presses one unit: the office, leaders and administrators read every slip, staff only
 * those addressed to their unit (not another unit's, nor a co-unit's of the same item).
 */
export function mayReadSlip(staffUnit: number | null, slip: { unitId: number }): boolean {
	return staffUnit === null || staffUnit === slip.unitId;
}

/**
 * A leader's instruction (批示) on an item is for the units that carry it out: the office, leaders and
 * administrators read every one, staff those of the items their unit leads or co-owns (the lead
 * answers, the co-units read), as a slip is read only by the unit it presses.
 */
export function mayReadInstructions(user: Pick<SessionUser, 'role' | 'unitId'>, state: ItemUnits): boolean {
	return user.role !== 'staff' || isItemUnitStaff(user, state);
}

/**
 * The office's return comment (退回意见) corrects one unit's report: the office, leaders and
 * administrators read it, and staff of the item's units (the lead corrects, a co-unit may have to
 * revise its 协办意见), as a leader's instruction is read. Staff of other units, whom the month's
 * ranking sets beside that unit, read that the report was returned, not what the office said.
 */
export function mayReadReviewComments(user: Pick<SessionUser, 'role' | 'unitId'>, state: ItemUnits): boolean {
	return mayReadInstructions(user, state);
}

/** A withdrawn evidence file stays retrievable for the office (and administrators), not for others. */
export function readsWithdrawnFiles(user: Pick<SessionUser, 'role'>): boolean {
	return user.role === 'supervisor' || user.role === 'admin';
}

/** The texts of a report that a draft withholds. */
export const draftTextFields = ['progress', 'problems', 'nextSteps'] as const;

const blankDraftTexts = Object.fromEntries(draftTextFields.map((f) => [f, ''])) as Record<(typeof draftTextFields)[number], string>;

type DraftParts = ItemUnits & {
	reports: ({ id: number; month: string; status: string; submittedAt: string | null; reviewComment: string | null } & Record<
		(typeof draftTextFields)[number],
		string
	>)[];
	reportMilestones: { reportId: number }[];
	contributions: { unitId: number; month: string; writtenAt: string }[];
	attachments: { reportId: number | null; slipId: number | null; withdrawnAt: string | null }[];
	slips: { id: number; unitId: number }[];
	instructions: unknown[];
};

/**
 * An item as `user` may see it: for a reader who may not read drafts, a draft's texts are blanked
 * (`withheld` set) and the milestones it proposes as met (with their evidence) left out; the
 * contributions the reader may not yet read (`mayReadContribution`), the slips addressed to
 * another unit (`mayReadSlip`) and, for staff of a unit not on the item, its instructions
 * (`mayReadInstructions`) are left out, and its reports' return comments (`mayReadReviewComments`) blanked.
 */
export function withholdDrafts<T extends DraftParts>(user: Pick<SessionUser, 'role' | 'unitId'>, item: T) {
	const readsDrafts = mayReadDraft(user, item);
	const readsComments = mayReadReviewComments(user, item);
	const hidden = new Set(readsDrafts ? [] : item.reports.filter((r) => r.status === 'draft').map((r) => r.id));
	const reportOf = new Map(item.reports.map((r) => [r.month, r]));
	const slipsRead = item.slips.filter((s) => mayReadSlip(staffUnitOf(user), s));
	return {
		...item,
		reports: item.reports
			.map((r) => (hidden.has(r.id) ? { ...r, ...blankDraftTexts, withheld: true } : { ...r, withheld: false }))
			.map((r) => (readsComments || r.reviewComment === null ? r : { ...r, reviewComment: null })) as (T['reports'][number] & {
			withheld: boolean;
		})[],
		reportMilestones: item.reportMilestones.filter((rm) => !hidden.has(rm.reportId)) as T['reportMilestones'],
		contributions: item.contributions.filter((c) => mayReadContribution(user, item, c, reportOf.get(c.month))) as T['contributions'],
		slips: slipsRead as T['slips'],
		instructions: (mayReadInstructions(user, item) ? item.instructions : []) as T['instructions'],
		// A draft's files go with its texts; a withdrawn file is the office's to see.
		attachments: item.attachments.filter(
			(a) =>
				!(a.reportId !== null && hidden.has(a.reportId)) &&
				(a.slipId === null || slipsRead.some((s) => s.id === a.slipId)) &&
				(a.withdrawnAt === null || readsWithdrawnFiles(user))
		) as T['attachments']
	};
}
