/** Which items a person may act on as a unit (责任单位): those their unit leads or co-owns. */
import type { SessionUser } from '../auth/sessions';
import { eq } from 'drizzle-orm';
import type { Tx } from '../db';
import { initiative } from '../db/schema';
import { itemState, type ItemState } from '../item-state';
import { WorkflowError } from './errors';

export function isItemUnitStaff(user: Pick<SessionUser, 'role' | 'unitId'>, state: Pick<ItemState, 'item' | 'coUnitIds'>): boolean {
	if (user.role !== 'staff' || user.unitId === null) return false;
	return state.item.leadUnitId === user.unitId || state.coUnitIds.includes(user.unitId);
}

export function requireItemUnitStaff(user: SessionUser, state: ItemState): void {
	if (!isItemUnitStaff(user, state)) throw new WorkflowError('form', '只能为本单位牵头或配合的任务办理此事项。', 403);
}

export function requireLeadUnitStaff(user: SessionUser, state: ItemState): void {
	if (user.role !== 'staff' || user.unitId === null || state.item.leadUnitId !== user.unitId) {
		throw new WorkflowError('form', '只有牵头单位可以办理此事项。', 403);
	}
}

export function requireActiveItem(state: ItemState): void {
	if (state.item.status !== 'active') throw new WorkflowError('form', '该任务已销号或撤销,不能再办理。', 409);
}

/** A guard for form actions on one item: the acting staff must belong to one of its units (or lead it). */
export function itemUnitGuard(db: Tx, code: string, lead = false) {
	return (user: SessionUser) => {
		const id = db.select({ id: initiative.id }).from(initiative).where(eq(initiative.code, code)).get()?.id;
		const state = id === undefined ? null : itemState(db, id, null);
		if (!state) throw new WorkflowError('form', '该任务不存在。', 404);
		if (lead) requireLeadUnitStaff(user, state);
		else requireItemUnitStaff(user, state);
	};
}
