/**
 * The tally (统计) of a set of evaluated items on a date: what the dashboard shows of them as figures,
 * charts, the ranking of units, the deadlines ahead and the choices of its filters. Every part is a
 * sum over items, so the city's tally is kept with its evaluation and follows a change by taking the
 * touched items' old rows away and adding their new ones (`retallied`): a unit's report then costs
 * the dashboard a few items, not a pass over the province's.
 *
 * A tally is shared by everyone who reads the view: read it, never change it. `retallied` copies
 * what it changes. Progress is summed in millionths (whole numbers), so that a sum taken and given
 * back item by item is exactly the sum taken afresh, whatever the order.
 */
import { addCalendarDays, type CalendarDate } from './dates';
import { lights, type Light } from './lights';
import { addMonths, UPCOMING_DAYS, type MilestoneCounts, type MonthCounts } from './milestone-counts';
import { byChineseName, byText } from './order';
import { paces, type Pace } from './progress';

/** What the tally reads of an evaluated item. */
export type Tallied = {
	id: number;
	code: string;
	status: string;
	startOn: string | null;
	dueOn: string | null;
	leader: string | null;
	themeCode: string;
	themeName: string;
	themePosition: number;
	leadUnitId: number | null;
	leadUnitName: string | null;
	coUnitIds: number[];
	actual: number;
	expected: number;
	pace: Pace;
	light: Light;
	sentThisMonth: boolean;
} & MilestoneCounts;

type ThemeSums = { code: string; name: string; position: number; items: number; actual: number; expected: number };
type UnitRow = { unitId: number; name: string; items: number; behind: number; overdue: number };
/** A deadline within `UPCOMING_DAYS`: a milestone's (its title), or the item's own (`milestone` null). */
export type DueSoon<T> = { item: T; milestone: string | null; index: number; dueOn: string };

export type Tally<T extends Tallied = Tallied> = {
	date: CalendarDate;
	items: number;
	paces: Record<Pace, number>;
	lights: Record<Light, number>;
	themes: Map<string, ThemeSums>;
	/** Milestones open past their due date. */
	milestonesOverdue: number;
	/** Items under way whose report of the month is not sent. */
	reportsMissing: number;
	/** Per lead unit: its items, those behind and those with something overdue (赛马). */
	units: Map<number, UnitRow>;
	/** Milestones due and met per month (the burn-up chart). */
	months: MonthCounts;
	/** Every deadline ahead, soonest first (`bySoonest`). */
	dueSoon: DueSoon<T>[];
	/** How many items name each unit (lead or co-unit) and each leader: the filters' choices. */
	namedUnits: Map<number, number>;
	leaders: Map<string, number>;
};

const MILLION = 1_000_000;
const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** The tally of `items` on `date`. */
export function tally<T extends Tallied>(items: readonly T[], date: CalendarDate): Tally<T> {
	const t: Tally<T> = {
		date,
		items: 0,
		paces: zeros(paces),
		lights: zeros(lights),
		themes: new Map(),
		milestonesOverdue: 0,
		reportsMissing: 0,
		units: new Map(),
		months: { due: new Map(), met: new Map() },
		dueSoon: [],
		namedUnits: new Map(),
		leaders: new Map()
	};
	for (const item of items) count(t, item, 1);
	t.dueSoon = items.flatMap((item) => dueSoonOf(item, date)).sort(bySoonest);
	return t;
}

/** `kept` with the items `before` replaced by `after` (the same items as they are now): a new tally. */
export function retallied<T extends Tallied>(kept: Tally<T>, before: readonly T[], after: readonly T[]): Tally<T> {
	const t: Tally<T> = {
		...kept,
		paces: { ...kept.paces },
		lights: { ...kept.lights },
		themes: copied(kept.themes),
		units: copied(kept.units),
		months: { due: new Map(kept.months.due), met: new Map(kept.months.met) },
		namedUnits: new Map(kept.namedUnits),
		leaders: new Map(kept.leaders)
	};
	for (const item of before) count(t, item, -1);
	for (const item of after) count(t, item, 1);
	const gone = new Set(before.map((i) => i.id));
	t.dueSoon = merged(
		kept.dueSoon.filter((d) => !gone.has(d.item.id)),
		after.flatMap((item) => dueSoonOf(item, kept.date)).sort(bySoonest)
	);
	return t;
}

