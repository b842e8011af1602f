/**
 * Dates as the city uses them. Suzhou runs on China Standard Time (UTC+8, no daylight saving):
 * "today", a month and a due date are Suzhou's whatever time zone the server runs in.
 *
 * Calendar dates are strings `YYYY-MM-DD` and months `YYYY-MM`; instants are `Date`s or ISO strings.
 */
import { TZDate } from '@date-fns/tz';
import { format, isValid, parse, type Locale as DateFnsLocale } from 'date-fns';
import { enGB } from 'date-fns/locale/en-GB';
import { zhCN } from 'date-fns/locale/zh-CN';
import { getLocale, type Locale } from '$lib/paraglide/runtime';

export const SUZHOU_TZ = 'Asia/Shanghai';

export type CalendarDate = string;
export type Month = string;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH_RE = /^\d{4}-\d{2}$/;

/** A real calendar date in `YYYY-MM-DD` form (2026-02-30 is not). */
export function isCalendarDate(value: string): boolean {
	if (!DATE_RE.test(value)) return false;
	const parsed = parse(value, 'yyyy-MM-dd', new Date(2000, 0, 1));
	return isValid(parsed) && format(parsed, 'yyyy-MM-dd') === value;
}

/**
 * The dates a person may enter (deadlines, milestones, replies): years 2000 to 2099. A year beyond is a
 * slip, not a plan (9999-12-31 typed for "open-ended", 2127 for 2027), and it filled the dashboard's
 * month-by-month chart with thousands of months.
 */
export const ENTERED_DATES = { first: '2000-01-01', last: '2099-12-31' } as const;

export function isEnterableDate(value: CalendarDate): boolean {
	return value >= ENTERED_DATES.first && value <= ENTERED_DATES.last;
}

export function isMonth(value: string): boolean {
	if (!MONTH_RE.test(value)) return false;
	const m = Number(value.slice(5, 7));
	return m >= 1 && m <= 12;
}

/**
 * Today's date in Suzhou at the instant `now`: the UTC date of the instant moved by Suzhou's fixed
 * offset (`SUZHOU_OFFSET_HOURS`). Every kept page's check asks for it twice; through a time-zone
 * library it cost 30 µs a call, an eighth of serving a kept page.
 */
export function suzhouToday(now: Date = new Date()): CalendarDate {
	return new Date(now.getTime() + SUZHOU_OFFSET_HOURS * 3_600_000).toISOString().slice(0, 10);
}

/** The month of `date` (`YYYY-MM`). */
export function monthOf(date: CalendarDate): Month {
	return date.slice(0, 7);
}

/** China has kept UTC+8 without daylight saving since 1992, so a wall-clock time maps by a fixed offset. */
/** Suzhou's offset from UTC (China has kept no summer time since 1991). */
export const SUZHOU_OFFSET_HOURS = 8;

/**
 * The instant of a Suzhou wall-clock time on a date, as an ISO string in UTC (`…Z`), so that
 * stored instants sort as text.
 */
export function suzhouInstant(date: CalendarDate, hour: number, minute = 0, second = 0, ms = 0): string {
	const [y, m, d] = date.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d, hour - SUZHOU_OFFSET_HOURS, minute, second, ms)).toISOString();
}

/** The instant a Suzhou calendar day begins. */
export function startOfSuzhouDay(date: CalendarDate): string {
	return suzhouInstant(date, 0);
}

/** The instant a Suzhou calendar day ends: the cut-off for "as of" that date. */
export function endOfSuzhouDay(date: CalendarDate): string {
	return suzhouInstant(date, 23, 59, 59, 999);
}

/**
 * Midnight of a calendar date in the process's zone, for date-fns' day arithmetic. Built from the
 * digits rather than with date-fns' `parse`, which took a tenth of evaluating thousands of items.
 */
function toLocal(date: CalendarDate): Date {
	const local = new Date(2000, 0, 1);
	local.setFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
	return local;
}

// Day arithmetic on calendar dates is done on UTC midnights, where every day is 86,400,000 ms long
// (no daylight saving), so it is plain arithmetic: the rules run it for every item and milestone,
// and date-fns' local-time versions cost a fifth of evaluating a city of 20,000 items.
const DAY_MS = 86_400_000;
function utcMidnight(date: CalendarDate): number {
	const midnight = new Date(0);
	midnight.setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))); // years < 100 too
	return midnight.getTime();
}

export function addCalendarDays(date: CalendarDate, days: number): CalendarDate {
	return new Date(utcMidnight(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The same day `years` later (29 February becomes the 28th in a year without one). */
export function addYearsToDate(date: CalendarDate, years: number): CalendarDate {
	const month = addMonthsToMonth(date.slice(0, 7), years * 12);
	const day = `${month}-${date.slice(8, 10)}`;
	const last = lastDayOf(month);
	return day > last ? last : day;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
	return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS);
}

// Month arithmetic is plain integer arithmetic on year*12+month: it runs in every light rule, for
// every item and month, and needs no calendar library.
const monthIndex = (month: Month) => Number(month.slice(0, -3)) * 12 + Number(month.slice(-2)) - 1;

export function addMonthsToMonth(month: Month, months: number): Month {
	const index = monthIndex(month) + months;
	return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function lastDayOf(month: Month): CalendarDate {
	const day = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
	return `${month}-${String(day).padStart(2, '0')}`;
}

/** Every month from `from` to `to`, both included (empty when `to` is earlier). */
export function monthsFrom(from: Month, to: Month): Month[] {
	// Counted, not compared as text: after 9999-12 comes 10000-01, which sorts before it.
	const count = monthIndex(to) - monthIndex(from) + 1;
	return Array.from({ length: Math.max(0, count) }, (_, k) => addMonthsToMonth(from, k));
}

/** The date-fns locale and patterns of each interface language. */
const formats: Record<Locale, { locale: DateFnsLocale; date: string; month: string; instant: string }> = {
	'zh-CN': { locale: zhCN, date: 'yyyy年M月d日', month: 'yyyy年M月', instant: 'yyyy年M月d日 HH:mm' },
	en: { locale: enGB, date: 'd MMM yyyy', month: 'MMMM yyyy', instant: 'd MMM yyyy, HH:mm' }
};

/** The date-fns locale of the interface language (the request's on the server). */
export function dateLocale(locale: Locale = getLocale()): DateFnsLocale {
	return formats[locale].locale;
}

/** `2026年11月27日` or `27 Nov 2026`, in the interface language unless `locale` is given. */
export function formatDate(date: CalendarDate, locale: Locale = getLocale()): string {
	const f = formats[locale];
	return format(toLocal(date), f.date, { locale: f.locale });
}

/** `2026年11月` or `November 2026`. */
export function formatMonth(month: Month, locale: Locale = getLocale()): string {
	const f = formats[locale];
	return format(toLocal(`${month}-01`), f.month, { locale: f.locale });
}

/** An instant shown in Suzhou time: `2026年11月27日 14:05` or `27 Nov 2026, 14:05`. */
export function formatInstant(instant: string, locale: Locale = getLocale()): string {
	const f = formats[locale];
	return format(new TZDate(new Date(instant).getTime(), SUZHOU_TZ), f.instant, { locale: f.locale });
}
