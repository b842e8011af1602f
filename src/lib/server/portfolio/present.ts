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

type Present = { date: CalendarDate; version: number; answer: EvaluatedCity };

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
	const answer = touched === 'all' ? evaluateAll(db, date) : touched.size ? reevaluate(db, kept!.answer, touched, date) : kept!.answer;
	presents.set(db, { date, version, answer });
	return answer;
}

/** The city loaded and evaluated afresh; kept without its loaded rows, which only the evaluation read. */
function evaluateAll(db: Tx, date: CalendarDate): EvaluatedCity {
	const { shared, items, tally } = evaluatedNow(db, date);
	return { shared, items, tally };
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
 * `kept` with the items `ids` reloaded and evaluated again; every other item's evaluation is shared
 * with `kept`, and the tally follows by the touched items' difference.
 */
function reevaluate(db: Tx, kept: EvaluatedCity, ids: Set<number>, date: CalendarDate): EvaluatedCity {
	const fresh = itemsNow(db, date, [...ids]);
	if (fresh.items.length !== ids.size) return evaluateAll(db, date); // an item gone meanwhile
	const items = fresh.items.map(evaluator({ ...kept.shared, ...fresh }, date));
	const before = kept.items.filter((i) => ids.has(i.id));
	return { shared: kept.shared, items: replaced(kept.items, items, (i) => i.id), tally: retallied(kept.tally, before, items) };
}

/** `rows` with each row that `fresh` has a row of the same id for replaced by it, in place. */
function replaced<T>(rows: T[], fresh: T[], id: (row: T) => number): T[] {
	const by = new Map(fresh.map((r) => [id(r), r]));
	return rows.map((r) => by.get(id(r)) ?? r);
}
