/** What waits for the supervision office's decision: submitted reports, extensions, closures. */
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from './db';
import { closureRequest, extensionRequest, initiative, milestone, progressReport, reportMilestone, unit, user } from './db/schema';

export function submittedReports(db: Tx) {
	const reports = db
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
	const ids = reports.map((r) => r.report.id);
	const met = ids.length
		? db
				.select({
					reportId: reportMilestone.reportId,
					title: milestone.title,
					completedOn: reportMilestone.completedOn,
					evidence: reportMilestone.evidence
				})
				.from(reportMilestone)
				.innerJoin(milestone, eq(milestone.id, reportMilestone.milestoneId))
				.where(inArray(reportMilestone.reportId, ids))
				.all()
		: [];
	// The co-units' contributions (协办意见) that went with each report, and the office's comments when
	// the report was returned before: the reviewer reads them beside the resubmission.
	const contributions = ids.length
		? db.all<{
				id: number;
				initiativeId: number;
				month: string;
				unitId: number;
				opinion: string;
				writtenBy: number;
				writtenAt: string;
			}>(sql`
			SELECT c.id, c.initiative_id AS initiativeId, c.month, c.unit_id AS unitId, c.opinion, c.written_by AS writtenBy, c.written_at AS writtenAt
			FROM co_unit_contribution c JOIN progress_report r ON r.initiative_id = c.initiative_id AND r.month = c.month
			WHERE r.status = 'submitted'
			ORDER BY c.unit_id`)
		: [];
	const earlierReturns = ids.length
		? db.all<{ reportId: number; at: string; comment: string }>(sql`
			SELECT CAST(entity_id AS INTEGER) AS reportId, at, json_extract(after, '$.reviewComment') AS comment
			FROM change_log
			WHERE entity = 'progress_report' AND entity_id IN (SELECT CAST(id AS TEXT) FROM progress_report WHERE status = 'submitted')
				AND json_extract(after, '$.status') = 'returned' AND json_extract(before, '$.status') = 'submitted'
			ORDER BY at`)
		: [];
	const named = new Set([...contributions.map((c) => c.writtenBy)]);
	const people = named.size
		? Object.fromEntries(
				db
					.select({ id: user.id, name: user.displayName })
					.from(user)
					.where(inArray(user.id, [...named]))
					.all()
					.map((p) => [p.id, p.name])
			)
		: {};
	const unitIds = [...new Set(contributions.map((c) => c.unitId))];
	const unitNames = unitIds.length
		? Object.fromEntries(
				db
					.select({ id: unit.id, name: unit.name })
					.from(unit)
					.where(inArray(unit.id, unitIds))
					.all()
					.map((u) => [u.id, u.name])
			)
		: {};
	return {
		people: people as Record<number, string>,
		unitNames: unitNames as Record<number, string>,
		reports: reports.map((r) => ({
			...r,
			met: met.filter((m) => m.reportId === r.report.id),
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
