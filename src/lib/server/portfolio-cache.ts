/**
 * The evaluated portfolio (every item with its progress, pace and light) as of an instant and on a
 * date, kept while the data stays the same. Every write appends to change_log in its transaction,
 * so the last history id is the data's version: after any write the next request computes the
 * present afresh, and a kept answer is the one a fresh computation would give. A view of the past
 * (a closed month, an earlier day) cannot change once final (`isFinal`), so writes do not discard it. The dashboard, the unit and theme
 * pages and the monthly summaries read through here; at thousands of items, evaluating them all
 * takes a second or more, which a leader's repeated look at the same view need not pay again.
 */
import type { CalendarDate } from '$lib/dates';
import type { Tx } from './db';
import { lastChangeId } from './history';
import { evaluatePortfolio, type InitiativeSummary } from './initiatives';
import { loadPortfolio, type Portfolio } from './portfolio';
import { isFinal } from './as-of';

export type EvaluatedPortfolio = { portfolio: Portfolio; items: InitiativeSummary[] };

/** Views kept at once: today's, a few as-of dates and months. Each is tens of megabytes at scale. */
const KEPT = 4;
/** Views of the past kept across writes (see `isFinal`). */
const KEPT_PAST = 4;
const kept = new WeakMap<object, { live: Map<string, EvaluatedPortfolio>; past: Map<string, EvaluatedPortfolio> }>();

function remember(views: Map<string, EvaluatedPortfolio>, key: string, value: EvaluatedPortfolio, max: number) {
	views.set(key, value);
	if (views.size > max) views.delete(views.keys().next().value!);
}

/** `instant` null for now. The answer is shared between callers: read it, never change it. */
export function evaluatedPortfolio(db: Tx, instant: string | null, date: CalendarDate): EvaluatedPortfolio {
	const views = kept.get(db) ?? { live: new Map<string, EvaluatedPortfolio>(), past: new Map<string, EvaluatedPortfolio>() };
	kept.set(db, views);
	const final = isFinal(db, instant);
	const version = final ? 'final' : String(lastChangeId(db));
	const key = `${version}|${instant ?? 'now'}|${date}`;
	const store = final ? views.past : views.live;
	const hit = store.get(key);
	if (hit) {
		store.delete(key); // most recently used last
		store.set(key, hit);
		return hit;
	}
	const portfolio = loadPortfolio(db, instant, date);
	const evaluated = { portfolio, items: evaluatePortfolio(db, portfolio, date) };
	if (!final) for (const old of views.live.keys()) if (!old.startsWith(`${version}|`)) views.live.delete(old); // stale: the data changed
	remember(store, key, evaluated, final ? KEPT_PAST : KEPT);
	return evaluated;
}
