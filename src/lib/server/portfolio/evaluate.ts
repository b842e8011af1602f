/**
 * The portfolio loaded and evaluated: every item of the city with what its evaluation needs, as it
 * is now or as it stood at an instant (rebuilt from the history), each evaluated on a date (its
 * progress, pace and light). How it is kept between requests is `../portfolio.ts`.
 */
import { sql, type SQL } from 'drizzle-orm';
import { monthOf, type CalendarDate } from '$lib/dates';
import { evaluate, type Evaluation } from '$lib/evaluation';
import { lightOf, type Light } from '$lib/lights';
import { groupBy } from '$lib/group-by';
import { milestoneCounts, type MilestoneCounts } from '$lib/milestone-counts';
import { isSent, monthsCountedWhileInReview } from '$lib/reporting-calendar';
import { tally, type Tally } from '$lib/tally';
import { monthReportStatusesAsOfEach, rowsAsOfEach } from '../as-of';
import type { Tx } from '../db';
import { initiative, initiativeCoUnit, milestone, theme, unit } from '../db/schema';
import { SENT_STATUSES } from '../on-time';
import { readRuleSettings } from '../rule-settings';

export type InitiativeSummary = typeof initiative.$inferSelect & {
	themeCode: string;
	themeName: string;
	themePosition: number;
	leadUnitName: string | null;
	coUnitIds: number[];
	/** This month's report sent (submitted or approved) by the date. */
	sentThisMonth: boolean;
} & Evaluation &
	MilestoneCounts;

/** The items of a loaded portfolio with their names and their evaluation on `date`, in catalogue order. */
export function evaluatePortfolio(p: Portfolio, date: CalendarDate): InitiativeSummary[] {
	return p.items.map(evaluator(p, date)).sort(inCatalogueOrder);
}

/** Theme, then position within it: the order of the catalogue, of every list and of the 月报. */
export const inCatalogueOrder = (a: InitiativeSummary, b: InitiativeSummary) =>
	a.themePosition - b.themePosition || a.position - b.position;

/** Evaluates items of `p` (whose milestones, reports and co-units `p` holds) on `date`. */
export function evaluator(p: Portfolio, date: CalendarDate): (item: Portfolio['items'][number]) => InitiativeSummary {
	const themes = new Map(p.themes.map((t) => [t.id, t]));
	const units = new Map(p.units.map((u) => [u.id, u.name]));
	const inputOf = rulesInput(p);
	const coUnits = groupBy(p.coUnits, (c) => c.initiativeId);
	const sent = new Set(p.sentThisMonth);
	return (item) => {
		const t = themes.get(item.themeId)!;
		const input = inputOf(item);
		// Object.assign, not a spread: V8 reads the spread's objects many times slower afterwards, and
		// every view reads each of the city's items several times (measured: 4 ms against 0.3 ms a pass).
		return Object.assign(
			{},
			item,
			{
				themeCode: t.code,
				themeName: t.name,
				themePosition: t.position,
				leadUnitName: item.leadUnitId === null ? null : (units.get(item.leadUnitId) ?? null),
				coUnitIds: (coUnits.get(item.id) ?? []).map((c) => c.unitId),
				sentThisMonth: sent.has(item.id)
			},
			evaluate(input, date, p.settings),
			milestoneCounts(input.milestones, date)
		);
	};
}

/** What the rules read of an item of `p`: the item, its milestones and the months of its counted reports. */
function rulesInput(p: Portfolio) {
	const milestones = groupBy(p.milestones, (m) => m.initiativeId);
	const approved = new Map<number, Set<string>>();
	for (const r of p.countedReports) {
		if (!approved.has(r.initiativeId)) approved.set(r.initiativeId, new Set());
		approved.get(r.initiativeId)!.add(r.month);
	}
	return (item: Portfolio['items'][number]) => ({
		item,
		milestones: milestones.get(item.id) ?? [],
		reportedMonths: approved.get(item.id) ?? new Set<string>()
	});
}

/**
 * Only the lights of `p`'s items on `date`, by item id: what a month's summary compares its month's
 * with. The same rule as the items' evaluation (`lightOf`), without the rest of it: at 20,000 items
 * the month before's evaluation whole would cost the export a third of a second and some 40 MB.
 */
export function lightsOf(p: Portfolio, date: CalendarDate): Map<number, Light> {
	const inputOf = rulesInput(p);
	return new Map(p.items.map((item) => [item.id, lightOf(inputOf(item), date, p.settings)]));
}

