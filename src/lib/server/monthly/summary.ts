/**
 * The monthly summary (月报) of a month, as it stood at the end of its last day in Suzhou, computed
 * from the history: the same report for a past month whatever is edited later. The current month is
 * computed as of now and marked as not yet closed.
 */
import { byChineseName, byText } from '$lib/order';
import { addMonthsToMonth, endOfSuzhouDay, formatDate, isMonth, lastDayOf, monthOf, type CalendarDate, type Month } from '$lib/dates';
import { lightLabels, lights, type Light } from '$lib/lights';
import { paceLabels, paces, percent, wholePercents, type Pace } from '$lib/progress';
import { groupBy as grouped } from '$lib/group-by';
import { FIRST_MONTH, isSent, reportDueOn, reportsOwed } from '$lib/reporting-calendar';
import { evidenceCell } from './ledger-format';
import type { MeasureLine } from '$lib/measure-lines';
import { completedBeforeRecordedIn, listedAsMetIn } from './met-in-month';
import { isFinal, monthReportsAsOf, rowsAsOf } from '../as-of';
import { dueBy, owesReport, sentOnTime } from '../on-time';
import { sql } from 'drizzle-orm';
import { getLocale } from '$lib/paraglide/runtime';
import type { Tx } from '../db';
import { attachment } from '../db/schema';
import { portfolioAndEarlier, type InitiativeSummary } from '../portfolio';
import { KeptAnswers } from '../kept-answers';
import { lastChangeId } from '../history';
import { keptInDatabase } from '../kept-views';
import { m } from '$lib/i18n';

/** Whether `month` (as typed in an address or a command) has a summary: a month from the first to this one. */
export function hasSummary(month: string, today: CalendarDate): boolean {
	return isMonth(month) && month >= FIRST_MONTH && month <= monthOf(today);
}

export type SummaryRow = {
	no: number;
	code: string;
	title: string;
	group: string;
	/** The milestones met in the month and the next one due (具体举措/节点), as each writer spells them (`$lib/measure-lines`). */
	measures: MeasureLine[];
	leadUnit: string | null;
	coUnits: string[];
	leader: string | null;
	dueOn: string | null;
	progress: string;
	problems: string;
	nextSteps: string;
	status: string;
	light: Light;
	pace: Pace;
	actual: number;
	/** The evidence (佐证材料) of the milestones met in the month, one line each. */
	evidence: string;
	remark: string;
};

const paceNames = paceLabels;
const lightNames = lightLabels;

/** The months a summary exists for, newest first; the current month is the first. */
export function summaryMonths(today: CalendarDate): Month[] {
	const months: Month[] = [];
	for (let m = monthOf(today); m >= FIRST_MONTH; m = addMonthsToMonth(m, -1)) months.push(m);
	return months;
}

/**
 * Summaries of closed months kept in memory: two, since each holds every item's row (tens of MB at
 * 20,000 items); the others are read back from the database, where every one is kept.
 */
const keptSummaries = new KeptAnswers<MonthlySummary>(2);

/**
 * The month's summary (月报). A closed month's, once final (`isFinal`: nothing written from now on
 * can reach its last instant), is computed once and kept per interface language, since its labels
 * are in it; the answer is shared: read it, never change it.
 */
export function monthlySummary(db: Tx, month: Month, today: CalendarDate, groupBy: 'theme' | 'unit' = 'theme'): MonthlySummary {
	return keptOnceFinal(db, keptSummaries, 'summary', month, today, groupBy, () => computeSummary(db, month, today, groupBy));
}

/** The key a view of a month's summary is kept under (`kept_view`), per grouping and interface language. */
export function summaryKey(kind: 'summary' | 'summary-page', month: Month, groupBy: 'theme' | 'unit', locale: string): string {
	return `${kind}|${month}|${groupBy}|${locale}`;
}

/**
 * A view of the month's summary (`kind`: the whole summary, or its page): once the month is final
 * (`isFinalMonth`), computed once and kept in memory and the database, per grouping and interface
 * language (its labels are in it); before that, computed at each call.
 */
export function keptOnceFinal<T>(
	db: Tx,
	memory: KeptAnswers<T>,
	kind: 'summary' | 'summary-page',
	month: Month,
	today: CalendarDate,
	groupBy: 'theme' | 'unit',
	compute: () => T
): T {
	const key = summaryKey(kind, month, groupBy, getLocale());
	if (isFinalMonth(db, month, today)) return keptInDatabase(db, memory, key, compute);
	// This month's (or one just ended): kept in memory while the data and the date stay the same, so
	// that its page and its exports (Excel, Word, CSV) compute it once between two writes.
	return current.answer(db, current.versioned(db, `${lastChangeId(db)}|${today}`, key), compute) as T;
}

/** Summaries and pages of months not yet final, for the data's version: a few, each holds every item's row. */
const current = new KeptAnswers<unknown>(2);