/** Adds (`sign` 1) or takes away (-1) one item's part of every sum, in place. */
function count<T extends Tallied>(t: Tally<T>, item: T, sign: 1 | -1): void {
	t.items += sign;
	t.paces[item.pace] += sign;
	t.lights[item.light] += sign;
	const theme = entry(t.themes, item.themeCode, () => ({
		code: item.themeCode,
		name: item.themeName,
		position: item.themePosition,
		items: 0,
		actual: 0,
		expected: 0
	}));
	theme.items += sign;
	theme.actual += sign * Math.round(item.actual * MILLION);
	theme.expected += sign * Math.round(item.expected * MILLION);
	if (theme.items === 0) t.themes.delete(item.themeCode);
	t.milestonesOverdue += sign * item.overdueMilestones;
	if (isUnderWay(item, t.date) && !item.sentThisMonth) t.reportsMissing += sign;
	if (item.leadUnitId !== null) {
		const row = entry(t.units, item.leadUnitId, () => ({
			unitId: item.leadUnitId!,
			name: item.leadUnitName ?? '',
			items: 0,
			behind: 0,
			overdue: 0
		}));
		row.items += sign;
		if (item.pace === 'behind') row.behind += sign;
		if (item.pace !== 'done' && (item.overdueMilestones > 0 || (item.dueOn !== null && item.dueOn < t.date))) row.overdue += sign;
		if (row.items === 0) t.units.delete(item.leadUnitId);
	}
	addMonths(t.months, item, sign);
	for (const unitId of item.leadUnitId === null ? item.coUnitIds : [item.leadUnitId, ...item.coUnitIds]) add(t.namedUnits, unitId, sign);
	if (item.leader) add(t.leaders, item.leader, sign);
}

/** Not done, not cancelled and started by the date: an item whose monthly report is expected. */
const isUnderWay = (item: Tallied, date: CalendarDate) =>
	item.pace !== 'done' && item.status !== 'cancelled' && (!item.startOn || item.startOn <= date);

function entry<K, V>(map: Map<K, V>, key: K, make: () => V): V {
	let value = map.get(key);
	if (value === undefined) map.set(key, (value = make()));
	return value;
}

function add<K>(map: Map<K, number>, key: K, n: number): void {
	const sum = (map.get(key) ?? 0) + n;
	if (sum === 0) map.delete(key);
	else map.set(key, sum);
}

/** A copy of `map` whose values are copies too: the copy's sums can change, the kept ones cannot. */
const copied = <K, V extends object>(map: Map<K, V>) => new Map([...map].map(([k, v]) => [k, { ...v }]));

function dueSoonOf<T extends Tallied>(item: T, date: CalendarDate): DueSoon<T>[] {
	const rows: DueSoon<T>[] = item.dueSoon.map((ms, index) => ({ item, milestone: ms.title, index, dueOn: ms.dueOn }));
	if (item.pace !== 'done' && item.dueOn !== null && item.dueOn > date && item.dueOn <= addCalendarDays(date, UPCOMING_DAYS))
		rows.push({ item, milestone: null, index: rows.length, dueOn: item.dueOn });
	return rows;
}

/** Soonest first; on the same day by item code, then in the item's own order (its deadline last). */
const bySoonest = (a: DueSoon<Tallied>, b: DueSoon<Tallied>) =>
	byText(a.dueOn, b.dueOn) || byText(a.item.code, b.item.code) || a.index - b.index;

/** Two lists, each soonest first, as one. */
function merged<T extends Tallied>(a: DueSoon<T>[], b: DueSoon<T>[]): DueSoon<T>[] {
	if (!b.length) return a;
	const out: DueSoon<T>[] = [];
	let j = 0;
	for (const x of a) {
		while (j < b.length && bySoonest(b[j], x) < 0) out.push(b[j++]);
		out.push(x);
	}
	while (j < b.length) out.push(b[j++]);
	return out;
}

export type ThemeProgress = { code: string; name: string; items: number; actual: number; expected: number };

/** The themes with their items' mean progress, in the catalogue's order. */
export const themeProgress = (t: Tally): ThemeProgress[] =>
	[...t.themes.values()]
		.sort((a, b) => a.position - b.position || byText(a.code, b.code))
		.map((s) => ({
			code: s.code,
			name: s.name,
			items: s.items,
			actual: s.actual / MILLION / s.items,
			expected: s.expected / MILLION / s.items
		}));

/** Lead units with items behind or overdue, the most first (赛马). */
export const unitRanking = (t: Tally) =>
	[...t.units.values()]
		.filter((r) => r.behind + r.overdue > 0)
		.sort(
			(a, b) =>
				b.behind + b.overdue - (a.behind + a.overdue) || b.overdue - a.overdue || byChineseName(a.name, b.name) || a.unitId - b.unitId
		)
		.map((r) => ({ ...r }));
