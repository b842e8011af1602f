/**
 * The portfolio: every item of the city with what its evaluation needs, as it is now (`instant`
 * null) or as it stood at an instant, rebuilt from the history; each item evaluated on a date (its
 * progress, pace and light); and the evaluated portfolio kept while the data stays the same.
 * Dashboards, the unit and theme pages and the monthly summaries read the city through here, so
 * that "now" and "as of" are computed the same way.
 *
 * Kept: every write appends to change_log in its transaction, so the last history id is the data's
 * version; after any write the next request computes the present afresh, and a kept answer is the one
 * a fresh computation would give. A view of the past (a closed month, an earlier day) cannot change
 * once final (`isFinal`), so writes do not discard it. At thousands of items evaluating them all takes
 * a second or more, which a leader's repeated look at the same view need not pay again.
 */
import { sql } from 'drizzle-orm';
import { endOfSuzhouDay, monthOf, type CalendarDate } from '$lib/dates';
import { evaluate, type Evaluation } from '$lib/evaluation';
import { groupBy } from '$lib/group-by';
import { monthsCountedWhileInReview } from '$lib/reporting-calendar';
import { isFinal, monthReportsAsOf, rowsAsOf } from './as-of';
import type { Tx } from './db';
import { initiative, initiativeCoUnit, milestone, theme, unit } from './db/schema';
import { lastChangeId } from './history';
import { KeptAnswers } from './kept-answers';
import { readRuleSettings } from './rule-settings';

export type InitiativeSummary = typeof initiative.$inferSelect & {
	themeCode: string;
	themeName: string;
	themePosition: number;
	leadUnitName: string | null;
	coUnitIds: number[];
} & Evaluation;

/**
 * Every item in catalogue order (theme, then position) with its evaluation on `date`: as it is now,
 * or (`asOf`) as it stood at the end of that day, rebuilt from the history.
 */
export function listInitiatives(db: Tx, date: CalendarDate, asOf = false): InitiativeSummary[] {
	return evaluatePortfolio(db, loadPortfolio(db, asOf ? endOfSuzhouDay(date) : null, date), date);
}

/** The items of a loaded portfolio with their names and their evaluation on `date`. */
export function evaluatePortfolio(db: Tx, p: Portfolio, date: CalendarDate): InitiativeSummary[] {
	const themes = new Map(p.themes.map((t) => [t.id, t]));
	const units = new Map(p.units.map((u) => [u.id, u.name]));
	const milestones = groupBy(p.milestones, (m) => m.initiativeId);
	const approved = new Map<number, Set<string>>();
	for (const r of p.countedReports) {
		if (!approved.has(r.initiativeId)) approved.set(r.initiativeId, new Set());
		approved.get(r.initiativeId)!.add(r.month);
	}
	const coUnits = groupBy(p.coUnits, (c) => c.initiativeId);
	const settings = p.settings;
	return p.items
		.map((item) => {
			const t = themes.get(item.themeId)!;
			return {
				...item,
				themeCode: t.code,
				themeName: t.name,
				themePosition: t.position,
				leadUnitName: item.leadUnitId === null ? null : (units.get(item.leadUnitId) ?? null),
				coUnitIds: (coUnits.get(item.id) ?? []).map((c) => c.unitId),
				...evaluate({ item, milestones: milestones.get(item.id) ?? [], reportedMonths: approved.get(item.id) ?? new Set() }, date, settings)
			};
		})
		.sort((a, b) => a.themePosition - b.themePosition || a.position - b.position);
}

/**
 * The approved reports the report rule can see on `date`: it counts the months missed in a row
 * back from the last month due (this month or the one before) to the first approved one. So per
 * item the latest approved month before this month, and this month if approved, give the same
 * answer as every approved month would, in a few thousand rows instead of a few hundred thousand.
 * Approval is final and stamps reviewedAt with its own instant, so "approved by `instant`" is read
 * from the review index rather than rebuilt from the history.
 *
 * Both halves read progress_report_approved_idx only: the first seeks each item's approved months,
 * newest first, and stops at the first one approved by the instant. The unary `+` keeps SQLite from
 * choosing the (status, reviewed_at) index instead, which reads every report approved before the
 * instant and then its table row: at 5,000 items that choice cost 0.7 s of every as-of view.
 */
