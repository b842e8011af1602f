/**
 * Working days (docs/domain.md, "Working days") against the State Council's published holiday
 * arrangements for 2025 and 2026 (the dates below are the notices' own), shipped with the chinese-days
 * package; a year the package does not know entered by the administrator, in the history, and used
 * at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	addWorkingDays,
	isWorkingDay,
	knowsYear,
	parseDateList,
	subtractWorkingDays,
	workingDaysBetween,
	writeDateList
} from '$lib/working-days';
import { changeLog } from '$lib/server/db/schema';
import { calendarYear, calendarYears, saveCalendarYear, workingCalendar } from '$lib/server/working-calendar';
import { StaleVersionError } from '$lib/server/workflow/errors';
import { tempDatabase, type TempDb } from '../helpers/db';
import { eq } from 'drizzle-orm';
import { addCalendarDays, type CalendarDate } from '$lib/dates';

let t: TempDb;
beforeAll(() => (t = tempDatabase()));
afterAll(() => t.close());
const cal = () => workingCalendar(t.db);

describe('the official calendars of 2025 and 2026', () => {
	it('2025: Spring Festival 28 January to 4 February, make-up working days 26 January (Sunday) and 8 February (Saturday)', () => {
		for (const d of ['2025-01-28', '2025-01-31', '2025-02-03', '2025-02-04']) expect(isWorkingDay(cal(), d), d).toBe(false);
		expect(isWorkingDay(cal(), '2025-01-26')).toBe(true);
		expect(isWorkingDay(cal(), '2025-02-08')).toBe(true);
		expect(isWorkingDay(cal(), '2025-02-05')).toBe(true);
		// National Day and Mid-Autumn 1–8 October, make-up days 28 September (Sunday) and 11 October (Saturday).
		for (const d of ['2025-10-01', '2025-10-06', '2025-10-08']) expect(isWorkingDay(cal(), d), d).toBe(false);
		expect(isWorkingDay(cal(), '2025-09-28')).toBe(true);
		expect(isWorkingDay(cal(), '2025-10-11')).toBe(true);
		// Labour Day 1–5 May, make-up day 27 April (Sunday); Dragon Boat 31 May–2 June.
		expect(isWorkingDay(cal(), '2025-04-27')).toBe(true);
		expect(isWorkingDay(cal(), '2025-05-05')).toBe(false);
		expect(isWorkingDay(cal(), '2025-06-02')).toBe(false);
	});

	it('2026: Spring Festival 15–23 February with make-up days 14 and 28 February; National Day 1–7 October with 20 September and 10 October', () => {
		for (const d of ['2026-02-16', '2026-02-20', '2026-02-23']) expect(isWorkingDay(cal(), d), d).toBe(false);
		for (const d of ['2026-02-14', '2026-02-28', '2026-01-04', '2026-05-09', '2026-09-20', '2026-10-10'])
			expect(isWorkingDay(cal(), d), d).toBe(true);
		for (const d of ['2026-10-01', '2026-10-05', '2026-10-07', '2026-01-01', '2026-01-02']) expect(isWorkingDay(cal(), d), d).toBe(false);
		expect(isWorkingDay(cal(), '2026-10-08')).toBe(true);
	});

	it('counts "within N working days" across holidays and make-up days', () => {
		// Issued Friday 30 January 2026: 5 working days are 2, 3, 4, 5, 6 February.
		expect(addWorkingDays(cal(), '2026-01-30', 5)).toBe('2026-02-06');
		// Issued Thursday 12 February 2026: 13 Feb, Saturday 14 Feb (make-up day), then the holiday to the 23rd, then 24th…
		expect(addWorkingDays(cal(), '2026-02-12', 2)).toBe('2026-02-14');
		expect(addWorkingDays(cal(), '2026-02-12', 3)).toBe('2026-02-24');
		// Issued 30 September 2026: the National Day holiday, then Thursday 8, Friday 9, Saturday 10 (make-up day).
		expect(addWorkingDays(cal(), '2026-09-30', 3)).toBe('2026-10-10');
		expect(addWorkingDays(cal(), '2026-09-30', 4)).toBe('2026-10-12');
		// From the year before into the new one: 31 December 2025, New Year 1–3 January, Sunday 4 January worked.
		expect(addWorkingDays(cal(), '2025-12-31', 1)).toBe('2026-01-04');
		expect(subtractWorkingDays(cal(), '2026-10-08', 1)).toBe('2026-09-30');
		expect(workingDaysBetween(cal(), '2026-09-30', '2026-10-12')).toBe(4);
		expect(addWorkingDays(cal(), '2026-10-03', 0)).toBe('2026-10-08');
	});
});

describe('a year the package does not know', () => {
	it('is counted by weekends alone and said to be unknown until the administrator enters it', () => {
		expect(knowsYear(cal(), '2030-01-01')).toBe(false);
		expect(isWorkingDay(cal(), '2030-01-01')).toBe(true); // a Tuesday; New Year not known
		const holidays = parseDateList('2030-01-01\n2030-02-02~2030-02-10');
		const workdays = parseDateList('2030-01-26、2030-02-16');
		expect(holidays.ok && workdays.ok).toBe(true);
		if (!holidays.ok || !workdays.ok) return;
		saveCalendarYear(t.db, 2030, { holidays: holidays.dates, workdays: workdays.dates }, calendarYear(t.db, 2030).version, {
			at: '2029-11-20T02:00:00.000Z',
			actorId: null,
			actorLabel: 'test'
		});
		expect(knowsYear(cal(), '2030-01-01')).toBe(true);
		expect(isWorkingDay(cal(), '2030-01-01')).toBe(false);
		expect(isWorkingDay(cal(), '2030-02-16')).toBe(true); // a Saturday worked
		expect(addWorkingDays(cal(), '2030-02-01', 1)).toBe('2030-02-11');
		expect(calendarYears(t.db).find((y) => y.year === 2030)).toMatchObject({ source: 'entered', workdays: ['2030-01-26', '2030-02-16'] });
		expect(t.db.select().from(changeLog).where(eq(changeLog.entity, 'setting')).all().at(-1)?.entityId).toBe('holiday_calendar');
		// Removing the entry goes back to what the package says (nothing, for 2030).
		saveCalendarYear(t.db, 2030, null, calendarYear(t.db, 2030).version, {
			at: '2029-11-21T02:00:00.000Z',
			actorId: null,
			actorLabel: 'test'
		});
		expect(knowsYear(cal(), '2030-01-01')).toBe(false);
	});

	it('opens a year with its days as they are, and refuses a form opened before another changed that year, never a change to another year', () => {
		const by = (at: string) => ({ at, actorId: null, actorLabel: 'test' });
		const opened = calendarYear(t.db, 2031);
		expect(opened).toMatchObject({ holidays: [], workdays: [], source: 'shipped' });
		const days = (text: string) => {
			const parsed = parseDateList(text);
			if (!parsed.ok) throw new Error(text);
			return parsed.dates;
		};
		const full = { holidays: days('2031-01-01\n2031-01-22~2031-01-28\n2031-10-01~2031-10-07'), workdays: days('2031-01-19') };
		saveCalendarYear(t.db, 2031, full, opened.version, by('2030-11-20T02:00:00.000Z'));
		// The form opens with the year's days as it reads them back: ranges, one a line.
		const again = calendarYear(t.db, 2031);
		expect(writeDateList(again.holidays)).toBe('2031-01-01\n2031-01-22~2031-01-28\n2031-10-01~2031-10-07');
		expect(parseDateList(writeDateList(again.holidays))).toEqual({ ok: true, dates: full.holidays });
		// Another administrator, who opened 2031 before that save, "adds one day": refused, with what changed.
		const stale = () =>
			saveCalendarYear(t.db, 2031, { holidays: days('2031-10-08'), workdays: [] }, opened.version, by('2030-11-20T03:00:00.000Z'));
		expect(stale).toThrow(StaleVersionError);
		try {
			stale();
		} catch (e) {
			expect((e as StaleVersionError).changes.map((c) => c.field)).toEqual(['holidays', 'workdays']);
		}
		expect(calendarYear(t.db, 2031).holidays).toEqual(full.holidays);
		// So is removing the entry from a stale form; a change to another year since is no conflict.
		expect(() => saveCalendarYear(t.db, 2031, null, opened.version, by('2030-11-20T03:00:00.000Z'))).toThrow(StaleVersionError);
		const other = calendarYear(t.db, 2032);
		saveCalendarYear(t.db, 2031, { ...full, workdays: days('2031-01-19、2031-10-11') }, again.version, by('2030-11-20T04:00:00.000Z'));
		saveCalendarYear(t.db, 2032, { holidays: days('2032-01-01'), workdays: [] }, other.version, by('2030-11-20T05:00:00.000Z'));
		expect(calendarYear(t.db, 2031).workdays).toEqual(['2031-01-19', '2031-10-11']);
		expect(calendarYear(t.db, 2032).holidays).toEqual(['2032-01-01']);
	});

	it('writes a list of dates as it reads it back, runs as ranges of at most 32 days', () => {
		const long = days32();
		expect(writeDateList(long).split('\n')).toHaveLength(2);
		expect(parseDateList(writeDateList(long))).toEqual({ ok: true, dates: long });
		expect(writeDateList([])).toBe('');
	});

	it('reads the lists offices write, and names the first entry that is not a date', () => {
		expect(parseDateList('2027-10-01~2027-10-03，2027-09-26')).toEqual({
			ok: true,
			dates: ['2027-09-26', '2027-10-01', '2027-10-02', '2027-10-03']
		});
		expect(parseDateList('2027-10-01至2027-10-02')).toEqual({ ok: true, dates: ['2027-10-01', '2027-10-02'] });
		expect(parseDateList('2027-02-30')).toEqual({ ok: false, entry: '2027-02-30', reason: 'not_a_date' });
		expect(parseDateList('10月1日')).toEqual({ ok: false, entry: '10月1日', reason: 'not_a_date' });
		expect(parseDateList('2027-10-03~2027-10-01')).toEqual({ ok: false, entry: '2027-10-03~2027-10-01', reason: 'backwards' });
		// A range of 32 days is the longest taken; one more is refused as too long, not as "not a date".
		expect(parseDateList('2027-01-01~2027-02-01')).toMatchObject({ ok: true });
		expect(parseDateList('2027-01-01~2027-02-02')).toEqual({ ok: false, entry: '2027-01-01~2027-02-02', reason: 'too_long' });
		// A Chinese input method's full-width digits and marks read as the dates they are.
		expect(parseDateList('２０２７－１０－０１～２０２７－１０－０２、２０２７－０９－２６')).toEqual({
			ok: true,
			dates: ['2027-09-26', '2027-10-01', '2027-10-02']
		});
		expect(parseDateList('')).toEqual({ ok: true, dates: [] });
	});
});

/** 40 consecutive days: longer than one range may span. */
function days32(): CalendarDate[] {
	const out: CalendarDate[] = [];
	for (let d: CalendarDate = '2033-01-01'; out.length < 40; d = addCalendarDays(d, 1)) out.push(d);
	return out;
}
