/** The units (单位) as the pages and notices name them. */
import { asc, eq } from 'drizzle-orm';
import type { Tx } from './db';
import { unit } from './db/schema';

/** Every unit, in the catalogue's order. */
export function listUnits(db: Tx) {
	return db.select({ id: unit.id, name: unit.name }).from(unit).orderBy(asc(unit.position)).all();
}

/** A unit's name now, or null for no unit (or one since removed). */
export function unitName(db: Tx, unitId: number | null): string | null {
	if (unitId === null) return null;
	return db.select({ name: unit.name }).from(unit).where(eq(unit.id, unitId)).get()?.name ?? null;
}
