/**
 * The officials' one-page view (一页全览): figures, chart-ready series and tables for the items a
 * filter selects, on today or an as-of date. Every part honours the same filter.
 */
import { byChineseName } from '$lib/order';
import { desc, eq } from 'drizzle-orm';
import { addMonthsToMonth, endOfSuzhouDay, lastDayOf, monthOf, monthsFrom, suzhouToday, type CalendarDate } from '$lib/dates';
import { filterQuery, ITEM_TABLE_ROWS, noFilters, type DashboardFilters } from '$lib/dashboard-filters';
import type { MonthCounts } from '$lib/milestone-counts';
import { baseLocale, getLocale } from '$lib/paraglide/runtime';
import { inLanguage } from './language';
import { KeptAnswers } from './kept-answers';
import { isKeptInDatabase, keptInDatabase } from './kept-views';
import { tally, themeProgress, unitRanking } from '$lib/tally';
import { FIRST_MONTH } from '$lib/reporting-calendar';
import { isFinal } from './as-of';
import type { Tx } from './db';
import { initiative, progressReport } from './db/schema';
import { evaluatedPortfolio, pastViewReady, type EvaluatedCity, type InitiativeSummary } from './portfolio';
import { lastChangeId } from './history';
import { m } from '$lib/i18n';

/** Deadlines of the next 30 days listed, the earliest first: a panel to glance at, headed by how many there are. */
const UPCOMING_ROWS = 20;

function matches(item: InitiativeSummary, f: DashboardFilters): boolean {
	return (
		(f.theme === null || item.themeCode === f.theme) &&
		(f.unit === null || item.leadUnitId === f.unit || item.coUnitIds.includes(f.unit)) &&
		(f.light === null || item.light === f.light) &&
		(f.pace === null || item.pace === f.pace) &&
		(f.leader === null || item.leader === f.leader)
	);
}

/** Views of final instants (as of a day the clock and the history have passed) kept: they never change. */
const pastViews = new KeptAnswers<Dashboard>(16);

export type Dashboard = ReturnType<typeof computeDashboard>;

/** Whether the view is as of a day no write can reach any more (`isFinal`): it can never change. */
export function isFinalView(db: Tx, filters: DashboardFilters): boolean {
	return filters.asOf !== null && isFinal(db, endOfSuzhouDay(filters.asOf));
}

/** The key a view of the past is kept under (`kept_view` for a month's end): its labels (a deadline's) are in the interface language. */
export function dashboardKey(filters: DashboardFilters, locale: string): string {
	return `dashboard|${locale}|${filterQuery(filters)}`;
}

/**
 * Views that a write can still change (the present, a recent day), kept while the data and the date
 * stay the same: each leader's first look after a write reads the one computed by the first of them,
 * or, for the city's view, by `warmAfterWrite`.
 */
const presentViews = new KeptAnswers<Dashboard>(8);

export function dashboard(db: Tx, filters: DashboardFilters, today: CalendarDate): Dashboard {
	const compute = () => computeDashboard(db, filters, today);
	const key = dashboardKey(filters, getLocale());
	if (!isFinalView(db, filters)) {
		cityLookedAt ||= filters.asOf === null;
		return presentViews.answer(db, presentViews.versioned(db, `${lastChangeId(db)}|${today}`, key), compute);
	}
	return keptInTheDatabase(filters) ? keptInDatabase(db, pastViews, key, compute) : pastViews.answer(db, key, compute);
}

let warming = false;

/** Whether the city's present view has been looked at since the start: only then is it kept up after writes. */
let cityLookedAt = false;

/**
 * After a write, the city's present view (in the base language) is computed again as soon as the
 * writer's answer is on its way (`setImmediate`: after the current round of I/O), so that the first
 * leader to look after it finds it ready: at 20,000 items the items' re-evaluation and the view took
 * some 15 ms of that look. Writes in a burst are followed by one computation; a look before it
 * computes the view itself, and this one then finds it kept. Only once someone has looked at the city
 * since the start: before that the city is not evaluated at all, and a sign-in (a POST) right after a
 * restart held the server for the whole city's evaluation (0.6 s at 5,000 items) in front of the
 * leader's first look at a kept month.
 */
export function warmAfterWrite(db: Tx): void {
	if (warming || !cityLookedAt) return;
	warming = true;
	setImmediate(() => {
		warming = false;
		try {
			inLanguage(baseLocale, () => dashboard(db, noFilters, suzhouToday()));
		} catch (error) {
			// The next look computes the view and shows what went wrong.
			console.error(error);
		}
	});
}

/**
 * Whether a final view is kept in the database too: a closed month's whole city (a bounded number, one
 * a month); other views of the past (any day, any filter) are kept only in memory.
 */
const keptInTheDatabase = (filters: DashboardFilters) =>
	filterQuery(filters) === `?asOf=${filters.asOf}` && filters.asOf === lastDayOf(monthOf(filters.asOf!));

/**
 * The dashboard as `dashboard` gives it; a view of a past day neither kept nor computed yet is first
 * computed off the event loop (`pastViewReady`), so that the request waits for it and nobody else does.
 */
export async function dashboardSoon(db: Tx, filters: DashboardFilters, today: CalendarDate): Promise<Dashboard> {
	if (isFinalView(db, filters) && !dashboardKept(db, filters)) await pastViewReady(db, endOfSuzhouDay(filters.asOf!), filters.asOf!);
	return dashboard(db, filters, today);
}

/** Whether a final view's dashboard is kept, in memory or (a month's end) in the database. */
function dashboardKept(db: Tx, filters: DashboardFilters): boolean {
	const key = dashboardKey(filters, getLocale());
	return pastViews.kept(db, key) !== undefined || (keptInTheDatabase(filters) && isKeptInDatabase(db, key));
}