/** Whether `month` is closed and nothing written from now on can reach its last instant: its summary can never change. */
export function isFinalMonth(db: Tx, month: Month, today: CalendarDate): boolean {
	return month < monthOf(today) && isFinal(db, endOfSuzhouDay(lastDayOf(month)));
}

function computeSummary(db: Tx, month: Month, today: CalendarDate, groupBy: 'theme' | 'unit') {
	const closed = month < monthOf(today);
	const date = closed ? lastDayOf(month) : today;
	const instant = endOfSuzhouDay(date);
	// The month's end and, for the lights that changed, the end of the month before.
	const previousDate = lastDayOf(addMonthsToMonth(month, -1));
	// The month's reports first: read whole, and kept when the month is final, they give the portfolio's
	// lights their statuses at the month's end (`monthReportStatusesAsOfEach`) without a second reading.
	const reports = monthReportsAsOf(db, month, instant);
	const { view, earlierLights } = portfolioAndEarlier(
		db,
		{ instant, date },
		month > FIRST_MONTH ? { instant: endOfSuzhouDay(previousDate), date: previousDate } : null
	);
	const { portfolio, items } = view;
	const previous = earlierLights ?? new Map<number, Light>();
	const { milestones, coUnits } = portfolio;
	// Names and thresholds as they stood at the month's end, with the rest of the portfolio.
	const unitNames = new Map(portfolio.units.map((u) => [u.id, u.name]));
	const themeRows = portfolio.themes;
	const settings = portfolio.settings;
	const nextMonth = addMonthsToMonth(month, 1);
	const inMonth = (d: string | null, m: Month) => d !== null && monthOf(d) === m;

	const reportOf = new Map(reports.map((r) => [r.initiativeId, r]));
	const active = items.filter((i) => owesReport(i, date));
	const activeIds = new Set(active.map((i) => i.id));
	const missing = active.filter((i) => !isSent(reportOf.get(i.id)?.status ?? ''));
	// Met in the month, and met before it but recorded in it (补报): `met-in-month.ts`.
	const recordedLate = completedBeforeRecordedIn(db, month);
	const listedAsMet = listedAsMetIn(month, recordedLate);
	const metThisMonth = milestones.filter(listedAsMet);
	// Missed: due in the month, its day over (this month's, before today), and not completed by the date.
	const missedThisMonth = milestones.filter(
		(m) => inMonth(m.dueOn, month) && (closed || m.dueOn < date) && (m.completedOn === null || m.completedOn > date)
	);
	const dueNextMonth = milestones.filter((m) => inMonth(m.dueOn, nextMonth) && m.completedOn === null);
	const completedThisMonth = items.filter((i) => inMonth(i.completedOn, month));
	const changes = items
		.filter((i) => previous.has(i.id) && previous.get(i.id) !== i.light)
		.map((i) => ({ code: i.code, title: i.title, from: previous.get(i.id)!, to: i.light }));

	const groupName = (i: InitiativeSummary) => (groupBy === 'theme' ? i.themeName : (i.leadUnitName ?? m.no_lead_unit()));
	const ordered =
		groupBy === 'theme'
			? items
			: [...items].sort((a, b) => byChineseName(a.leadUnitName ?? '~', b.leadUnitName ?? '~') || byText(a.code, b.code));
	const overdueItems = new Set<number>();
	const milestonesOf = grouped(milestones, (m) => m.initiativeId);
	const coUnitsOf = grouped(coUnits, (c) => c.initiativeId);
	const rows: SummaryRow[] = ordered.map((i, n) => {
		const mine = (milestonesOf.get(i.id) ?? []).sort((a, b) => byText(a.dueOn, b.dueOn));
		const met = mine.filter(listedAsMet);
		const late = met.filter((m) => monthOf(m.completedOn!) < month).length;
		const next = mine.find((m) => m.completedOn === null || m.completedOn > date);
		const overdue = mine.filter((m) => m.dueOn < date && (m.completedOn === null || m.completedOn > date));
		if (overdue.length || (i.dueOn !== null && i.dueOn < date && i.pace !== 'done')) overdueItems.add(i.id);
		const report = reportOf.get(i.id);
		const approved = report?.status === 'approved';
		const remarks = [
			overdue.length ? m.remark_overdue({ count: overdue.length }) : '',
			late ? m.remark_met_before({ count: late }) : '',
			!approved && i.status === 'active' ? (report?.status === 'submitted' ? m.remark_awaiting_review() : m.remark_missing()) : '',
			i.completedOn && i.completedOn <= date ? m.remark_closed({ date: formatDate(i.completedOn) }) : ''
		].filter(Boolean);
		return {
			no: n + 1,
			code: i.code,
			title: i.title,
			group: groupName(i),
			measures: [
				...met.map((m) => ({ met: true, title: m.title, on: m.completedOn! })),
				...(next ? [{ met: false, title: next.title, on: next.dueOn }] : [])
			],
			leadUnit: i.leadUnitName,
			coUnits: (coUnitsOf.get(i.id) ?? []).map((c) => unitNames.get(c.unitId) ?? ''),
			leader: i.leader,
			dueOn: i.dueOn,
			progress: approved ? report!.progress : '',
			problems: approved ? report!.problems : '',
			nextSteps: approved ? report!.nextSteps : '',
			status: `${percent(i.actual)} ${paceNames[i.pace]} ${lightNames[i.light]}`,
			light: i.light,
			pace: i.pace,
			actual: i.actual,
			evidence: evidenceCell(met),
			remark: remarks.join(m.remark_separator())
		};
	});

	const byUnit = new Map<number, { unit: string; items: number; closed: number; overdue: number; onTime: number; due: number }>();
	// 按时报送 by the one rule (`on-time.ts`): first sent by the due day in force at the month's end. This
	// month's reports are owed once its due day is over: before then no unit is late yet.
	const dueOn = reportDueOn(month, settings.reportDueDay);
	const owed = reportsOwed(closed, date, dueOn);
	const onTime = sentOnTime(db, reports, () => dueBy(month, settings.reportDueDay));
	for (const i of items) {
		if (i.leadUnitId === null) continue;
		const u = byUnit.get(i.leadUnitId) ?? { unit: i.leadUnitName ?? '', items: 0, closed: 0, overdue: 0, onTime: 0, due: 0 };
		u.items += 1;
		if (i.pace === 'done') u.closed += 1;
		if (overdueItems.has(i.id)) u.overdue += 1;
		if (owed && activeIds.has(i.id)) {
			u.due += 1;
			const r = reportOf.get(i.id);
			if (r && onTime.has(r.id)) u.onTime += 1;
		}
		byUnit.set(i.leadUnitId, u);
	}
	const units = [...byUnit.values()]
		.map((u) => ({ ...u, closureRate: u.items ? u.closed / u.items : 0, onTimeRate: u.due ? u.onTime / u.due : null }))
		.sort((a, b) => b.overdue - a.overdue || byChineseName(a.unit, b.unit));

	// Each light's (pace's) count, its share, and its whole percent as the documents print it (summing to 100).
	const count = <K extends string>(keys: readonly K[], of: (i: InitiativeSummary) => K) => {
		const counts = keys.map((k) => items.filter((i) => of(i) === k).length);
		const percents = wholePercents(counts);
		return keys.map((k, n) => ({
			key: k,
			label: k in lightNames ? lightNames[k as Light] : paceNames[k as Pace],
			count: counts[n],
			share: items.length ? counts[n] / items.length : 0,
			percent: percents[n]
		}));
	};

	// The files that show the month's milestones met, as they stood at its end (withdrawn ones left out).
	const metIds = new Map(metThisMonth.map((ms) => [ms.id, ms]));
	const itemOf = new Map(items.map((i) => [i.id, i]));
	// Only files of milestones are read back (an attachment's milestone never changes).
	const evidenceFiles = rowsAsOf(db, attachment, instant, {
		ids: sql`SELECT CAST(id AS TEXT) FROM attachment WHERE milestone_id IS NOT NULL`
	})
		.filter((a) => a.milestoneId !== null && metIds.has(a.milestoneId) && a.withdrawnAt === null)
		.sort((a, b) => a.initiativeId - b.initiativeId || a.id - b.id)
		.map((a) => ({
			code: itemOf.get(a.initiativeId)?.code ?? '',
			title: itemOf.get(a.initiativeId)?.title ?? '',
			milestone: metIds.get(a.milestoneId!)!.title,
			fileName: a.fileName,
			size: a.size,
			sha256: a.sha256
		}));

	return {
		month,
		closed,
		asOf: date,
		/** The month's reports' due day (截止日), as in force at its end (this month: today). */
		dueOn,
		groupBy,
		themes: [...themeRows].sort((a, b) => a.position - b.position).map((t) => t.name),
		summary: {
			total: items.length,
			lights: count(lights, (i) => i.light),
			paces: count(paces, (i) => i.pace),
			completed: completedThisMonth.map((i) => ({ code: i.code, title: i.title })),
			milestonesMet: metThisMonth.length,
			/** Of them, met in a month before and recorded in this one (补报): the headline says so. */
			milestonesMetEarlier: metThisMonth.filter((ms) => monthOf(ms.completedOn!) < month).length,
			milestonesMissed: missedThisMonth.length,
			dueNextMonth: dueNextMonth.map((m) => ({
				code: itemOf.get(m.initiativeId)?.code ?? '',
				title: m.title,
				dueOn: m.dueOn
			})),
			reportsMissing: missing.map((i) => ({ code: i.code, title: i.title, unit: i.leadUnitName })),
			changes
		},
		rows,
		units,
		lagging: rows.filter((r) => r.pace === 'behind' || r.light === 'red'),
		evidenceFiles
	};
}

export type MonthlySummary = ReturnType<typeof computeSummary>;
