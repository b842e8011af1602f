/**
 * The officials' one-page view (一页全览): figures, chart-ready series and tables for the items a
 * filter selects, on today or an as-of date. Every part honours the same filter.
 */
import { byChineseName, byText } from '$lib/order';
import { desc, eq, inArray, sql } from 'drizzle-orm';
import { addCalendarDays, addMonthsToMonth, endOfSuzhouDay, monthOf, monthsFrom, type CalendarDate } from '$lib/dates';
import type { DashboardFilters } from '$lib/dashboard-filters';
import { summarise } from '$lib/summary';
import { lastDueMonth, reportDueOn } from '$lib/reporting-calendar';
import { monthReportsAsOf } from './as-of';
import type { Tx } from './db';
import { initiative, progressReport, unit } from './db/schema';
import { evaluatedPortfolio, type InitiativeSummary } from './portfolio';
import { m } from '$lib/i18n';

export const FIRST_MONTH = '2021-07';
const UPCOMING_DAYS = 30;
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

export function dashboard(db: Tx, filters: DashboardFilters, today: CalendarDate) {
	const date = filters.asOf ?? today;
	const instant = filters.asOf ? endOfSuzhouDay(filters.asOf) : null;
	const { portfolio, items: all } = evaluatedPortfolio(db, instant, date);
	const items = all.filter((i) => matches(i, filters));
	const ids = new Set(items.map((i) => i.id));
	const milestones = portfolio.milestones.filter((m) => ids.has(m.initiativeId));
	const month = monthOf(date);

	// Reports of this month that were given (submitted or approved) by the date.
	const monthReports = (
		instant
			? monthReportsAsOf(db, month, instant)
			: db
					.select({ initiativeId: progressReport.initiativeId, month: progressReport.month, status: progressReport.status })
					.from(progressReport)
					.where(eq(progressReport.month, month))
					.all()
	).filter((r) => r.month === month && (r.status === 'submitted' || r.status === 'approved'));
	const reported = new Set(monthReports.map((r) => r.initiativeId));
	const active = items.filter((i) => i.pace !== 'done' && i.status !== 'cancelled' && (!i.startOn || i.startOn <= date));

	const summary = summarise(items);
	const overdueMilestones = milestones.filter((m) => m.dueOn < date && (m.completedOn === null || m.completedOn > date));
	const figures = {
		total: items.length,
		done: summary.paces.done,
		onPace: summary.paces.on_pace + summary.paces.ahead,
		behind: summary.paces.behind,
		red: summary.lights.red,
		milestonesOverdue: overdueMilestones.length,
		reportsMissing: active.filter((i) => !reported.has(i.id)).length
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
		burnUp: burnUp(milestones, date),
		unitRanking: unitRanking(items, overdueMilestones, date),
		...upcoming(items, milestones, date),
		latestReports: instant ? [] : latestApproved(db, ids),
		options: filterOptions(db, all)
	};
}

/**
 * Cumulative weightless counts per month: milestones planned (due) and met (completed) by its end.
 * Counted per month, then summed: a province has hundreds of thousands of milestones, and sorting
 * their dates on every view cost more than everything else the page computes.
 */
function burnUp(milestones: { dueOn: string; completedOn: string | null }[], date: CalendarDate) {
	const dueIn = new Map<string, number>();
	const metIn = new Map<string, number>();
	let lastPlanned = date;
	for (const ms of milestones) {
		const due = ms.dueOn.slice(0, 7);
		dueIn.set(due, (dueIn.get(due) ?? 0) + 1);
		if (ms.dueOn > lastPlanned) lastPlanned = ms.dueOn;
		// Met by the date: a later completion (in a view of the past) is not counted yet.
		if (ms.completedOn !== null && ms.completedOn <= date) {
			const met = ms.completedOn.slice(0, 7);
			metIn.set(met, (metIn.get(met) ?? 0) + 1);
		}
	}
	const currentMonth = monthOf(date);
	// Months before the first shown are counted into it (a milestone due before FIRST_MONTH).
	let planned = sumBefore(dueIn, FIRST_MONTH);
	let done = sumBefore(metIn, FIRST_MONTH);
	return monthsFrom(FIRST_MONTH, monthOf(lastPlanned)).map((month) => {
		planned += dueIn.get(month) ?? 0;
		done += metIn.get(month) ?? 0;
		return { month, planned, met: month > currentMonth ? null : done };
	});
}

