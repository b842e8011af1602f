/**
 * One item and everything that belongs to it, either as it is now or as it stood at a past instant
 * (rebuilt from the history). Pages and rules read an item only through here, so "now" and "as of"
 * can never disagree in how they are computed.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { CalendarDate } from '$lib/dates';
import { countsAsReported } from '$lib/reporting-calendar';
import { rowsAsOf } from './as-of';
import type { Tx } from './db';
import {
	closureRequest,
	coUnitContribution,
	extensionRequest,
	initiative,
	initiativeCoUnit,
	instruction,
	milestone,
	progressReport,
	reportMilestone,
	supervisionSlip,
	attachment
} from './db/schema';

type Row<T extends { $inferSelect: unknown }> = T['$inferSelect'];

export type ItemState = {
	item: Row<typeof initiative>;
	coUnitIds: number[];
	/** Milestones in plan order, removed ones excluded. */
	milestones: Row<typeof milestone>[];
	reports: Row<typeof progressReport>[];
	reportMilestones: Row<typeof reportMilestone>[];
	/** 协办意见: the co-units' parts of the monthly reports, by month then unit. */
	contributions: Row<typeof coUnitContribution>[];
	extensions: Row<typeof extensionRequest>[];
	closures: Row<typeof closureRequest>[];
	instructions: Row<typeof instruction>[];
	/** 督办单 issued on the item, newest first. */
	slips: Row<typeof supervisionSlip>[];
	/** 佐证材料 files attached to the item's reports, withdrawn ones included (marked). */
	attachments: Row<typeof attachment>[];
};

/** The item with `initiativeId` now (`instant` null) or at `instant`; null if it did not exist. */
export function itemState(db: Tx, initiativeId: number, instant: string | null): ItemState | null {
	const rows = instant === null ? liveRows(db, initiativeId) : pastRows(db, initiativeId, instant);
	if (!rows) return null;
	const milestones = rows.milestones
		.filter((m) => m.removedAt === null)
		.sort((a, b) => a.position - b.position || a.dueOn.localeCompare(b.dueOn) || a.id - b.id);
	const reportIds = new Set(rows.reports.map((r) => r.id));
	return {
		...rows,
		milestones,
		reports: rows.reports.sort((a, b) => b.month.localeCompare(a.month)),
		reportMilestones: rows.reportMilestones.filter((rm) => reportIds.has(rm.reportId)),
		contributions: rows.contributions.sort((a, b) => b.month.localeCompare(a.month) || a.unitId - b.unitId),
		extensions: rows.extensions.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt)),
		closures: rows.closures.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt)),
		instructions: rows.instructions.sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
		slips: rows.slips.sort((a, b) => b.issuedAt.localeCompare(a.issuedAt) || b.id - a.id),
		attachments: rows.attachments.sort((a, b) => a.id - b.id)
	};
}

function liveRows(db: Tx, id: number) {
	const item = db.select().from(initiative).where(eq(initiative.id, id)).get();
	if (!item) return null;
	const of = <C extends SQLiteColumn>(column: C) => eq(column, id);
	const reports = db.select().from(progressReport).where(of(progressReport.initiativeId)).all();
	return {
		item,
		coUnitIds: db
			.select()
			.from(initiativeCoUnit)
			.where(of(initiativeCoUnit.initiativeId))
			.all()
			.map((r) => r.unitId),
		milestones: db.select().from(milestone).where(of(milestone.initiativeId)).all(),
		reports,
		reportMilestones: db
			.select({ rm: reportMilestone })
			.from(reportMilestone)
			.innerJoin(progressReport, and(eq(progressReport.id, reportMilestone.reportId), of(progressReport.initiativeId)))
			.orderBy(asc(reportMilestone.id))
			.all()
			.map((r) => r.rm),
		contributions: db.select().from(coUnitContribution).where(of(coUnitContribution.initiativeId)).all(),
		extensions: db.select().from(extensionRequest).where(of(extensionRequest.initiativeId)).all(),
		closures: db.select().from(closureRequest).where(of(closureRequest.initiativeId)).all(),
		instructions: db.select().from(instruction).where(of(instruction.initiativeId)).all(),
		slips: db.select().from(supervisionSlip).where(of(supervisionSlip.initiativeId)).all(),
		attachments: db.select().from(attachment).where(of(attachment.initiativeId)).all()
	};
}

/**
 * The item's rows at `instant`, each table's read through the history of the item's own records only:
 * at 20,000 items reading a table's whole history to pick one item's records took 6 s an item.
 * Records of an item never move to another, and none is ever deleted but a co-unit (whose record id
 * names its item) and a report's met milestone (found through its report): so the item's records
 * now are the records it ever had. `tests/unit/present-portfolio.test.ts` keeps this equal to
 * picking the item's records out of every record's history.
 */
function pastRows(db: Tx, id: number, instant: string) {
	const [item] = rowsAsOf(db, initiative, instant, { ids: sql`SELECT ${String(id)}` });
	if (!item) return null;
	const ofItem = (table: { id: SQLiteColumn; initiativeId: SQLiteColumn }) => ({
		ids: sql`SELECT CAST(${table.id} AS TEXT) FROM ${table} WHERE ${table.initiativeId} = ${id}`
	});
	const reports = rowsAsOf(db, progressReport, instant, ofItem(progressReport));
	const reportIds = reports.map((r) => r.id);
	return {
		item,
		coUnitIds: rowsAsOf(db, initiativeCoUnit, instant, {
			// A co-unit's record is named `item:unit`: the item's are a range of the history's index.
			ids: sql`SELECT DISTINCT entity_id FROM change_log WHERE entity = 'initiative_co_unit' AND entity_id >= ${`${id}:`} AND entity_id < ${`${id};`}`
		}).map((r) => r.unitId),
		milestones: rowsAsOf(db, milestone, instant, ofItem(milestone)),
		reports,
		reportMilestones: reportIds.length
			? rowsAsOf(db, reportMilestone, instant, {
					// Met milestones are deleted when a report's list is saved again: found by their report in the history.
					ids: sql`SELECT DISTINCT entity_id FROM change_log WHERE entity = 'report_milestone'
						AND json_extract(coalesce(after, before), '$.reportId') IN (${sql.join(
							reportIds.map((r) => sql`${r}`),
							sql`, `
						)})`
				})
			: [],
		contributions: rowsAsOf(db, coUnitContribution, instant, ofItem(coUnitContribution)),
		extensions: rowsAsOf(db, extensionRequest, instant, ofItem(extensionRequest)),
		closures: rowsAsOf(db, closureRequest, instant, ofItem(closureRequest)),
		instructions: rowsAsOf(db, instruction, instant, ofItem(instruction)),
		slips: rowsAsOf(db, supervisionSlip, instant, ofItem(supervisionSlip)),
		attachments: rowsAsOf(db, attachment, instant, ofItem(attachment))
	};
}

/** The facts the progress rules read from an item's state on `date`. */
export function ruleInput(state: ItemState, date: CalendarDate) {
	return {
		item: state.item,
		milestones: state.milestones,
		// Approved reports count, and a recent one awaiting review (docs/domain.md, "Progress, pace and lights").
		reportedMonths: new Set(state.reports.filter((r) => countsAsReported(r, date)).map((r) => r.month))
	};
}
