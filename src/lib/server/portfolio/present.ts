/**
 * The present portfolio, kept up to date one change at a time. Every write appends to change_log in
 * its transaction, naming the record it changed; so the changes since the kept answer say which items
 * they touched, and only those are reloaded and re-evaluated. The city's other items keep their rows
 * and their evaluation: a unit's report costs its item, not the city.
 *
 * The whole portfolio is loaded and evaluated afresh when what every item shares changes (a theme,
 * a unit's name, a rule threshold), when the catalogue itself changes (an item added, removed or
 * moved), on a new day (the lights move with the calendar), and after a burst of changes (an import)
 * where reloading all is cheaper. The answer is then the same as a fresh computation's, row for row
 * and in the same order (`tests/unit/present-portfolio.test.ts` checks this over random writes).
 */
import { sql } from 'drizzle-orm';
import type { CalendarDate } from '$lib/dates';
import type { Tx } from '../db';
import { lastChangeId } from '../history';
import { retallied } from '$lib/tally';
import { evaluatedNow, evaluator, itemsNow, type EvaluatedCity } from './evaluate';

/** The kept answer, and where each item stands in its list (the order changes only with a full evaluation). */
type Present = { date: CalendarDate; version: number; answer: EvaluatedCity; positions: Map<number, number> };

/** One present per database connection (the server has one; each test database its own). */
const presents = new WeakMap<object, Present>();

/** Past this many changes since the kept answer, loading the whole city is the cheaper way. */
const MOST_CHANGES_APPLIED = 2000;

/** Tables whose change reaches every item's evaluation (names, thresholds). */
const CITY_WIDE = new Set(['theme', 'unit', 'setting']);
/** Tables whose rows belong to one item and that its evaluation reads. */
const PER_ITEM = new Set(['milestone', 'progress_report', 'initiative_co_unit']);

/** The portfolio as it is now, evaluated on `date`. Shared by every caller: read it, never change it. */
export function presentPortfolio(db: Tx, date: CalendarDate): EvaluatedCity {
	const version = lastChangeId(db);
	const kept = presents.get(db);
	if (kept && kept.date === date && kept.version === version) return kept.answer;
	const touched = kept && kept.date === date ? itemsTouched(db, kept.version, version) : 'all';
	const present = (touched !== 'all' && updated(db, kept!, touched, date, version)) || evaluateAll(db, date, version);
	presents.set(db, present);
	return present.answer;
}

/** The city loaded and evaluated afresh; kept without its loaded rows, which only the evaluation read. */
function evaluateAll(db: Tx, date: CalendarDate, version: number): Present {
	const { shared, items, tally } = evaluatedNow(db, date);
	return { date, version, answer: { shared, items, tally }, positions: new Map(items.map((item, k) => [item.id, k])) };
}

/**
 * The items the changes after `since` (up to `until`) touched, or 'all' when the whole portfolio must
 * be loaded again. Changes to records the evaluation does not read (a slip, a file, a comment) touch none.
 */
function itemsTouched(db: Tx, since: number, until: number): Set<number> | 'all' {
	if (until - since > MOST_CHANGES_APPLIED) return 'all';
	const changes = db.all<{ entity: string; entityId: string; action: string; itemId: number | null; moved: number }>(sql`
		SELECT entity, entity_id AS entityId, action,
			json_extract(coalesce(after, before), '$.initiativeId') AS itemId,
			(entity = 'initiative' AND action = 'update' AND (
				json_extract(before, '$.themeId') IS NOT json_extract(after, '$.themeId') OR
				json_extract(before, '$.position') IS NOT json_extract(after, '$.position'))) AS moved
		FROM change_log WHERE id > ${since} AND id <= ${until}`);
	const touched = new Set<number>();
	for (const c of changes) {
		if (CITY_WIDE.has(c.entity)) return 'all';
		if (c.entity === 'initiative') {
			if (c.action !== 'update' || c.moved) return 'all'; // the catalogue's order changed
			touched.add(Number(c.entityId));
		} else if (PER_ITEM.has(c.entity) && c.itemId !== null) touched.add(c.itemId);
	}
	return touched;
}

/**
 * `kept` with the items `ids` reloaded and evaluated again, each in its place (found by `positions`,
 * not by a pass over the city); every other item's evaluation is shared with `kept`, and the tally
 * follows by the touched items' difference. Null when one of them is gone or new (evaluate all).
 */
function updated(db: Tx, kept: Present, ids: Set<number>, date: CalendarDate, version: number): Present | null {
	const { answer, positions } = kept;
	if (ids.size === 0) return { ...kept, version };
	if ([...ids].some((id) => !positions.has(id))) return null;
	const fresh = itemsNow(db, date, [...ids]);
	if (fresh.items.length !== ids.size) return null;
	const after = fresh.items.map(evaluator({ ...answer.shared, ...fresh }, date));
	const before = after.map((item) => answer.items[positions.get(item.id)!]);
	const items = answer.items.slice();
	for (const item of after) items[positions.get(item.id)!] = item;
	return { date, version, positions, answer: { shared: answer.shared, items, tally: retallied(answer.tally, before, after) } };
}