/**
 * The approved reports the report rule can see on `date`: it counts the months missed in a row
 * back from the last month due (this month or the one before) to the first approved one. So per
 * item the latest approved month before this month, and this month if approved, give the same
 * answer as every approved month would, in a few thousand rows instead of a few hundred thousand.
 * Approval is final and stamps reviewedAt with its own instant, so "approved by `instant`" is read
 * from the review index rather than rebuilt from the history.
 *
 * The first half seeks each item's approved months in progress_report_approved_idx, newest first, and
 * stops at the first one approved by the instant. The unary `+` on reviewed_at keeps SQLite from
 * choosing the (status, reviewed_at) index instead, which reads every report approved before the
 * instant and then its table row: at 5,000 items that choice cost 0.7 s of every as-of view. It is
 * MATERIALIZED so that each item's seek runs once: flattened, SQLite ran it for the column and again
 * for `IS NOT NULL`. The second half reads the month's reports (`+status`: along the month's index, or
 * the (item, month) index for a few items), not every approved report's entry in the approval index.
 * At 20,000 items, 0.17 s an instant before, 0.11 s after.
 */
function countedReportsSeen(db: Tx, instant: string | null, date: CalendarDate, ids: Ids) {
	const month = monthOf(date);
	const by = instant === null ? sql`` : sql`AND +reviewed_at <= ${instant}`;
	return db.all<{ initiativeId: number; month: string }>(sql`
		WITH latest AS MATERIALIZED (
			SELECT id AS initiativeId, (
				SELECT month FROM progress_report
				WHERE status = 'approved' AND initiative_id = initiative.id AND month < ${month} ${by}
				ORDER BY month DESC LIMIT 1
			) AS month FROM initiative WHERE ${among(sql`id`, ids)}
		)
		SELECT initiativeId, month FROM latest WHERE month IS NOT NULL
		UNION ALL
		SELECT initiative_id, month FROM progress_report
		WHERE +status = 'approved' AND month = ${month} ${by} AND ${among(sql`initiative_id`, ids)}`);
}

/** Some items by id, or (null) all of them. */
type Ids = readonly number[] | null;

/** The SQL condition that `column` is one of `ids` (always true for all items). */
const among = (column: SQL, ids: Ids) =>
	ids === null
		? sql`1`
		: sql`${column} IN (${sql.join(
				ids.map((id) => sql`${id}`),
				sql`, `
			)})`;

/** The reports awaiting review now among the months where that counts for the light (`monthsCountedWhileInReview`). */
function reportsInReviewNow(db: Tx, date: CalendarDate, ids: Ids) {
	return db.all<{ initiativeId: number; month: string }>(sql`
		SELECT initiative_id AS initiativeId, month FROM progress_report
		WHERE status = 'submitted' AND month IN (${sql.join(monthsCountedWhileInReview(date), sql`, `)}) AND ${among(sql`initiative_id`, ids)}`);
}

/**
 * The portfolio now (`instant` null) or as it stood at `instant`, with the reports the light counts
 * on `date`. Now, the rows come in id order (co-units by item, then unit), loaded for the city or for
 * the few items `present.ts` evaluates again, so that an item's milestones are in the same order either way.
 */
export function loadPortfolio(db: Tx, instant: string | null, date: CalendarDate): Portfolio {
	if (instant === null) return { ...cityWide(db), ...itemsNow(db, date, null) };
	return loadPortfoliosAsOf(db, [{ instant, date }])[0];
}

/** A view of the past: the instant the portfolio is read as of, and the day it is evaluated on. */
export type PastView = { instant: string; date: CalendarDate };

/**
 * Portfolios as they stood at several instants (`views`, ascending by instant), read together: the
 * history is read once, at the first, and carried forward to the next (`rowsAsOfEach`), and the rows
 * that did not change between two are shared. Rows in the order of their ids as text (`as-of.ts`).
 */
export function loadPortfoliosAsOf(db: Tx, views: PastView[]): Portfolio[] {
	const instants = views.map((v) => v.instant);
	const milestones = rowsAsOfEach(db, milestone, instants);
	const [items, coUnits, themes, units] = [
		rowsAsOfEach(db, initiative, instants),
		rowsAsOfEach(db, initiativeCoUnit, instants),
		rowsAsOfEach(db, theme, instants),
		rowsAsOfEach(db, unit, instants)
	];
	// Each view reads the reports of the months that count while in review, its own month among them.
	const reportsOf = monthsReportsAsOf(
		db,
		views.map((v) => ({ instant: v.instant, months: monthsCountedWhileInReview(v.date) }))
	);
	return views.map(({ instant, date }, k) => {
		const inReview = monthsCountedWhileInReview(date).flatMap((month) => reportsOf(month, instant).filter((r) => r.status === 'submitted'));
		return {
			themes: themes[k],
			units: units[k],
			// Names and thresholds as of the instant too: a renamed unit or a changed rule never rewrites the past.
			settings: readRuleSettings(db, instant),
			items: items[k],
			milestones: milestones[k].filter((m) => m.removedAt === null),
			// The reports the report light counts: approved, or awaiting review (docs/domain.md).
			countedReports: [
				...countedReportsSeen(db, instant, date, null),
				...inReview.map((r) => ({ initiativeId: r.initiativeId, month: r.month }))
			],
			sentThisMonth: reportsOf(monthOf(date), instant)
				.filter((r) => isSent(r.status))
				.map((r) => r.initiativeId),
			coUnits: coUnits[k]
		};
	});
}

