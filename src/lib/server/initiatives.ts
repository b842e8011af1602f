/**
 * Queries about initiatives (重点任务): the list with each item's progress, pace and light, and one
 * item with everything that belongs to it.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { CalendarDate } from '$lib/dates';
import { evaluate, type Evaluation } from '$lib/evaluation';
import type { MilestoneFacts } from '$lib/progress';
import { defaultRuleSettings } from '$lib/settings';
import type { Tx } from './db';
import { initiative, initiativeCoUnit, milestone, progressReport, source, theme, unit } from './db/schema';

const leadUnit = alias(unit, 'lead_unit');

function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
	const groups = new Map<K, T[]>();
	for (const row of rows) {
		const k = key(row);
		const group = groups.get(k);
		if (group) group.push(row);
		else groups.set(k, [row]);
	}
	return groups;
}

/** Months for which each item has a report that counts as given (submitted or approved). */
function reportedMonthsByItem(db: Tx, itemId?: number): Map<number, Set<string>> {
	const given = inArray(progressReport.status, ['submitted', 'approved']);
	const rows = db
		.select({ initiativeId: progressReport.initiativeId, month: progressReport.month })
		.from(progressReport)
		.where(itemId === undefined ? given : and(given, eq(progressReport.initiativeId, itemId)))
		.all();
	const months = new Map<number, Set<string>>();
	for (const r of rows) {
		if (!months.has(r.initiativeId)) months.set(r.initiativeId, new Set());
		months.get(r.initiativeId)!.add(r.month);
	}
	return months;
}

function milestonesByItem(db: Tx): Map<number, MilestoneFacts[]> {
	const rows = db
		.select({ initiativeId: milestone.initiativeId, dueOn: milestone.dueOn, weight: milestone.weight, completedOn: milestone.completedOn })
		.from(milestone)
		.all();
	return groupBy(rows, (r) => r.initiativeId);
}

const summaryColumns = {
	id: initiative.id,
	code: initiative.code,
	title: initiative.title,
	themeId: theme.id,
	themeCode: theme.code,
	themeName: theme.name,
	leadUnitId: initiative.leadUnitId,
	leadUnitName: leadUnit.name,
	leader: initiative.leader,
	startOn: initiative.startOn,
	dueOn: initiative.dueOn,
	status: initiative.status,
	completedOn: initiative.completedOn,
	demo: initiative.demo,
	sourceId: initiative.sourceId,
	sourceQuote: initiative.sourceQuote,
	quoteStart: initiative.quoteStart,
	quoteEnd: initiative.quoteEnd
};

export type InitiativeSummary = {
	id: number;
	code: string;
	title: string;
	themeId: number;
	themeCode: string;
	themeName: string;
	leadUnitId: number | null;
	leadUnitName: string | null;
	leader: string | null;
	startOn: string | null;
	dueOn: string | null;
	status: 'active' | 'completed' | 'cancelled';
	completedOn: string | null;
	demo: boolean;
	sourceId: number;
	sourceQuote: string;
	quoteStart: number;
	quoteEnd: number;
} & Evaluation;

/** Every item in catalogue order (theme, then position) with its evaluation on `date`. */
export function listInitiatives(db: Tx, date: CalendarDate): InitiativeSummary[] {
	const items = db
		.select(summaryColumns)
		.from(initiative)
		.innerJoin(theme, eq(theme.id, initiative.themeId))
		.leftJoin(leadUnit, eq(leadUnit.id, initiative.leadUnitId))
		.orderBy(asc(theme.position), asc(initiative.position))
		.all();
	const milestones = milestonesByItem(db);
	const reported = reportedMonthsByItem(db);
	return items.map((item) => ({
		...item,
		...evaluate(
			{ item, milestones: milestones.get(item.id) ?? [], reportedMonths: reported.get(item.id) ?? new Set() },
			date,
			defaultRuleSettings
		)
	}));
}

/** One item with its source, units and milestones, evaluated on `date`; null when the code is unknown. */
export function getInitiative(db: Tx, code: string, date: CalendarDate) {
	const item = db
		.select({
			...summaryColumns,
			source: { id: source.id, title: source.title, speaker: source.speaker, deliveredOn: source.deliveredOn }
		})
		.from(initiative)
		.innerJoin(theme, eq(theme.id, initiative.themeId))
		.innerJoin(source, eq(source.id, initiative.sourceId))
		.leftJoin(leadUnit, eq(leadUnit.id, initiative.leadUnitId))
		.where(eq(initiative.code, code))
		.get();
	if (!item) return null;
	const coUnits = db
		.select({ id: unit.id, name: unit.name })
		.from(initiativeCoUnit)
		.innerJoin(unit, eq(unit.id, initiativeCoUnit.unitId))
		.where(eq(initiativeCoUnit.initiativeId, item.id))
		.orderBy(asc(unit.position))
		.all();
	const milestones = db
		.select()
		.from(milestone)
		.where(eq(milestone.initiativeId, item.id))
		.orderBy(asc(milestone.position), asc(milestone.dueOn))
		.all();
	const reportedMonths = reportedMonthsByItem(db, item.id).get(item.id) ?? new Set<string>();
	return { ...item, coUnits, milestones, ...evaluate({ item, milestones, reportedMonths }, date, defaultRuleSettings) };
}

export type InitiativeDetail = NonNullable<ReturnType<typeof getInitiative>>;
