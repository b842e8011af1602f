/** Which items a person may act on as a unit (责任单位): those their unit leads or co-owns. */
import type { SessionUser } from '../auth/sessions';
import { eq } from 'drizzle-orm';
import type { Tx } from '../db';
import { initiative, initiativeCoUnit } from '../db/schema';
import type { ItemState } from '../item-state';
import { WorkflowError } from './errors';
import { m } from '$lib/i18n';

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
