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
import { addMonths } from '$lib/milestone-counts';
import { evaluatedAfresh, evaluator, itemsNow, type EvaluatedPortfolio, type Portfolio } from './evaluate';

type Present = { date: CalendarDate; version: number; answer: EvaluatedPortfolio };

/** One present per database connection (the server has one; each test database its own). */
const presents = new WeakMap<object, Present>();

/** Past this many changes since the kept answer, loading the whole city is the cheaper way. */
const MOST_CHANGES_APPLIED = 2000;

/** Tables whose change reaches every item's evaluation (names, thresholds). */
const CITY_WIDE = new Set(['theme', 'unit', 'setting']);
/** Tables whose rows belong to one item and that its evaluation reads. */
const PER_ITEM = new Set(['milestone', 'progress_report', 'initiative_co_unit']);

/** The portfolio as it is now, evaluated on `date`. Shared by every caller: read it, never change it. */
export function presentPortfolio(db: Tx, date: CalendarDate): EvaluatedPortfolio {
	const version = lastChangeId(db);
	const kept = presents.get(db);
	if (kept && kept.date === date && kept.version === version) return kept.answer;
	const touched = kept && kept.date === date ? itemsTouched(db, kept.version, version) : 'all';
	const answer = touched === 'all' ? evaluateAll(db, date) : touched.size ? reevaluate(db, kept!.answer, touched, date) : kept!.answer;
	presents.set(db, { date, version, answer });
	return answer;
}

const evaluateAll = (db: Tx, date: CalendarDate) => evaluatedAfresh(db, null, date);

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

/** `kept` with the items `ids` reloaded and evaluated again; the rest shared with `kept`. */
function reevaluate(db: Tx, kept: EvaluatedPortfolio, ids: Set<number>, date: CalendarDate): EvaluatedPortfolio {
	const old = kept.portfolio;
	const fresh = itemsNow(db, date, [...ids]);
	if (fresh.items.length !== ids.size) return evaluateAll(db, date); // an item gone meanwhile
	const portfolio: Portfolio = {
		...old,
		items: replaced(old.items, fresh.items, (r) => r.id),
		milestones: mergeInOrder(
			old.milestones.filter((m) => !ids.has(m.initiativeId)),
			fresh.milestones,
			(a, b) => a.id - b.id
		),
		countedReports: [...old.countedReports.filter((r) => !ids.has(r.initiativeId)), ...fresh.countedReports],
		sentThisMonth: [...old.sentThisMonth.filter((id) => !ids.has(id)), ...fresh.sentThisMonth],
		coUnits: mergeInOrder(
			old.coUnits.filter((c) => !ids.has(c.initiativeId)),
			fresh.coUnits,
			(a, b) => a.initiativeId - b.initiativeId || a.unitId - b.unitId
		)
	};
	const evaluate = evaluator({ ...old, ...fresh }, date);
	const items = fresh.items.map(evaluate);
	// The city's months: the touched items' old counts taken away, their new ones added.
	const months = { due: new Map(kept.months.due), met: new Map(kept.months.met) };
	for (const item of kept.items) if (ids.has(item.id)) addMonths(months, item, -1);
	for (const item of items) addMonths(months, item, 1);
	return { portfolio, items: replaced(kept.items, items, (i) => i.id), months };
}

/** `rows` with each row that `fresh` has a row of the same id for replaced by it, in place. */
function replaced<T>(rows: T[], fresh: T[], id: (row: T) => number): T[] {
	const by = new Map(fresh.map((r) => [id(r), r]));
	return rows.map((r) => by.get(id(r)) ?? r);
}

/** Two lists, each in `order`, as one list in that order. */
function mergeInOrder<T>(a: T[], b: T[], order: (x: T, y: T) => number): T[] {
	if (!b.length) return a;
	const out: T[] = [];
	let j = 0;
	for (const x of a) {
		while (j < b.length && order(b[j], x) < 0) out.push(b[j++]);
		out.push(x);
	}
	while (j < b.length) out.push(b[j++]);
	return out;
}