function computeDashboard(db: Tx, filters: DashboardFilters, today: CalendarDate) {
	const date = filters.asOf ?? today;
	const instant = filters.asOf ? endOfSuzhouDay(filters.asOf) : null;
	const city = evaluatedPortfolio(db, instant, date);
	const filtered =
		filters.theme !== null || filters.unit !== null || filters.light !== null || filters.pace !== null || filters.leader !== null;
	const items = filtered ? city.items.filter((i) => matches(i, filters)) : city.items;
	// The city's tally is kept with its evaluation and follows each write; a filtered view tallies its own items.
	const t = filtered ? tally(items, date) : city.tally;
	const pages = Math.max(1, Math.ceil(items.length / ITEM_TABLE_ROWS));
	// A page past the last (an old link, the list since shortened) shows the last; the page says so.
	const page = Math.min(filters.page ?? 1, pages);
	return {
		date,
		itemCount: items.length,
		page,
		pages,
		firstRow: (page - 1) * ITEM_TABLE_ROWS + 1,
		// Only what the page shows of each item: the page's data is serialised into every response.
		items: items.slice((page - 1) * ITEM_TABLE_ROWS, page * ITEM_TABLE_ROWS).map((i) => ({
			id: i.id,
			code: i.code,
			title: i.title,
			themeCode: i.themeCode,
			themeName: i.themeName,
			leadUnitId: i.leadUnitId,
			leadUnitName: i.leadUnitName,
			dueOn: i.dueOn,
			actual: i.actual,
			expected: i.expected,
			pace: i.pace,
			light: i.light
		})),
		summary: { lights: t.lights, themes: themeProgress(t) },
		figures: {
			total: t.items,
			done: t.paces.done,
			onPace: t.paces.on_pace + t.paces.ahead,
			behind: t.paces.behind,
			red: t.lights.red,
			milestonesOverdue: t.milestonesOverdue,
			reportsMissing: t.reportsMissing
		},
		burnUp: burnUp(t.months, date),
		unitRanking: unitRanking(t),
		// 近期到期: the first deadlines ahead, and how many there are.
		upcoming: t.dueSoon.slice(0, UPCOMING_ROWS).map(({ item, milestone, dueOn }) => ({
			code: item.code,
			title: item.title,
			unit: item.leadUnitName,
			what: milestone ?? m.item_deadline(),
			dueOn,
			light: item.light
		})),
		upcomingCount: t.dueSoon.length,
		latestReports: instant ? [] : latestApproved(db, filtered ? new Set(items.map((i) => i.id)) : null),
		options: filterOptions(city)
	};
}

/** Cumulative weightless counts per month: milestones planned (due) and met (completed) by its end. */
function burnUp(counts: MonthCounts, date: CalendarDate) {
	const currentMonth = monthOf(date);
	// At most ten years ahead: a milestone due later (a date entered before dates were bounded) is
	// counted into the last month shown, as those due before the first are counted into the first.
	const horizon = addMonthsToMonth(currentMonth, 120);
	const lastDue = [...counts.due.keys()].reduce((last, month) => (month > last ? month : last), currentMonth);
	const lastShown = lastDue < horizon ? lastDue : horizon;
	let planned = sumWhere(counts.due, (month) => month < FIRST_MONTH);
	let done = sumWhere(counts.met, (month) => month < FIRST_MONTH);
	return monthsFrom(FIRST_MONTH, lastShown).map((month) => {
		planned += month === lastShown ? sumWhere(counts.due, (m) => m >= month) : (counts.due.get(month) ?? 0);
		done += counts.met.get(month) ?? 0;
		return { month, planned, met: month > currentMonth ? null : done };
	});
}

const sumWhere = (counts: Map<string, number>, counted: (month: string) => boolean) =>
	[...counts].reduce((n, [month, c]) => (counted(month) ? n + c : n), 0);

const LATEST_REPORTS = 8;

/**
 * The eight reports approved last among `ids` (null: the whole city): read newest first along the review index, a page at
 * a time, until eight belong to the selection (for the whole city, the first eight).
 */
function latestApproved(db: Tx, ids: Set<number> | null) {
	const PAGE = ids === null ? LATEST_REPORTS : 200;
	const latest: { id: number; month: string; progress: string; reviewedAt: string | null; code: string; title: string }[] = [];
	for (let offset = 0; (ids === null || ids.size > 0) && latest.length < LATEST_REPORTS; offset += PAGE) {
		const page = db
			.select({
				id: progressReport.id,
				initiativeId: progressReport.initiativeId,
				month: progressReport.month,
				progress: progressReport.progress,
				reviewedAt: progressReport.reviewedAt,
				code: initiative.code,
				title: initiative.title
			})
			.from(progressReport)
			.innerJoin(initiative, eq(initiative.id, progressReport.initiativeId))
			.where(eq(progressReport.status, 'approved'))
			.orderBy(desc(progressReport.reviewedAt), desc(progressReport.id))
			.limit(PAGE)
			.offset(offset)
			.all();
		for (const { initiativeId, ...report } of page)
			if ((ids === null || ids.has(initiativeId)) && latest.length < LATEST_REPORTS) latest.push(report);
		if (page.length < PAGE) break;
	}
	return latest;
}

/** The choices of the filters: themes, units and leaders of the city's items, named as they were on the view's date. */
function filterOptions(city: EvaluatedCity) {
	const { namedUnits, leaders } = city.tally;
	return {
		themes: themeProgress(city.tally).map(({ code, name }) => ({ code, name })),
		units: city.shared.units
			.filter((u) => namedUnits.has(u.id))
			.map((u) => ({ id: u.id, name: u.name }))
			.sort((a, b) => a.id - b.id),
		leaders: [...leaders.keys()].sort(byChineseName)
	};
}
