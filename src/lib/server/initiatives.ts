/**
 * Queries about initiatives (重点任务): the list with each item's progress, pace and light, and one
 * item with everything that belongs to it, now or as of a past date.
 */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { endOfSuzhouDay, type CalendarDate } from '$lib/dates';
import { evaluate, type Evaluation } from '$lib/evaluation';
import type { MilestoneFacts } from '$lib/progress';
import type { Tx } from './db';
import { initiative, milestone, progressReport, source, theme, unit, user } from './db/schema';
import { itemState, ruleInput } from './item-state';
import { readRuleSettings } from './rule-settings';

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

/** Months for which each item has an approved report: only those count in lights. */
function approvedMonthsByItem(db: Tx): Map<number, Set<string>> {
	const rows = db
		.select({ initiativeId: progressReport.initiativeId, month: progressReport.month })
		.from(progressReport)
		.where(eq(progressReport.status, 'approved'))
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
		.where(isNull(milestone.removedAt))
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
	const approved = approvedMonthsByItem(db);
	const settings = readRuleSettings(db);
	return items.map((item) => ({
		...item,
		...evaluate(
			{ item, milestones: milestones.get(item.id) ?? [], reportedMonths: approved.get(item.id) ?? new Set() },
			date,
			settings
		)
	}));
}

export function initiativeIdByCode(db: Tx, code: string): number | null {
	return db.select({ id: initiative.id }).from(initiative).where(eq(initiative.code, code)).get()?.id ?? null;
}

/**
 * One item with its source, units, milestones, reports, requests and instructions, evaluated on
 * `date`: as it is now, or (`asOf`) as it stood at the end of that day in Suzhou. Null when the code
 * is unknown, or the item did not exist yet on that day.
 */
export function getInitiative(db: Tx, code: string, date: CalendarDate, asOf = false) {
	const id = initiativeIdByCode(db, code);
	if (id === null) return null;
	const state = itemState(db, id, asOf ? endOfSuzhouDay(date) : null);
	if (!state) return null;
	const { item } = state;
	const names = (ids: (number | null)[]) => {
		const wanted = ids.filter((x): x is number => x !== null);
		return new Map(wanted.length ? db.select({ id: unit.id, name: unit.name }).from(unit).where(inArray(unit.id, wanted)).all().map((u) => [u.id, u.name]) : []);
	};
	const unitNames = names([item.leadUnitId, ...state.coUnitIds]);
	const people = peopleNames(db, state);
	const src = db.select({ id: source.id, title: source.title, speaker: source.speaker, deliveredOn: source.deliveredOn }).from(source).where(eq(source.id, item.sourceId)).get()!;
	const themeRow = db.select().from(theme).where(eq(theme.id, item.themeId)).get()!;
	return {
		...state,
		...item,
		themeName: themeRow.name,
		leadUnitName: item.leadUnitId === null ? null : (unitNames.get(item.leadUnitId) ?? null),
		coUnits: state.coUnitIds.map((uid) => ({ id: uid, name: unitNames.get(uid) ?? '' })),
		source: src,
		people,
		...evaluate(ruleInput(state), date, readRuleSettings(db))
	};
}

/** Display names of everyone who appears in an item's reports, requests and instructions. */
function peopleNames(db: Tx, state: NonNullable<ReturnType<typeof itemState>>): Record<number, string> {
	const ids = new Set<number>();
	const add = (...xs: (number | null)[]) => xs.forEach((x) => x !== null && ids.add(x));
	state.reports.forEach((r) => add(r.reportedBy, r.reviewedBy));
	state.extensions.forEach((e) => add(e.requestedBy, e.decidedBy));
	state.closures.forEach((c) => add(c.requestedBy, c.decidedBy));
	state.instructions.forEach((i) => add(i.authorId, i.answeredBy));
	if (ids.size === 0) return {};
	const rows = db.select({ id: user.id, name: user.displayName }).from(user).where(and(inArray(user.id, [...ids]))).all();
	return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

export type InitiativeDetail = NonNullable<ReturnType<typeof getInitiative>>;
