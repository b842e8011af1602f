/**
 * The official calendar of holidays and make-up working days (节假日安排): shipped with the product
 * from the chinese-days package (maintained, following each State Council notice; 2004 to the
 * latest year it knows), and corrected or extended by the administrator (/admin/calendar) for a
 * year it does not know yet or got wrong. A year the administrator entered replaces the shipped one.
 * The entries are a tracked setting, so the history says who entered which day when.
 */
import { eq, sql } from 'drizzle-orm';
import shipped from 'chinese-days/dist/chinese-days.json';
import type { CalendarDate } from '$lib/dates';
import { calendarOf, writeDateList, type WorkingCalendar, type YearCalendar } from '$lib/working-days';
import type { Db, Tx } from './db';
import { setting } from './db/schema';
import { putSetting, type ChangeContext } from './history';
import { lastChangeOf, StaleVersionError } from './workflow/errors';

const KEY = 'holiday_calendar';

/** The years as shipped, by year. */
function shippedYears(): Record<number, YearCalendar> {
	const years: Record<number, YearCalendar> = {};
	const year = (date: string) => (years[Number(date.slice(0, 4))] ??= { holidays: [], workdays: [] });
	for (const date of Object.keys(shipped.holidays).sort()) year(date).holidays.push(date as CalendarDate);
	for (const date of Object.keys(shipped.workdays).sort()) year(date).workdays.push(date as CalendarDate);
	return years;
}
const fromPackage = shippedYears();

/** The calendar as shipped, without the administrator's years (for work done without a database). */
export function shippedCalendar(): WorkingCalendar {
	return calendarOf(fromPackage);
}

type Entered = Record<string, YearCalendar>;

function entered(db: Tx): { years: Entered; version: number } {
	const row = db.select().from(setting).where(eq(setting.key, KEY)).get();
	return { years: (row?.value as Entered | undefined) ?? {}, version: row?.version ?? 0 };
}

let kept: { version: number; calendar: WorkingCalendar } | null = null;

/** The calendar in force: the shipped years with the administrator's years over them. */
export function workingCalendar(db: Tx): WorkingCalendar {
	const { years, version } = entered(db);
	if (kept?.version === version) return kept.calendar;
	const calendar = calendarOf({ ...fromPackage, ...Object.fromEntries(Object.entries(years).map(([y, c]) => [Number(y), c])) });
	kept = { version, calendar };
	return calendar;
}

export type YearSummary = { year: number; holidays: CalendarDate[]; workdays: CalendarDate[]; source: 'shipped' | 'entered' };

/** A year as the calendar holds it, given the administrator's years: theirs, else the shipped one, else none. */
function yearIn(mine: Entered, year: number): YearSummary {
	if (mine[year]) return { year, ...mine[year], source: 'entered' };
	return { year, holidays: fromPackage[year]?.holidays ?? [], workdays: fromPackage[year]?.workdays ?? [], source: 'shipped' };
}

/** Every year the calendar knows, newest first, and where it comes from. */
export function calendarYears(db: Tx): YearSummary[] {
	const mine = entered(db).years;
	const years = new Set([...Object.keys(fromPackage), ...Object.keys(mine)].map(Number));
	return [...years].sort((a, b) => b - a).map((year) => yearIn(mine, year));
}

/** One year as its form opens it, and the calendar's version the form saves over. */
export function calendarYear(db: Tx, year: number): YearSummary & { version: number } {
	const { years, version } = entered(db);
	return { ...yearIn(years, year), version };
}

/**
 * Enters (or replaces) a year; `null` removes the administrator's entry (the shipped year, if any,
 * holds again). `openedAt` is the calendar's version the form was opened at: a form opened before
 * somebody else changed this year is refused with what they changed (a change to another year is no
 * conflict), so that nobody's entry is replaced unseen.
 */
export function saveCalendarYear(db: Db, year: number, calendar: YearCalendar | null, openedAt: number, ctx: ChangeContext): void {
	db.transaction((tx) => {
		const now = entered(tx);
		if (now.version !== openedAt) expectYearUnchanged(tx, year, openedAt, now);
		const years = { ...now.years };
		if (calendar === null) delete years[year];
		else years[year] = calendar;
		putSetting(tx, KEY, years, ctx);
	});
}

/** Refuses (`StaleVersionError`) when `year`'s days are otherwise now than at the calendar's version `openedAt`. */
function expectYearUnchanged(tx: Tx, year: number, openedAt: number, now: { years: Entered; version: number }): void {
	const logged = tx.get<{ value: string | null }>(sql`
		SELECT json_extract(after, '$.value') AS value FROM change_log
		WHERE entity = 'setting' AND entity_id = ${KEY} AND json_extract(after, '$.version') = ${openedAt}
		ORDER BY id DESC LIMIT 1`);
	const [then, current] = [yearIn(logged?.value ? (JSON.parse(logged.value) as Entered) : {}, year), yearIn(now.years, year)];
	const changes = (['holidays', 'workdays'] as const)
		.map((field) => ({ field, before: writeDateList(then[field]), after: writeDateList(current[field]) }))
		.filter((c) => c.before !== c.after);
	if (!changes.length) return;
	const last = lastChangeOf(tx, 'setting', KEY);
	throw new StaleVersionError(changes, last?.name ?? null, last?.at ?? null, now.version);
}
