/**
 * The rows every item's evaluation needs, for all items at once: as they are now (`instant` null),
 * or as they stood at an instant, rebuilt from the history. Dashboards read through here so that
 * "now" and "as of" are computed the same way.
 */
import { sql } from 'drizzle-orm';
import { monthOf, type CalendarDate } from '$lib/dates';
import { monthReportsAsOf, rowsAsOf } from './as-of';
import { monthsCountedWhileInReview } from '$lib/reporting-calendar';
import type { Tx } from './db';
import { initiative, initiativeCoUnit, milestone, theme, unit } from './db/schema';
import { readRuleSettings } from './rule-settings';

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
