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
	if (user.role !== 'staff' || user.unitId === null) return false;
	return state.item.leadUnitId === user.unitId || state.coUnitIds.includes(user.unitId);
}

/** The part of an item that decides who may act on it. */
type ItemUnits = { item: Pick<ItemState['item'], 'leadUnitId'>; coUnitIds: number[] };

export function requireItemUnitStaff(user: SessionUser, state: ItemUnits): void {
	if (!isItemUnitStaff(user, state)) throw new WorkflowError('form', m.own_unit_only(), 403);
}

export function requireLeadUnitStaff(user: SessionUser, state: ItemUnits): void {
	if (user.role !== 'staff' || user.unitId === null || state.item.leadUnitId !== user.unitId) {
		throw new WorkflowError('form', m.lead_unit_only(), 403);
	}
}

export function requireActiveItem(state: { item: Pick<ItemState['item'], 'status'> }): void {
	if (state.item.status !== 'active') throw new WorkflowError('form', m.item_not_active(), 409);
}

/** A guard for form actions on one item: the acting staff must belong to one of its units (or lead it). */
export function itemUnitGuard(db: Tx, code: string, lead = false) {
	// Only the item's units are read here: the action itself loads the item in its transaction.
	return (user: SessionUser) => {
		const item = db
			.select({ id: initiative.id, leadUnitId: initiative.leadUnitId })
			.from(initiative)
			.where(eq(initiative.code, code))
			.get();
		if (!item) throw new WorkflowError('form', m.item_gone(), 404);
		const coUnitIds = db
			.select({ unitId: initiativeCoUnit.unitId })
			.from(initiativeCoUnit)
			.where(eq(initiativeCoUnit.initiativeId, item.id))
			.all()
			.map((r) => r.unitId);
		const units: ItemUnits = { item, coUnitIds };
		if (lead) requireLeadUnitStaff(user, units);
		else requireItemUnitStaff(user, units);
	};
}

/**
 * A draft belongs to its item's units until it is submitted: the staff of the lead and co-units
 * (who write it together) read it; everyone else, the office and leaders included, learns only that
 * a draft exists. Once submitted, the text is the unit's report and everyone who reads the item
 * reads it.
 */
export function mayReadDraft(user: Pick<SessionUser, 'role' | 'unitId'>, state: ItemUnits): boolean {
	return isItemUnitStaff(user, state);
}

/** The texts of a report that a draft withholds. */
export const draftTextFields = ['progress', 'problems', 'nextSteps'] as const;

const blankDraftTexts = Object.fromEntries(draftTextFields.map((f) => [f, ''])) as Record<(typeof draftTextFields)[number], string>;

type DraftParts = {
	reports: ({ id: number; status: string } & Record<(typeof draftTextFields)[number], string>)[];
	reportMilestones: { reportId: number }[];
};

/**
 * An item as `readsDrafts` may see it: for a reader who may not read drafts, a draft's texts are
 * blanked (`withheld` set) and the milestones it proposes as met (with their evidence) left out.
 */
export function withholdDrafts<T extends DraftParts>(readsDrafts: boolean, item: T) {
	const hidden = new Set(readsDrafts ? [] : item.reports.filter((r) => r.status === 'draft').map((r) => r.id));
	return {
		...item,
		reports: item.reports.map((r) =>
			hidden.has(r.id) ? { ...r, ...blankDraftTexts, withheld: true } : { ...r, withheld: false }
		) as (T['reports'][number] & { withheld: boolean })[],
		reportMilestones: item.reportMilestones.filter((rm) => !hidden.has(rm.reportId)) as T['reportMilestones']
	};
}
