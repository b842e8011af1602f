/**
 * The officials' one-page view (一页全览): figures, chart-ready series and tables for the items a
 * filter selects, on today or an as-of date. Every part honours the same filter.
 */
import { byChineseName, byText } from '$lib/order';
import { desc, eq, inArray, sql } from 'drizzle-orm';
import { addCalendarDays, addMonthsToMonth, endOfSuzhouDay, lastDayOf, monthOf, monthsFrom, type CalendarDate } from '$lib/dates';
import { filterQuery, type DashboardFilters } from '$lib/dashboard-filters';
import { monthCounts, UPCOMING_DAYS, type MonthCounts } from '$lib/milestone-counts';
import { getLocale } from '$lib/paraglide/runtime';
import { KeptAnswers } from './kept-answers';
import { keptInDatabase } from './kept-views';
import { summarise } from '$lib/summary';
import { lastDueMonth, reportDueOn } from '$lib/reporting-calendar';
import { isFinal } from './as-of';
import type { Tx } from './db';
import { initiative, progressReport } from './db/schema';
import { evaluatedPortfolio, type EvaluatedPortfolio, type InitiativeSummary } from './portfolio';
import { m } from '$lib/i18n';

export const FIRST_MONTH = '2021-07';
const UPCOMING_ROWS = 50;
/**
 * Rows of the item table a page carries. A province's thousands of items are no list to read on a
 * phone, and each row is sent twice (HTML and data); filters narrow the view, the 月报 has them all.
 */
export const ITEM_TABLE_ROWS = 100;

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

export function dashboard(db: Tx, filters: DashboardFilters, today: CalendarDate): Dashboard {
	const compute = () => computeDashboard(db, filters, today);
	if (!isFinalView(db, filters)) return compute();
	const query = filterQuery(filters);
	// Its labels (a deadline's) are in the interface language.
	const key = `dashboard|${getLocale()}|${query}`;
	// A closed month's whole city is kept in the database too (a bounded number: one a month); other
	// views of the past (any day, any filter) only in memory.
	const monthEnd = query === `?asOf=${filters.asOf}` && filters.asOf === lastDayOf(monthOf(filters.asOf!));
	return monthEnd ? keptInDatabase(db, pastViews, key, compute) : pastViews.answer(db, key, compute);
}

