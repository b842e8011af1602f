/**
 * Tracked writes: the one way to change a tracked table. Every insert, update and delete goes
 * through here and appends the whole record before and after to `change_log`, in the caller's
 * transaction, so that the state of any record at any past instant can be rebuilt.
 */
import { and, eq, getTableName, sql, type InferInsertModel, type InferSelectModel } from 'drizzle-orm';
import { preparedOnce, type Tx } from './db';
import {
	attachment,
	circular,
	changeLog,
	closureRequest,
	coUnitContribution,
	extensionRequest,
	initiative,
	initiativeCoUnit,
	instruction,
	milestone,
	progressReport,
	reportMilestone,
	setting,
	source,
	supervisionSlip,
	theme,
	unit,
	user
} from './db/schema';

/** Who changes something, and when. `at` is an ISO instant in UTC. */
export type ChangeContext = {
	at: string;
	actorId: number | null;
	/** For changes no user made: `catalogue`, `demo`, `system`. */
	actorLabel?: string | null;
	note?: string | null;
};

/** Tables whose rows have an integer `id`, tracked by these helpers. */
export const trackedTables = {
	source,
	theme,
	unit,
	user,
	initiative,
	milestone,
	progressReport,
	reportMilestone,
	coUnitContribution,
	extensionRequest,
	closureRequest,
	instruction,
	supervisionSlip,
	attachment,
	circular
};
type IdTable = (typeof trackedTables)[keyof typeof trackedTables];

/** Every table whose history is kept, by its SQL name (the `entity` of change_log). */
export const trackedTableNames = [
	...Object.values(trackedTables).map((t) => getTableName(t)),
	getTableName(initiativeCoUnit),
	getTableName(setting)
];

/**
 * The id of the last change to any tracked record: every write appends to change_log in its own
 * transaction, so this is the data's version (what the caches of pages and portfolios key on).
 */
export function lastChangeId(db: Tx): number {
	return lastChange(db).get()?.v ?? 0;
}

/** Every request for a kept page asks for the data's version. */
const lastChange = preparedOnce((db) =>
	db
		.select({ v: sql<number | null>`max(${changeLog.id})` })
		.from(changeLog)
		.prepare()
);

function log(
	tx: Tx,
	ctx: ChangeContext,
	entity: string,
	entityId: string,
	action: 'insert' | 'update' | 'delete',
	before: unknown,
	after: unknown
) {
	tx.insert(changeLog)
		.values({
			at: ctx.at,
			actorId: ctx.actorId,
			actorLabel: ctx.actorLabel ?? null,
			entity,
			entityId,
			action,
			before: before ?? null,
			after: after ?? null,
			note: ctx.note ?? null
		})
		.run();
}

export function insertTracked<T extends IdTable>(tx: Tx, table: T, values: InferInsertModel<T>, ctx: ChangeContext): InferSelectModel<T> {
	// drizzle cannot narrow a union of tables inside a generic; the row type is restored on return.
	const row = tx
		.insert(table as typeof unit)
		.values(values as never)
		.returning()
		.get() as InferSelectModel<T>;
	log(tx, ctx, getTableName(table), String(row.id), 'insert', null, row);
	return row;
}

/**
 * Applies `patch` to the row with `id` and logs it; bumps `version` where the table has one.
 * Returns the updated row, or null when there is no such row.
 */
export function updateTracked<T extends IdTable>(
	tx: Tx,
	table: T,
	id: number,
	patch: Partial<InferInsertModel<T>>,
	ctx: ChangeContext
): InferSelectModel<T> | null {
	const t = table as typeof initiative;
	const before = tx.select().from(t).where(eq(t.id, id)).get() as InferSelectModel<T> | undefined;
	if (!before) return null;
	const bump = 'version' in before ? { version: (before.version as number) + 1 } : {};
	const after = tx
		.update(t)
		.set({ ...(patch as object), ...bump })
		.where(eq(t.id, id))
		.returning()
		.get() as InferSelectModel<T>;
	log(tx, ctx, getTableName(table), String(id), 'update', before, after);
	return after;
}

export function deleteTracked<T extends IdTable>(tx: Tx, table: T, id: number, ctx: ChangeContext): boolean {
	const t = table as typeof initiative;
	const before = tx.select().from(t).where(eq(t.id, id)).get();
	if (!before) return false;
	tx.delete(t).where(eq(t.id, id)).run();
	log(tx, ctx, getTableName(table), String(id), 'delete', before, null);
	return true;
}

/** Makes the co-units (配合单位) of an item exactly `unitIds`, logging each one added or removed. */
export function setCoUnits(tx: Tx, initiativeId: number, unitIds: number[], ctx: ChangeContext): void {
	const entity = getTableName(initiativeCoUnit);
	const current = tx.select().from(initiativeCoUnit).where(eq(initiativeCoUnit.initiativeId, initiativeId)).all();
	const wanted = new Set(unitIds);
	for (const row of current) {
		if (wanted.has(row.unitId)) continue;
		tx.delete(initiativeCoUnit)
			.where(and(eq(initiativeCoUnit.initiativeId, initiativeId), eq(initiativeCoUnit.unitId, row.unitId)))
			.run();
		log(tx, ctx, entity, `${initiativeId}:${row.unitId}`, 'delete', row, null);
	}
	const have = new Set(current.map((r) => r.unitId));
	for (const unitId of wanted) {
		if (have.has(unitId)) continue;
		const row = { initiativeId, unitId };
		tx.insert(initiativeCoUnit).values(row).run();
		log(tx, ctx, entity, `${initiativeId}:${unitId}`, 'insert', null, row);
	}
}

/** Sets one setting (keyed by name, not id) and logs it. */
export function putSetting(tx: Tx, key: string, value: unknown, ctx: ChangeContext): void {
	const before = tx.select().from(setting).where(eq(setting.key, key)).get() ?? null;
	const after = before
		? tx
				.update(setting)
				.set({ value, version: before.version + 1 })
				.where(eq(setting.key, key))
				.returning()
				.get()
		: tx.insert(setting).values({ key, value }).returning().get();
	log(tx, ctx, getTableName(setting), key, before ? 'update' : 'insert', before, after);
}
