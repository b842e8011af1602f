/**
 * The rows every item's evaluation needs, for all items at once: as they are now (`instant` null),
 * or as they stood at an instant, rebuilt from the history. Dashboards read through here so that
 * "now" and "as of" are computed the same way.
 */
import { and, eq, isNull, lte } from 'drizzle-orm';
import { rowsAsOf } from './as-of';
import type { Tx } from './db';
import { initiative, initiativeCoUnit, milestone, progressReport } from './db/schema';

export function loadPortfolio(db: Tx, instant: string | null) {
	if (instant === null) {
		return {
			items: db.select().from(initiative).all(),
			milestones: db.select().from(milestone).where(isNull(milestone.removedAt)).all(),
			// Only what the rules read: a month counts once its report is approved.
			approvedReports: db
				.select({ initiativeId: progressReport.initiativeId, month: progressReport.month })
				.from(progressReport)
				.where(eq(progressReport.status, 'approved'))
				.all(),
			coUnits: db.select().from(initiativeCoUnit).all()
		};
	}
	return {
		items: rowsAsOf(db, initiative, instant),
		milestones: rowsAsOf(db, milestone, instant).filter((m) => m.removedAt === null),
		// Approval is final and stamps reviewedAt with its own instant, so the reports approved by
		// `instant` are the approved reports reviewed by then: read from the review index, not rebuilt.
		approvedReports: db
			.select({ initiativeId: progressReport.initiativeId, month: progressReport.month })
			.from(progressReport)
			.where(and(eq(progressReport.status, 'approved'), lte(progressReport.reviewedAt, instant)))
			.all(),
		coUnits: rowsAsOf(db, initiativeCoUnit, instant)
	};
}

export type Portfolio = ReturnType<typeof loadPortfolio>;