const sumBefore = (counts: Map<string, number>, month: string) => [...counts].reduce((n, [m, c]) => (m < month ? n + c : n), 0);

/** 赛马: lead units ranked by items behind and items with something overdue. */
function unitRanking(items: InitiativeSummary[], overdue: { initiativeId: number }[], date: CalendarDate) {
	const overdueItems = new Set(overdue.map((m) => m.initiativeId));
	const rows = new Map<number, { unitId: number; name: string; items: number; behind: number; overdue: number }>();
	for (const item of items) {
		if (item.leadUnitId === null) continue;
		const row = rows.get(item.leadUnitId) ?? { unitId: item.leadUnitId, name: item.leadUnitName ?? '', items: 0, behind: 0, overdue: 0 };
		row.items += 1;
		if (item.pace === 'behind') row.behind += 1;
		if (item.pace !== 'done' && (overdueItems.has(item.id) || (item.dueOn !== null && item.dueOn < date))) row.overdue += 1;
		rows.set(item.leadUnitId, row);
	}
	return [...rows.values()]
		.filter((r) => r.behind + r.overdue > 0)
		.sort((a, b) => b.behind + b.overdue - (a.behind + a.overdue) || b.overdue - a.overdue || byChineseName(a.name, b.name));
}

/** Milestones and deadlines due in the next 30 days, soonest first (the first fifty, and how many). */
function upcoming(
	items: InitiativeSummary[],
	milestones: { initiativeId: number; title: string; dueOn: string; completedOn: string | null }[],
	date: CalendarDate
) {
	const until = addCalendarDays(date, UPCOMING_DAYS);
	const byId = new Map(items.map((i) => [i.id, i]));
	const rows = [
		...milestones
			.filter((m) => m.completedOn === null && m.dueOn > date && m.dueOn <= until)
			.map((m) => ({ item: byId.get(m.initiativeId)!, what: m.title, dueOn: m.dueOn })),
		...items
			.filter((i) => i.pace !== 'done' && i.dueOn !== null && i.dueOn > date && i.dueOn <= until)
			.map((i) => ({ item: i, what: m.item_deadline(), dueOn: i.dueOn! }))
	];
	const soonest = rows
		.sort((a, b) => byText(a.dueOn, b.dueOn) || byText(a.item.code, b.item.code))
		.slice(0, UPCOMING_ROWS)
		.map((r) => ({ code: r.item.code, title: r.item.title, unit: r.item.leadUnitName, what: r.what, dueOn: r.dueOn, light: r.item.light }));
	return { upcoming: soonest, upcomingCount: rows.length };
}

const LATEST_REPORTS = 8;

/**
 * The eight reports approved last among `ids`: read newest first along the review index, a page at
 * a time, until eight belong to the selection (for the whole city, the first page).
 */
function latestApproved(db: Tx, ids: Set<number>) {
	const PAGE = 200;
	const latest: { id: number; month: string; progress: string; reviewedAt: string | null; code: string; title: string }[] = [];
	for (let offset = 0; ids.size > 0 && latest.length < LATEST_REPORTS; offset += PAGE) {
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
		for (const { initiativeId, ...report } of page) if (ids.has(initiativeId) && latest.length < LATEST_REPORTS) latest.push(report);
		if (page.length < PAGE) break;
	}
	return latest;
}

function filterOptions(db: Tx, all: InitiativeSummary[]) {
	const themes = new Map(all.map((i) => [i.themeCode, i.themeName]));
	const leadUnits = new Set(all.flatMap((i) => [i.leadUnitId, ...i.coUnitIds]).filter((x): x is number => x !== null));
	return {
		themes: [...themes].map(([code, name]) => ({ code, name })),
		units: db
			.select({ id: unit.id, name: unit.name })
			.from(unit)
			.all()
			.filter((u) => leadUnits.has(u.id)),
		leaders: [...new Set(all.map((i) => i.leader).filter((x): x is string => !!x))].sort(byChineseName)
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