function countedReportsSeen(db: Tx, instant: string | null, date: CalendarDate) {
	const month = monthOf(date);
	const by = instant === null ? sql`` : sql`AND +reviewed_at <= ${instant}`;
	return db.all<{ initiativeId: number; month: string }>(sql`
		SELECT initiativeId, month FROM (
			SELECT id AS initiativeId, (
				SELECT month FROM progress_report
				WHERE status = 'approved' AND initiative_id = initiative.id AND month < ${month} ${by}
				ORDER BY month DESC LIMIT 1
			) AS month FROM initiative
		) WHERE month IS NOT NULL
		UNION ALL
		SELECT initiative_id, month FROM progress_report WHERE status = 'approved' AND month = ${month} ${by}`);
}

/**
 * The reports awaiting review at the instant among the months where that counts for the light
 * (`monthsCountedWhileInReview`): read from the table now, or rebuilt from those months' history.
 */
function reportsInReview(db: Tx, instant: string | null, date: CalendarDate) {
	const months = monthsCountedWhileInReview(date);
	if (instant === null) {
		return db.all<{ initiativeId: number; month: string }>(sql`
			SELECT initiative_id AS initiativeId, month FROM progress_report
			WHERE status = 'submitted' AND month IN (${sql.join(months, sql`, `)})`);
	}
	return months.flatMap((month) =>
		monthReportsAsOf(db, month, instant)
			.filter((r) => r.status === 'submitted')
			.map((r) => ({ initiativeId: r.initiativeId, month: r.month }))
	);
}

export function loadPortfolio(db: Tx, instant: string | null, date: CalendarDate) {
	// The reports the report light counts: approved, or awaiting review (docs/domain.md).
	const countedReports = [...countedReportsSeen(db, instant, date), ...reportsInReview(db, instant, date)];
	// Names and thresholds as of the instant too: a renamed unit or a changed rule never rewrites the past.
	const settings = readRuleSettings(db, instant);
	if (instant === null) {
		return {
			themes: db.select().from(theme).all(),
			units: db.select().from(unit).all(),
			settings,
			items: db.select().from(initiative).all(),
			milestones: db
				.select()
				.from(milestone)
				.where(sql`${milestone.removedAt} IS NULL`)
				.all(),
			countedReports,
			coUnits: db.select().from(initiativeCoUnit).all()
		};
	}
	return {
		themes: rowsAsOf(db, theme, instant),
		units: rowsAsOf(db, unit, instant),
		settings,
		items: rowsAsOf(db, initiative, instant),
		milestones: rowsAsOf(db, milestone, instant).filter((m) => m.removedAt === null),
		countedReports,
		coUnits: rowsAsOf(db, initiativeCoUnit, instant)
	};
}

export type Portfolio = ReturnType<typeof loadPortfolio>;

export type EvaluatedPortfolio = { portfolio: Portfolio; items: InitiativeSummary[] };

/** Views kept at once: today's, a few as-of dates and months. Each is tens of megabytes at scale. */
const live = new KeptAnswers<EvaluatedPortfolio>(4);
/** Views of the past kept across writes (see `isFinal`). */
const past = new KeptAnswers<EvaluatedPortfolio>(4);

/** `instant` null for now. The answer is shared between callers: read it, never change it. */
export function evaluatedPortfolio(db: Tx, instant: string | null, date: CalendarDate): EvaluatedPortfolio {
	const compute = () => {
		const portfolio = loadPortfolio(db, instant, date);
		return { portfolio, items: evaluatePortfolio(db, portfolio, date) };
	};
	if (isFinal(db, instant)) return past.answer(db, `${instant}|${date}`, compute);
	const version = `${lastChangeId(db)}|`;
	live.discard(db, (key) => !key.startsWith(version)); // stale: the data changed
	return live.answer(db, `${version}${instant ?? 'now'}|${date}`, compute);
}