/** The reports' statuses of the months each view asks for, as of its instant, every month's read once for all its instants. */
function monthsReportsAsOf(db: Tx, asked: { instant: string; months: string[] }[]) {
	const instantsOf = new Map<string, string[]>();
	for (const { instant, months } of asked)
		for (const month of months) {
			const instants = instantsOf.get(month) ?? [];
			if (!instants.includes(instant)) instants.push(instant);
			instantsOf.set(month, instants);
		}
	const read = new Map<string, ReturnType<typeof monthReportStatusesAsOfEach>[number]>();
	for (const [month, instants] of instantsOf) {
		instants.sort();
		monthReportStatusesAsOfEach(db, month, instants).forEach((reports, k) => read.set(`${month}|${instants[k]}`, reports));
	}
	return (month: string, instant: string) => read.get(`${month}|${instant}`)!;
}

/** What every item's evaluation shares: themes, units and the rule thresholds. */
export type Shared = ReturnType<typeof cityWide>;

/** Themes, units and the rule thresholds as they are now. */
function cityWide(db: Tx) {
	return { themes: db.select().from(theme).all(), units: db.select().from(unit).all(), settings: readRuleSettings(db, null) };
}

/** The rows of some items (`ids`, or all), as they are now, that their evaluation on `date` reads. */
export function itemsNow(db: Tx, date: CalendarDate, ids: Ids) {
	return {
		items: db
			.select()
			.from(initiative)
			.where(among(sql`${initiative.id}`, ids))
			.orderBy(initiative.id)
			.all(),
		milestones: db
			.select()
			.from(milestone)
			.where(sql`${milestone.removedAt} IS NULL AND ${among(sql`${milestone.initiativeId}`, ids)}`)
			.orderBy(milestone.id)
			.all(),
		countedReports: [...countedReportsSeen(db, null, date, ids), ...reportsInReviewNow(db, date, ids)],
		sentThisMonth: db
			.all<{ id: number }>(
				sql`SELECT initiative_id AS id FROM progress_report
				WHERE month = ${monthOf(date)} AND status IN (${SENT_STATUSES}) AND ${among(sql`initiative_id`, ids)}`
			)
			.map((r) => r.id),
		coUnits: db
			.select()
			.from(initiativeCoUnit)
			.where(among(sql`${initiativeCoUnit.initiativeId}`, ids))
			.orderBy(initiativeCoUnit.initiativeId, initiativeCoUnit.unitId)
			.all()
	};
}

export type Portfolio = ReturnType<typeof cityWide> & ReturnType<typeof itemsNow>;

/** The city evaluated on a date: its items in catalogue order, their tally, and the names and thresholds they share. */
export type EvaluatedCity = { shared: Shared; items: InitiativeSummary[]; tally: Tally<InitiativeSummary> };
/** The city evaluated, with the portfolio it was loaded as (the monthly summary reads its milestones). */
export type EvaluatedPortfolio = EvaluatedCity & { portfolio: Portfolio };

/** The portfolio as it is now, loaded and evaluated on `date` (the past's: `evaluatedAfreshAsOf`). */
export function evaluatedNow(db: Tx, date: CalendarDate): EvaluatedPortfolio {
	return evaluated(loadPortfolio(db, null, date), date);
}

/** Portfolios of the past loaded together (`loadPortfoliosAsOf`), each evaluated on its date. */
export function evaluatedAfreshAsOf(db: Tx, views: PastView[]): EvaluatedPortfolio[] {
	return loadPortfoliosAsOf(db, views).map((portfolio, k) => evaluated(portfolio, views[k].date));
}

/** A loaded portfolio evaluated on `date`, with its tally. */
export function evaluated(portfolio: Portfolio, date: CalendarDate): EvaluatedPortfolio {
	const items = evaluatePortfolio(portfolio, date);
	const { themes, units, settings } = portfolio;
	return { portfolio, shared: { themes, units, settings }, items, tally: tally(items, date) };
}
