/**
 * One initiative (重点任务) with everything that belongs to it, now or as of a past date. The whole
 * city, evaluated, is the portfolio (portfolio.ts).
 */
import { eq, inArray, sql } from 'drizzle-orm';
import { endOfSuzhouDay, lastDayOf, monthOf, monthsFrom, type CalendarDate } from '$lib/dates';
import { milestoneBars, progressByMonth } from '$lib/progress';
import { evaluate } from '$lib/evaluation';
import { lightReasons } from '$lib/lights';
import type { Tx } from './db';
import { initiative, source, theme, unit, user } from './db/schema';
import { itemState, ruleInput, type ItemState } from './item-state';
import { fieldsAsOfEach, rowsAsOf } from './as-of';
import { readRuleSettings } from './rule-settings';

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
	const instant = asOf ? endOfSuzhouDay(date) : null;
	const state = itemState(db, id, instant);
	if (!state) return null;
	const { item } = state;
	// Unit and theme names, and the thresholds, as they stood then: a rename today never rewrites the past.
	const wanted = [item.leadUnitId, ...state.coUnitIds, ...state.contributions.map((c) => c.unitId)].filter((x): x is number => x !== null);
	const unitRows =
		instant === null
			? wanted.length
				? db.select({ id: unit.id, name: unit.name }).from(unit).where(inArray(unit.id, wanted)).all()
				: []
			: rowsAsOf(db, unit, instant).filter((u) => wanted.includes(u.id));
	const unitNames = new Map(unitRows.map((u) => [u.id, u.name]));
	const people = peopleNames(db, state, instant);
	const src = db
		.select({ id: source.id, title: source.title, speaker: source.speaker, deliveredOn: source.deliveredOn })
		.from(source)
		.where(eq(source.id, item.sourceId))
		.get()!;
	const settings = readRuleSettings(db, instant);
	const themeRow =
		instant === null
			? db.select().from(theme).where(eq(theme.id, item.themeId)).get()!
			: rowsAsOf(db, theme, instant).find((t) => t.id === item.themeId)!;
	return {
		...state,
		...item,
		themeName: themeRow.name,
		leadUnitName: item.leadUnitId === null ? null : (unitNames.get(item.leadUnitId) ?? null),
		coUnits: state.coUnitIds.map((uid) => ({ id: uid, name: unitNames.get(uid) ?? '' })),
		unitNames: Object.fromEntries(unitNames) as Record<number, string>,
		source: src,
		people,
		charts: itemCharts(item.startOn, state.milestones, date),
		...evaluate(ruleInput(state, date), date, settings),
		lightReasons: lightReasons(ruleInput(state, date), date, settings)
	};
}

/** Chart-ready series of one item: progress month by month up to `date`, and its milestone bars. */
function itemCharts(startOn: string | null, milestones: ItemState['milestones'], date: CalendarDate) {
	const first = startOn ?? milestones.map((m) => m.dueOn).sort()[0];
	const months = first && milestones.length ? monthsFrom(monthOf(first), monthOf(date)) : [];
	return {
		progress: progressByMonth(milestones, months, (m) => (lastDayOf(m) < date ? lastDayOf(m) : date)),
		bars: milestoneBars(startOn, milestones, date)
	};
}

/**
 * Display names of everyone who appears in an item's reports, requests and instructions: as they
 * were then for a view of the past (a role account renamed for its next holder does not take the
 * credit for years of approvals), as they are now otherwise.
 */
function peopleNames(db: Tx, state: NonNullable<ReturnType<typeof itemState>>, instant: string | null): Record<number, string> {
	const ids = new Set<number>();
	const add = (...xs: (number | null)[]) => xs.forEach((x) => x !== null && ids.add(x));
	state.reports.forEach((r) => add(r.reportedBy, r.reviewedBy));
	state.extensions.forEach((e) => add(e.requestedBy, e.decidedBy));
	state.closures.forEach((c) => add(c.requestedBy, c.decidedBy));
	state.instructions.forEach((i) => add(i.authorId, i.answeredBy));
	state.contributions.forEach((c) => add(c.writtenBy));
	if (ids.size === 0) return {};
	const now = db
		.select({ id: user.id, name: user.displayName })
		.from(user)
		.where(inArray(user.id, [...ids]))
		.all();
	const names = new Map(now.map((r) => [r.id, r.name]));
	// A person the history does not know at that instant (none in a database older than its log) keeps today's name.
	if (instant !== null)
		for (const then of fieldsAsOfEach(db, user, ['id', 'displayName'], [instant], {
			ids: sql`SELECT CAST(value AS TEXT) FROM json_each(${JSON.stringify([...ids])})`
		})[0])
			names.set(then.id, then.displayName);
	return Object.fromEntries(names);
}

export type InitiativeDetail = NonNullable<ReturnType<typeof getInitiative>>;

/**
 * The item with only its latest `months` of reports, and their contributions, milestone marks and
 * files: what its page shows at first (an item running since 2021 has five years of them, most of
 * the page's weight). Everything else of the item is whole.
 */
export function withRecentReports<T extends Pick<InitiativeDetail, 'reports' | 'contributions' | 'reportMilestones' | 'attachments'>>(
	item: T,
	months: number
): T & { reportsCut: number } {
	if (item.reports.length <= months) return { ...item, reportsCut: 0 };
	const reports = [...item.reports].sort((a, b) => b.month.localeCompare(a.month)).slice(0, months);
	const kept = new Set(reports.map((r) => r.id));
	const keptMonths = new Set(reports.map((r) => r.month));
	return {
		...item,
		reports,
		contributions: item.contributions.filter((c) => keptMonths.has(c.month)),
		reportMilestones: item.reportMilestones.filter((rm) => kept.has(rm.reportId)),
		attachments: item.attachments.filter((a) => a.reportId === null || kept.has(a.reportId)),
		reportsCut: item.reports.length - months
	};
}
