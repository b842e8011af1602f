import { TZDate } from '@date-fns/tz';
import { addDays, differenceInCalendarDays, format, parse } from 'date-fns';
import { describe, expect, it } from 'vitest';
import {
	addCalendarDays,
	addMonthsToMonth,
	lastDayOf,
	daysBetween,
	endOfSuzhouDay,
	formatDate,
	formatInstant,
	formatMonth,
	isCalendarDate,
	isMonth,
	monthsFrom,
	suzhouInstant,
	suzhouToday
} from '$lib/dates';

describe('suzhouToday', () => {
	it.each([
		['2026-11-27T15:59:59.999Z', '2026-11-27'],
		['2026-11-27T16:00:00.000Z', '2026-11-28'],
		['2026-12-31T16:00:00.000Z', '2027-01-01'],
		['2024-02-28T16:30:00.000Z', '2024-02-29'],
		['2021-07-05T23:00:00.000Z', '2021-07-06']
	])('at %s is %s in Suzhou, whatever the server zone', (instant, date) => {
		expect(suzhouToday(new Date(instant))).toBe(date);
	});

	it('is the date the time-zone database gives for Asia/Shanghai, at 5,000 instants from 1992 to 2100', () => {
		// Computed by the fixed offset (no daylight saving since 1992); the tz database is the reference.
		let seed = 7;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const from = Date.parse('1992-01-01T00:00:00Z');
		const to = Date.parse('2100-12-31T23:59:59Z');
		for (let k = 0; k < 5000; k++) {
			// Half of them within a minute of a Suzhou midnight, where a wrong offset would show.
			const around =
				k % 2 === 0
					? Math.floor(random() * (to - from)) + from
					: Date.UTC(2000 + (k % 100), k % 12, 1 + (k % 28), 16) + ((k % 120) - 60) * 1000;
			const now = new Date(around);
			expect(suzhouToday(now)).toBe(format(new TZDate(now.getTime(), 'Asia/Shanghai'), 'yyyy-MM-dd'));
		}
	});
});

describe('endOfSuzhouDay', () => {
	it('is 15:59:59.999 UTC of the same date', () => {
		expect(endOfSuzhouDay('2023-06-30')).toBe('2023-06-30T15:59:59.999Z');
	});
});

describe('isCalendarDate', () => {
	it.each([
		['2026-02-28', true],
		['2024-02-29', true],
		['2026-02-29', false],
		['2026-02-30', false],
		['2026-13-01', false],
		['2026-1-01', false],
		['20260101', false],
		['', false],
		['2026-01-01T00:00', false]
	])('%s → %s', (value, ok) => {
		expect(isCalendarDate(value)).toBe(ok);
	});
});

describe('months and days', () => {
	it('checks months', () => {
		expect(isMonth('2026-11')).toBe(true);
		expect(isMonth('2026-00')).toBe(false);
		expect(isMonth('2026-13')).toBe(false);
	});
	it('lists months across a year end', () => {
		expect(monthsFrom('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
		expect(monthsFrom('2027-02', '2026-11')).toEqual([]);
	});
	it('counts calendar days', () => {
		expect(daysBetween('2026-11-27', '2026-12-01')).toBe(4);
		expect(daysBetween('2026-12-01', '2026-11-27')).toBe(-4);
		expect(addCalendarDays('2024-02-28', 1)).toBe('2024-02-29');
	});
	it('counts and adds days as date-fns does in local time, across month, year and leap-day boundaries', () => {
		const local = (date: string) => parse(date, 'yyyy-MM-dd', new Date(2000, 0, 1));
		let seed = 7;
		const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const dateAt = (day: number) => format(addDays(new Date(1999, 11, 1), day), 'yyyy-MM-dd');
		for (let n = 0; n < 2000; n++) {
			const [from, to] = [dateAt(Math.floor(next() * 12_000)), dateAt(Math.floor(next() * 12_000))];
			const days = Math.floor(next() * 800) - 400;
			expect(daysBetween(from, to), `${from} → ${to}`).toBe(differenceInCalendarDays(local(to), local(from)));
			expect(addCalendarDays(from, days), `${from} + ${days}`).toBe(format(addDays(local(from), days), 'yyyy-MM-dd'));
		}
		expect(addCalendarDays('0099-12-31', 1)).toBe('0100-01-01');
		expect(daysBetween('2023-12-31', '2024-12-31')).toBe(366);
	});
	it('formats in Chinese by default, and in English when asked', () => {
		expect(formatDate('2021-07-06')).toBe('2021年7月6日');
		expect(formatMonth('2026-11')).toBe('2026年11月');
		expect(formatInstant('2026-11-27T06:05:00.000Z')).toBe('2026年11月27日 14:05');
		expect(formatDate('2021-07-06', 'en')).toBe('6 Jul 2021');
		expect(formatMonth('2026-11', 'en')).toBe('November 2026');
		expect(formatInstant('2026-11-27T06:05:00.000Z', 'en')).toBe('27 Nov 2026, 14:05');
	});
});

describe('suzhouInstant', () => {
	it('is a UTC ISO string, so instants sort as text', () => {
		expect(suzhouInstant('2021-07-06', 18)).toBe('2021-07-06T10:00:00.000Z');
		expect(suzhouInstant('2021-07-07', 7, 30)).toBe('2021-07-06T23:30:00.000Z');
	});
});

describe('whatever the server time zone', () => {
	const zones = ['UTC', 'Asia/Shanghai', 'America/Los_Angeles', 'Europe/Berlin'];
	const instants = ['2026-10-31T15:59:59.999Z', '2026-10-31T16:00:00.000Z', '2026-03-29T01:30:00.000Z', '2026-11-01T09:30:00.000Z'];

	it('"today" and "this month" are Suzhou’s, and calendar arithmetic agrees', () => {
		const original = process.env.TZ;
		const results = zones.map((zone) => {
			process.env.TZ = zone; // Node re-reads the zone when TZ is assigned
			return instants.map((i) => {
				const today = suzhouToday(new Date(i));
				return [
					today,
					monthsFrom('2026-02', today.slice(0, 7)).length,
					addCalendarDays(today, 1),
					daysBetween('2026-03-28', today),
					endOfSuzhouDay(today)
				];
			});
		});
		process.env.TZ = original;
		for (const r of results) expect(r).toEqual(results[0]);
		expect(results[0].map((r) => r[0])).toEqual(['2026-10-31', '2026-11-01', '2026-03-29', '2026-11-01']);
	});
});

describe('month arithmetic', () => {
	it.each([
		['2026-11', 1, '2026-12'],
		['2026-12', 1, '2027-01'],
		['2027-01', -1, '2026-12'],
		['2021-07', 77, '2027-12'],
		['2026-03', -24, '2024-03']
	])('%s %+d months → %s', (month, n, expected) => {
		expect(addMonthsToMonth(month, n)).toBe(expected);
	});
	it.each([
		['2024-02', '2024-02-29'],
		['2026-02', '2026-02-28'],
		['2026-12', '2026-12-31'],
		['2026-04', '2026-04-30']
	])('the last day of %s is %s', (month, day) => {
		expect(lastDayOf(month)).toBe(day);
	});
});
