/**
 * The city's items evaluated, as dashboards, the unit and theme pages and the monthly summaries read
 * them, kept between requests so that "now" and "as of" are computed once and the same way:
 *
 * - Now: kept up to date one change at a time (`portfolio/present.ts`): a write re-evaluates the
 *   items it touched, not the city.
 * - The past: a view as of an instant that is final (`isFinal`: the clock and the history have both
 *   passed it) can never change, so it is computed once and kept across writes.
 * - A past instant not yet final (earlier today): kept while the data stays the same.
 *
 * At thousands of items loading and evaluating them all takes a second or more, which a leader's
 * repeated look at the same view, or a unit's next report, need not pay again.
 */
import { endOfSuzhouDay, type CalendarDate } from '$lib/dates';
import type { Light } from '$lib/lights';
import { isFinal } from './as-of';
import type { Tx } from './db';
import { lastChangeId } from './history';
import { KeptAnswers } from './kept-answers';
import { keepView, keptViewOf, type KeptForm } from './kept-views';
import {
	evaluated,
	evaluatedAfreshAsOf,
	lightsOf,
	loadPortfoliosAsOf,
	type EvaluatedCity,
	type EvaluatedPortfolio,
	type InitiativeSummary,
	type PastView,
	type Portfolio
} from './portfolio/evaluate';
import { presentPortfolio } from './portfolio/present';

export {
	evaluatePortfolio,
	loadPortfolio,
	type EvaluatedCity,
	type EvaluatedPortfolio,
	type InitiativeSummary,
	type PastView,
	type Portfolio
} from './portfolio/evaluate';

/**
 * Every item in catalogue order (theme, then position) with its evaluation on `date`: as it is now,
 * or (`asOf`) as it stood at the end of that day, rebuilt from the history.
 */
export function listInitiatives(db: Tx, date: CalendarDate, asOf = false): InitiativeSummary[] {
	return evaluatedPortfolio(db, asOf ? endOfSuzhouDay(date) : null, date).items;
}

/** Views of the past kept across writes (see `isFinal`): a few as-of dates and months. */
const past = new KeptAnswers<EvaluatedCity>(4);

/** Computes the view of a final instant elsewhere (the worker of `past-worker.ts`), when the server has one. */
type Elsewhere = (instant: string, date: CalendarDate) => Promise<EvaluatedCity>;
let elsewhere: Elsewhere | null = null;
const underWay = new Map<string, Promise<void>>();

/** Where views of the past are computed off the event loop from now on (null: in the request, as in development). */
export function computePastViewsWith(compute: Elsewhere | null): void {
	elsewhere = compute;
}

/**
 * Makes sure the view of a final instant is kept, computing it off the event loop when the server
 * can (`computePastViewsWith`): at 20,000 items a day never looked at takes 3–6 s of rebuilding from
 * the history, which in the request held every other request, a unit's report too, that long. Then
 * `evaluatedPortfolio` answers it at once. Requests for the same view meanwhile wait for the one
 * computation. A view not final (it may still change), or a worker that fails, is computed in the
 * request as before.
 */
export async function pastViewReady(db: Tx, instant: string, date: CalendarDate): Promise<void> {
	if (!elsewhere || !isFinal(db, instant)) return;
	const key = `${instant}|${date}`;
	if (past.kept(db, key)) return;
	let computing = underWay.get(key);
	if (!computing) {
		computing = elsewhere(instant, date)
			.then(
				(city) => void past.keep(db, key, city),
				(error) => console.error('view of the past, computed in the request instead:', error)
			)
			.finally(() => underWay.delete(key));
		underWay.set(key, computing);
	}
	await computing;
}

/** Other views of the past (not yet final): kept while the data stays the same. */
const recent = new KeptAnswers<EvaluatedCity>(2);

/**
 * `instant` null for now. The answer is shared between callers: read it, never change it. A view of
 * the past is kept evaluated, without the rows it was loaded from (at 20,000 items they weigh 50 MB
 * an instant); `portfoliosAsOf` gives the rows too.
 */
export function evaluatedPortfolio(db: Tx, instant: string | null, date: CalendarDate): EvaluatedCity {
	if (instant === null) return presentPortfolio(db, date);
	const { kept, key } = keptPlace(db, { instant, date });
	return kept.answer(db, key, () => cityOf(evaluatedAfreshAsOf(db, [{ instant, date }])[0]));
}

