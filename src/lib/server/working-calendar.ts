/**
 * The official calendar of holidays and make-up working days (节假日安排): shipped with the product
 * from the chinese-days package (maintained, following each State Council notice; 2004 to the
 * latest year it knows), and corrected or extended by the administrator (/admin/calendar) for a
 * year it does not know yet or got wrong. A year the administrator entered replaces the shipped one.
 * The entries are a tracked setting, so the history says who entered which day when.
 */
import { eq } from 'drizzle-orm';
import shipped from 'chinese-days/dist/chinese-days.json';
import type { CalendarDate } from '$lib/dates';
import { calendarOf, type WorkingCalendar, type YearCalendar } from '$lib/working-days';
import type { Db, Tx } from './db';
import { setting } from './db/schema';
import { putSetting, type ChangeContext } from './history';

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

/** Every year the calendar knows, newest first, and where it comes from. */
export function calendarYears(db: Tx): YearSummary[] {
	const mine = entered(db).years;
	const years = new Set([...Object.keys(fromPackage), ...Object.keys(mine)].map(Number));
	return [...years]
		.sort((a, b) => b - a)
		.map((year) =>
			mine[year] ? { year, ...mine[year], source: 'entered' as const } : { year, ...fromPackage[year], source: 'shipped' as const }
		);
}

/** Enters (or replaces) a year; `null` removes the administrator's entry (the shipped year, if any, holds again). */
export function saveCalendarYear(db: Db, year: number, calendar: YearCalendar | null, ctx: ChangeContext): void {
	db.transaction((tx) => {
		const years = { ...entered(tx).years };
		if (calendar === null) delete years[year];
		else years[year] = calendar;
		putSetting(tx, KEY, years, ctx);
	});
}
