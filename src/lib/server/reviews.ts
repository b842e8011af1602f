/** What waits for the supervision office's decision: submitted reports, extensions, closures. */
import { asc, eq, inArray } from 'drizzle-orm';
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
	return reports.map((r) => ({ ...r, met: met.filter((m) => m.reportId === r.report.id) }));
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