function computeDashboard(db: Tx, filters: DashboardFilters, today: CalendarDate) {
	const date = filters.asOf ?? today;
	const instant = filters.asOf ? endOfSuzhouDay(filters.asOf) : null;
	const city = evaluatedPortfolio(db, instant, date);
	const all = city.items;
	const filtered =
		filters.theme !== null || filters.unit !== null || filters.light !== null || filters.pace !== null || filters.leader !== null;
	const items = filtered ? all.filter((i) => matches(i, filters)) : all;

	const active = items.filter((i) => i.pace !== 'done' && i.status !== 'cancelled' && (!i.startOn || i.startOn <= date));

	const summary = summarise(items);
	const figures = {
		total: items.length,
		done: summary.paces.done,
		onPace: summary.paces.on_pace + summary.paces.ahead,
		behind: summary.paces.behind,
		red: summary.lights.red,
		milestonesOverdue: items.reduce((n, i) => n + i.overdueMilestones, 0),
		reportsMissing: active.filter((i) => !i.sentThisMonth).length
	};

	return {
		date,
		itemCount: items.length,
		// Only what the page shows of each item: the page's data is serialised into every response.
		items: items.slice(0, ITEM_TABLE_ROWS).map((i) => ({
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
		summary,
		figures,
		// The whole city's months are kept with it; a filtered view counts its own items'.
		burnUp: burnUp(filtered ? monthCounts(items) : city.months, date),
		unitRanking: unitRanking(items, date),
		...upcoming(items, date),
		latestReports: instant ? [] : latestApproved(db, filtered ? new Set(items.map((i) => i.id)) : null),
		options: filterOptions(city)
	};
}

/** Cumulative weightless counts per month: milestones planned (due) and met (completed) by its end. */
function burnUp(counts: MonthCounts, date: CalendarDate) {
	const lastPlanned = [...counts.due.keys()].reduce((last, month) => (month > last ? month : last), monthOf(date));
	const currentMonth = monthOf(date);
	// Months before the first shown are counted into it (a milestone due before FIRST_MONTH).
	let planned = sumBefore(counts.due, FIRST_MONTH);
	let done = sumBefore(counts.met, FIRST_MONTH);
	return monthsFrom(FIRST_MONTH, lastPlanned).map((month) => {
		planned += counts.due.get(month) ?? 0;
		done += counts.met.get(month) ?? 0;
		return { month, planned, met: month > currentMonth ? null : done };
	});
}

const sumBefore = (counts: Map<string, number>, month: string) => [...counts].reduce((n, [m, c]) => (m < month ? n + c : n), 0);

/** 赛马: lead units ranked by items behind and items with something overdue. */
function unitRanking(items: InitiativeSummary[], date: CalendarDate) {
	const rows = new Map<number, { unitId: number; name: string; items: number; behind: number; overdue: number }>();
	for (const item of items) {
		if (item.leadUnitId === null) continue;
		const row = rows.get(item.leadUnitId) ?? { unitId: item.leadUnitId, name: item.leadUnitName ?? '', items: 0, behind: 0, overdue: 0 };
		row.items += 1;
		if (item.pace === 'behind') row.behind += 1;
		if (item.pace !== 'done' && (item.overdueMilestones > 0 || (item.dueOn !== null && item.dueOn < date))) row.overdue += 1;
		rows.set(item.leadUnitId, row);
	}
	return [...rows.values()]
		.filter((r) => r.behind + r.overdue > 0)
		.sort((a, b) => b.behind + b.overdue - (a.behind + a.overdue) || b.overdue - a.overdue || byChineseName(a.name, b.name));
}

/** Milestones and deadlines due in the next 30 days, soonest first (the first fifty, and how many). */
function upcoming(items: InitiativeSummary[], date: CalendarDate) {
	const until = addCalendarDays(date, UPCOMING_DAYS);
	const rows: { item: InitiativeSummary; what: string; dueOn: string }[] = [];
	for (const item of items) for (const ms of item.dueSoon) rows.push({ item, what: ms.title, dueOn: ms.dueOn });
	for (const item of items)
		if (item.pace !== 'done' && item.dueOn !== null && item.dueOn > date && item.dueOn <= until)
			rows.push({ item, what: m.item_deadline(), dueOn: item.dueOn });
	const soonest = rows
		.sort((a, b) => byText(a.dueOn, b.dueOn) || byText(a.item.code, b.item.code))
		.slice(0, UPCOMING_ROWS)
		.map((r) => ({ code: r.item.code, title: r.item.title, unit: r.item.leadUnitName, what: r.what, dueOn: r.dueOn, light: r.item.light }));
	return { upcoming: soonest, upcomingCount: rows.length };
}

const LATEST_REPORTS = 8;

/**
 * The eight reports approved last among `ids` (null: the whole city): read newest first along the review index, a page at
 * a time, until eight belong to the selection (for the whole city, the first page).
 */
function latestApproved(db: Tx, ids: Set<number> | null) {
	const PAGE = 200;
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
function filterOptions(city: EvaluatedPortfolio) {
	const themes = new Map<string, string>();
	const leadUnits = new Set<number>();
	const leaders = new Set<string>();
	for (const i of city.items) {
		if (!themes.has(i.themeCode)) themes.set(i.themeCode, i.themeName);
		if (i.leadUnitId !== null) leadUnits.add(i.leadUnitId);
		for (const u of i.coUnitIds) leadUnits.add(u);
		if (i.leader) leaders.add(i.leader);
	}
	return {
		themes: [...themes].map(([code, name]) => ({ code, name })),
		units: city.portfolio.units
			.filter((u) => leadUnits.has(u.id))
			.map((u) => ({ id: u.id, name: u.name }))
			.sort((a, b) => a.id - b.id),
		leaders: [...leaders].sort(byChineseName)
	};
}

/**
 * Reports on time (按时报送率) over the last twelve months whose due day has passed: the share of
 * item-months with a report submitted by the due day (its first submission, from the history).
 */
export function reportsOnTime(db: Tx, itemIds: number[], date: CalendarDate, reportDueDay: number) {
	const lastDue = lastDueMonth(date, reportDueDay);
	const months = monthsFrom(addMonthsToMonth(lastDue, -11), lastDue);
	if (itemIds.length === 0) return { due: 0, onTime: 0 };
	const firstSubmissions = db.all<{ initiativeId: number; month: string; first: string }>(sql`
		SELECT json_extract(after, '$.initiativeId') AS initiativeId, json_extract(after, '$.month') AS month, min(at) AS first
		FROM change_log
		WHERE entity = 'progress_report' AND json_extract(after, '$.status') = 'submitted'
		GROUP BY entity_id`);
	const submitted = new Map(firstSubmissions.map((s) => [`${s.initiativeId}:${s.month}`, s.first]));
	const items = db.select({ id: initiative.id, startOn: initiative.startOn }).from(initiative).where(inArray(initiative.id, itemIds)).all();
	let due = 0;
	let onTime = 0;
	for (const item of items) {
		for (const month of months) {
			if (item.startOn && monthOf(item.startOn) > month) continue;
			due += 1;
			const deadline = endOfSuzhouDay(reportDueOn(month, reportDueDay));
			const first = submitted.get(`${item.id}:${month}`);
			if (first && first <= deadline) onTime += 1;
		}
	}
	return { due, onTime };
}