/**
 * Views of the past (ascending by instant) loaded afresh with their rows, read together: a month's
 * end and the one before cost one reading of the history (`loadPortfoliosAsOf`). Each one's
 * evaluation is kept as `evaluatedPortfolio` keeps it, for the next look at that day.
 */
export function portfoliosAsOf(db: Tx, views: PastView[]): EvaluatedPortfolio[] {
	return loadPortfoliosAsOf(db, views).map((portfolio, k) => keptEvaluation(db, views[k], portfolio));
}

/** A view's loaded portfolio evaluated, its evaluation kept for the next look at that day. */
function keptEvaluation(db: Tx, view: PastView, portfolio: Portfolio): EvaluatedPortfolio {
	const p = evaluated(portfolio, view.date);
	const { kept, key } = keptPlace(db, view);
	kept.keep(db, key, cityOf(p));
	return p;
}

/**
 * A view of the past with its rows, and the lights of an earlier one by item id (a month's summary reads
 * its month's end whole, and compares its lights with those at the end of the month before): from the
 * earlier's evaluation or lights when either is kept, else read together with the later (one reading
 * of the history, `loadPortfoliosAsOf`), and only its lights taken (`lightsOf`) and kept. The lights
 * of both, when final, are kept in the database too (`pastLights`): the summary of the next month,
 * computed after a restart, then reads only its own month's end.
 */
export function portfolioAndEarlier(
	db: Tx,
	view: PastView,
	earlier: PastView | null
): { view: EvaluatedPortfolio; earlierLights: ReadonlyMap<number, Light> | null } {
	const known = earlier && (keptLights(db, earlier) ?? null);
	if (earlier === null || known) return { view: withLightsKept(db, view, portfoliosAsOf(db, [view])[0]), earlierLights: known };
	const [before, after] = loadPortfoliosAsOf(db, [earlier, view]);
	const lights = lightsOf(before, earlier.date);
	if (isFinal(db, earlier.instant)) keepView(db, pastLights, lightsKey(earlier), lights, lightsForm);
	return { view: withLightsKept(db, view, keptEvaluation(db, view, after)), earlierLights: lights };
}

/** A final view's lights kept (`pastLights`) from its evaluation, if they are not kept yet. */
function withLightsKept(db: Tx, view: PastView, evaluation: EvaluatedPortfolio): EvaluatedPortfolio {
	const key = lightsKey(view);
	if (isFinal(db, view.instant) && !keptViewOf(db, pastLights, key, lightsForm))
		keepView(db, pastLights, key, new Map(evaluation.items.map((i) => [i.id, i.light])), lightsForm);
	return evaluation;
}

/**
 * Lights of final views of the past by item id, at months' ends only (what a month's summary compares
 * with), so their number grows by one a month: kept in memory (a month's summary, computed again after
 * each write while its month runs, compares with the same month before every time) and in the
 * database, where they survive a restart. 20,000 entries each, some 60 KB gzipped.
 */
const pastLights = new KeptAnswers<ReadonlyMap<number, Light>>(4);
const lightsKey = ({ instant, date }: PastView) => `lights|${instant}|${date}`;
const lightsForm: KeptForm<ReadonlyMap<number, Light>> = {
	write: (lights) => [...lights],
	read: (pairs) => new Map(pairs as [number, Light][])
};

/** The lights of a view of the past, from its evaluation, or (final) from its kept lights, if either is kept. */
function keptLights(db: Tx, view: PastView): ReadonlyMap<number, Light> | undefined {
	const { kept, key } = keptPlace(db, view);
	const city = kept.kept(db, key);
	if (city) return new Map(city.items.map((i) => [i.id, i.light]));
	return kept === past ? keptViewOf(db, pastLights, lightsKey(view), lightsForm) : undefined;
}

/** Where a view of the past is kept: across writes once final, else while the data stays the same. */
function keptPlace(db: Tx, { instant, date }: PastView) {
	const key = `${instant}|${date}`;
	return isFinal(db, instant) ? { kept: past, key } : { kept: recent, key: recent.versioned(db, String(lastChangeId(db)), key) };
}

const cityOf = ({ shared, items, tally }: EvaluatedPortfolio): EvaluatedCity => ({ shared, items, tally });
