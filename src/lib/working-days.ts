/**
 * Working days (工作日) as China's official calendar counts them: Monday to Friday, except public
 * holidays (法定节假日), plus the make-up working days (调休上班) on weekends around them. Deadlines
 * such as "reply within 5 working days" and reminders "3 working days before" count these.
 *
 * The calendar of a year is published by the State Council each autumn. A year the calendar does not
 * know is counted by weekends alone, and `knowsYear` says so, so that the interface can warn.
 */
import { getDay } from 'date-fns';
import { addCalendarDays, type CalendarDate } from './dates';
import { halfWidth } from './half-width';

export type WorkingCalendar = {
	/** Public holidays that fall on what would be working days, and the rest of the holiday. */
	holidays: ReadonlySet<CalendarDate>;
	/** Weekend days that are working days (调休上班). */
	workdays: ReadonlySet<CalendarDate>;
	/** The years whose holidays the calendar holds. */
	years: ReadonlySet<number>;
};

/** A year's holidays and make-up working days, as published (or as the administrator entered them). */
export type YearCalendar = { holidays: CalendarDate[]; workdays: CalendarDate[] };

export function calendarOf(years: Record<number, YearCalendar>): WorkingCalendar {
	const all = Object.values(years);
	return {
		holidays: new Set(all.flatMap((y) => y.holidays)),
		workdays: new Set(all.flatMap((y) => y.workdays)),
		years: new Set(Object.keys(years).map(Number))
	};
}

export function knowsYear(calendar: WorkingCalendar, date: CalendarDate): boolean {
	return calendar.years.has(Number(date.slice(0, 4)));
}

export function isWorkingDay(calendar: WorkingCalendar, date: CalendarDate): boolean {
	if (calendar.workdays.has(date)) return true;
	if (calendar.holidays.has(date)) return false;
	const weekday = getDay(new Date(`${date}T12:00:00Z`));
	return weekday !== 0 && weekday !== 6;
}

/**
 * The `n`th working day after `date` (n ≥ 1): "within 5 working days of the 8th" ends on the day
 * this returns. With n = 0, `date` itself when it is a working day, else the next one.
 */
export function addWorkingDays(calendar: WorkingCalendar, date: CalendarDate, n: number): CalendarDate {
	let day = date;
	if (n === 0) {
		while (!isWorkingDay(calendar, day)) day = addCalendarDays(day, 1);
		return day;
	}
	for (let left = n; left > 0;) {
		day = addCalendarDays(day, 1);
		if (isWorkingDay(calendar, day)) left--;
	}
	return day;
}

/** The `n`th working day before `date` (n ≥ 1). */
export function subtractWorkingDays(calendar: WorkingCalendar, date: CalendarDate, n: number): CalendarDate {
	let day = date;
	for (let left = n; left > 0;) {
		day = addCalendarDays(day, -1);
		if (isWorkingDay(calendar, day)) left--;
	}
	return day;
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(calendar: WorkingCalendar, from: CalendarDate, to: CalendarDate): number {
	let count = 0;
	for (let day = addCalendarDays(from, 1); day <= to; day = addCalendarDays(day, 1)) if (isWorkingDay(calendar, day)) count++;
	return count;
}

/** Why an entry of a date list was refused: not a date at all, a range ending before it starts, or longer than a range may be. */
export type DateListRefusal = 'not_a_date' | 'backwards' | 'too_long';

/** The most days a range may span: the longest holiday (国庆 with its 调休) is eight, a typo is a year. */
export const LONGEST_RANGE_DAYS = 32;

/**
 * Dates as an office writes them in a list: one per line or separated by commas, 、 or spaces, each a
 * date (2027-01-01) or a range (2027-02-05~2027-02-11, also with - between the two, or 至), in either
 * width (a Chinese input method's ２０２７－０１－０１ reads as 2027-01-01).
 * Returns the dates in order, or the first entry that is not one and why.
 */
export function parseDateList(text: string): { ok: true; dates: CalendarDate[] } | { ok: false; entry: string; reason: DateListRefusal } {
	const dates = new Set<CalendarDate>();
	const date = /^\d{4}-\d{2}-\d{2}$/;
	const valid = (d: string) =>
		date.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
	for (const entry of text.split(/[\s,，、;；]+/).filter(Boolean)) {
		const read = halfWidth(entry);
		const range = /^(\d{4}-\d{2}-\d{2})(?:~|至|--|—|-(?=\d{4}-))(\d{4}-\d{2}-\d{2})$/.exec(read);
		if (range) {
			const [, from, to] = range;
			if (!valid(from) || !valid(to)) return { ok: false, entry, reason: 'not_a_date' };
			if (to < from) return { ok: false, entry, reason: 'backwards' };
			if (to > addCalendarDays(from, LONGEST_RANGE_DAYS - 1)) return { ok: false, entry, reason: 'too_long' };
			for (let d = from; d <= to; d = addCalendarDays(d, 1)) dates.add(d);
		} else if (valid(read)) dates.add(read);
		else return { ok: false, entry, reason: 'not_a_date' };
	}
	return { ok: true, dates: [...dates].sort() };
}

/**
 * Dates written as `parseDateList` reads them, one entry a line: a run of consecutive days as a range
 * (2027-02-05~2027-02-11, at most the `LONGEST_RANGE_DAYS` a range may span), a day alone as itself. What the
 * calendar's form shows of a year, so that correcting one day never means typing the others again.
 */
export function writeDateList(dates: readonly CalendarDate[]): string {
	const lines: string[] = [];
	const sorted = [...new Set(dates)].sort();
	for (let k = 0; k < sorted.length;) {
		let end = k;
		while (end + 1 < sorted.length && sorted[end + 1] === addCalendarDays(sorted[end], 1) && end + 1 - k < LONGEST_RANGE_DAYS) end++;
		lines.push(end === k ? sorted[k] : `${sorted[k]}~${sorted[end]}`);
		k = end + 1;
	}
	return lines.join('\n');
}
