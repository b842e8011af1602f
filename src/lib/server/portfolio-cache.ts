/**
 * The evaluated portfolio (every item with its progress, pace and light) as of an instant and on a
 * date, kept while the data stays the same. Every write appends to change_log in its transaction,
 * so the last history id is the data's version: after any write the next request computes afresh,
 * and a kept answer is the one a fresh computation would give. The dashboard, the unit and theme
 * pages and the monthly summaries read through here; at thousands of items, evaluating them all
 * takes a second or more, which a leader's repeated look at the same view need not pay again.
 */
import type { CalendarDate } from '$lib/dates';
import type { Tx } from './db';
import { lastChangeId } from './history';
import { evaluatePortfolio, type InitiativeSummary } from './initiatives';
import { loadPortfolio, type Portfolio } from './portfolio';

export type EvaluatedPortfolio = { portfolio: Portfolio; items: InitiativeSummary[] };

/** Views kept at once: today's, a few as-of dates and months. Each is tens of megabytes at scale. */
const KEPT = 4;
const kept = new WeakMap<object, Map<string, EvaluatedPortfolio>>();

/** `instant` null for now. The answer is shared between callers: read it, never change it. */
export function evaluatedPortfolio(db: Tx, instant: string | null, date: CalendarDate): EvaluatedPortfolio {
	const version = lastChangeId(db);
	const key = `${version}|${instant ?? 'now'}|${date}`;
	const views = kept.get(db) ?? new Map<string, EvaluatedPortfolio>();
	kept.set(db, views);
	const hit = views.get(key);
	if (hit) {
		views.delete(key); // most recently used last
		views.set(key, hit);
		return hit;
	}
	const portfolio = loadPortfolio(db, instant, date);
	const evaluated = { portfolio, items: evaluatePortfolio(db, portfolio, date) };
	for (const old of views.keys()) if (!old.startsWith(`${version}|`)) views.delete(old); // stale: the data changed
	views.set(key, evaluated);
	if (views.size > KEPT) views.delete(views.keys().next().value!);
	return evaluated;
}
