/** What waits for the supervision office's decision: submitted reports, extensions, closures. */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from './db';
import { attachment, closureRequest, extensionRequest, initiative, progressReport, unit, user } from './db/schema';
import { milestonesReportedMet } from './workflow/reports';

/** The reports waiting for review, oldest submission first: what the to-do counts and links to. */
export function submittedReports(db: Tx) {
	return db
		.select({
			report: progressReport,
			code: initiative.code,
			title: initiative.title,
			unitName: unit.name,
			reporter: user.displayName
		})
		.from(progressReport)
		.innerJoin(initiative, eq(initiative.id, progressReport.initiativeId))
		.leftJoin(unit, eq(unit.id, initiative.leadUnitId))
		.leftJoin(user, eq(user.id, progressReport.reportedBy))
		.where(eq(progressReport.status, 'submitted'))
		.orderBy(asc(progressReport.submittedAt), asc(progressReport.id))
		.all();
}

/**
 * The review page: each submitted report with the milestones it reports met, the co-units'
 * contributions (协办意见) that went with it, and the office's comments when it was returned before.
 */
export function reviewQueue(db: Tx) {
	const reports = submittedReports(db);
	if (reports.length === 0) return { people: {}, unitNames: {}, reports: [] };
	const ids = reports.map((r) => r.report.id);
	const met = milestonesReportedMet(db, ids);
	const contributions = db.all<{
		id: number;
		initiativeId: number;
		month: string;
		unitId: number;
		unitName: string;
		opinion: string;
		writtenBy: number;
		writerName: string;
		writtenAt: string;
	}>(sql`
		SELECT c.id, c.initiative_id AS initiativeId, c.month, c.unit_id AS unitId, un.name AS unitName, c.opinion,
			c.written_by AS writtenBy, us.display_name AS writerName, c.written_at AS writtenAt
		FROM co_unit_contribution c
			JOIN progress_report r ON r.initiative_id = c.initiative_id AND r.month = c.month
			JOIN unit un ON un.id = c.unit_id
			JOIN user us ON us.id = c.written_by
		WHERE r.status = 'submitted'
		ORDER BY c.unit_id`);
	const earlierReturns = db.all<{ reportId: number; at: string; comment: string }>(sql`
		SELECT CAST(entity_id AS INTEGER) AS reportId, at, json_extract(after, '$.reviewComment') AS comment
		FROM change_log
		WHERE entity = 'progress_report' AND entity_id IN (SELECT CAST(id AS TEXT) FROM progress_report WHERE status = 'submitted')
			AND json_extract(after, '$.status') = 'returned' AND json_extract(before, '$.status') = 'submitted'
		ORDER BY at`);
	const files = db
		.select()
		.from(attachment)
		.where(and(inArray(attachment.reportId, ids), isNull(attachment.withdrawnAt)))
		.orderBy(asc(attachment.id))
		.all();
	return {
		people: Object.fromEntries(contributions.map((c) => [c.writtenBy, c.writerName])) as Record<number, string>,
		unitNames: Object.fromEntries(contributions.map((c) => [c.unitId, c.unitName])) as Record<number, string>,
		reports: reports.map((r) => ({
			...r,
			met: met.filter((m) => m.reportId === r.report.id),
			files: files.filter((f) => f.reportId === r.report.id),
			contributions: contributions.filter((c) => c.initiativeId === r.report.initiativeId && c.month === r.report.month),
			earlierReturns: earlierReturns.filter((e) => e.reportId === r.report.id)
		}))
	};
}

export function pendingRequests(db: Tx) {
	const extensions = db
		.select({
			id: extensionRequest.id,
			code: initiative.code,
			title: initiative.title,
			requestedAt: extensionRequest.requestedAt,
			originalDue: extensionRequest.originalDue,
			requestedDue: extensionRequest.requestedDue
		})
		.from(extensionRequest)
		.innerJoin(initiative, eq(initiative.id, extensionRequest.initiativeId))
		.where(eq(extensionRequest.status, 'pending'))
		.orderBy(asc(extensionRequest.requestedAt))
		.all();
	const closures = db
		.select({ id: closureRequest.id, code: initiative.code, title: initiative.title, requestedAt: closureRequest.requestedAt })
		.from(closureRequest)
		.innerJoin(initiative, eq(initiative.id, closureRequest.initiativeId))
		.where(eq(closureRequest.status, 'pending'))
		.orderBy(asc(closureRequest.requestedAt))
		.all();
	return { extensions, closures };
}
