/**
 * The synthetic dataset for benchmarks: the requested size, every generated item with its
 * milestones and reports, every unit staffed, the history consistent with the tables, and the same
 * data on every run for the same day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthReportsAsOf, monthReportStatusesAsOfEach, rowsAsOf } from '$lib/server/as-of';
import { generateSynthetic } from '$lib/server/demo/synthetic';
import { changeLog, initiative, initiativeCoUnit, milestone, progressReport, unit, user } from '$lib/server/db/schema';
import { putSetting, trackedTables, updateTracked } from '$lib/server/history';
import { evaluatedPortfolio, evaluatePortfolio, loadPortfolio, portfolioAndEarlier } from '$lib/server/portfolio';
import { lightsOf } from '$lib/server/portfolio/evaluate';
import { addMonthsToMonth, endOfSuzhouDay, lastDayOf, monthsFrom, suzhouToday } from '$lib/dates';
import { dueBy, reportsOnTime, sentOnTime } from '$lib/server/on-time';
import { monthlySummary } from '$lib/server/monthly/summary';
import { readRuleSettings } from '$lib/server/rule-settings';
import { eq } from 'drizzle-orm';
import { countsAsReported, lastDueMonth, reportDueOn, sentStatuses } from '$lib/reporting-calendar';
import { countRows, FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';
import { picked } from '../helpers/fields';

const size = { items: 46, milestonesPerItem: 3, since: '2025-03' };

describe('npm run cli -- generate', () => {
	let t: TempDb;
	let again: TempDb;
	beforeAll(() => {
		t = tempDatabase();
		again = tempDatabase();
		generateSynthetic(t.db, size, FIXED_NOW);
		generateSynthetic(again.db, size, FIXED_NOW);
	}, 60_000); // two demo loads and their generated items: seconds, more on a busy machine
	afterAll(() => {
		t.close();
		again.close();
	});

	it('makes the items asked for, each generated one with its milestones and monthly reports', () => {
		expect(countRows(t.db, initiative)).toBe(46);
		const generated = t.db
			.select()
			.from(initiative)
			.all()
			.filter((i) => i.code.startsWith('GAA-'));
		expect(generated).toHaveLength(6);
		for (const item of generated) {
			const milestones = t.db
				.select()
				.from(milestone)
				.all()
				.filter((m) => m.initiativeId === item.id);
			expect(milestones, item.code).toHaveLength(3);
			expect(item.startOn! >= '2025-03-01', item.code).toBe(true);
			const months = t.db
				.select()
				.from(progressReport)
				.all()
				.filter((r) => r.initiativeId === item.id)
				.map((r) => r.month);
			expect(months.length, item.code).toBeGreaterThan(3);
			expect(
				months.every((m) => m >= item.startOn!.slice(0, 7)),
				item.code
			).toBe(true);
		}
		expect(countRows(t.db, unit)).toBe(100);
	});

	it('gives every unit a staff account that can report', () => {
		const staffed = new Set(
			t.db
				.select()
				.from(user)
				.all()
				.filter((u) => u.role === 'staff')
				.map((u) => u.unitId)
		);
		for (const u of t.db.select().from(unit).all()) expect(staffed.has(u.id), u.code).toBe(true);
	});

	it('writes the history with the data, so that any past date can be rebuilt', () => {
		const now = new Date(FIXED_NOW.getTime() + 60_000).toISOString();
		const byKey = (rows: object[]) => rows.map((r) => JSON.stringify(r)).sort();
		for (const table of [...Object.values(trackedTables), initiativeCoUnit]) {
			expect(byKey(rowsAsOf(t.db, table, now))).toEqual(byKey(t.db.select().from(table).all()));
		}
	});

	it('has every unit there before the first item it leads or helps, so a view of the past names them', () => {
		for (const day of ['2025-03-31', '2025-09-30', '2026-06-30']) {
			const items = evaluatePortfolio(loadPortfolio(t.db, endOfSuzhouDay(day), day), day);
			const generated = items.filter((i) => i.code.startsWith('GAA-'));
			expect(generated.length, day).toBeGreaterThan(0);
			for (const item of items) expect(item.leadUnitName, `${day} ${item.code}`).not.toBeNull();
			const units = new Set(rowsAsOf(t.db, unit, endOfSuzhouDay(day)).map((u) => u.id));
			for (const item of generated) for (const id of item.coUnitIds) expect(units.has(id), `${day} ${item.code}`).toBe(true);
		}
	});

	it('is the same on every run for the same day', () => {
		expect(again.db.select().from(progressReport).all()).toEqual(t.db.select().from(progressReport).all());
		expect(again.db.select().from(milestone).all()).toEqual(t.db.select().from(milestone).all());
	});

	it('answers from the kept portfolio exactly as a fresh computation does, and afresh after a write', () => {
		const date = suzhouToday(FIXED_NOW);
		const yearAgo = '2025-11-27';
		const fresh = (instant: string | null, on: string) => evaluatePortfolio(loadPortfolio(t.db, instant, on), on);
		for (const [instant, on] of [
			[null, date],
			[endOfSuzhouDay(yearAgo), yearAgo]
		] as const) {
			expect(evaluatedPortfolio(t.db, instant, on).items).toEqual(fresh(instant, on));
			expect(evaluatedPortfolio(t.db, instant, on).items).toEqual(fresh(instant, on)); // kept
		}
		const past = evaluatedPortfolio(t.db, endOfSuzhouDay(yearAgo), yearAgo);
		const item = t.db.select().from(initiative).get()!;
		updateTracked(
			t.db,
			initiative,
			item.id,
			{ title: '改过的任务名称' },
			{ at: FIXED_NOW.toISOString(), actorId: null, actorLabel: 'test' }
		);
		const after = evaluatedPortfolio(t.db, null, date).items;
		expect(after.find((i) => i.id === item.id)!.title).toBe('改过的任务名称');
		expect(after).toEqual(fresh(null, date));
		// A view of the past is final: the write did not discard it, and it still equals a fresh computation.
		expect(evaluatedPortfolio(t.db, endOfSuzhouDay(yearAgo), yearAgo)).toBe(past);
		expect(past.items).toEqual(fresh(endOfSuzhouDay(yearAgo), yearAgo));
	});

	it('evaluates items from the latest counted months as from every report the rule counts in the history', () => {
		for (const day of ['2025-06-30', '2026-03-15', '2026-11-26']) {
			const instant = endOfSuzhouDay(day);
			const every = rowsAsOf(t.db, progressReport, instant)
				.filter((r) => countsAsReported(r, day))
				.map((r) => ({ initiativeId: r.initiativeId, month: r.month }));
			expect(every.length, day).toBeGreaterThan(10);
			const portfolio = loadPortfolio(t.db, instant, day);
			expect(portfolio.countedReports.length, day).toBeLessThan(every.length);
			expect(evaluatePortfolio(portfolio, day), day).toEqual(evaluatePortfolio({ ...portfolio, countedReports: every }, day));
		}
		const today = suzhouToday(FIXED_NOW);
		const live = t.db
			.select({ initiativeId: progressReport.initiativeId, month: progressReport.month, status: progressReport.status })
			.from(progressReport)
			.all()
			.filter((r) => countsAsReported(r, today));
		const now = loadPortfolio(t.db, null, today);
		expect(now.countedReports.length).toBeLessThan(live.length);
		expect(evaluatePortfolio(now, today)).toEqual(evaluatePortfolio({ ...now, countedReports: live }, today));
	});

	it("gives the lights alone as the items' evaluation gives them (what a month's summary compares with)", () => {
		const today = suzhouToday(FIXED_NOW);
		for (const [instant, day] of [
			[endOfSuzhouDay('2025-06-30'), '2025-06-30'],
			[endOfSuzhouDay('2026-03-31'), '2026-03-31'],
			[null, today]
		] as const) {
			const portfolio = loadPortfolio(t.db, instant, day);
			const lights = new Map(evaluatePortfolio(portfolio, day).map((i) => [i.id, i.light]));
			expect(new Set(lights.values()).size, day).toBeGreaterThan(1);
			expect(lightsOf(portfolio, day), day).toEqual(lights);
		}
	});

	it("keeps the month before's lights that a summary compares with, across writes", () => {
		const view = { instant: endOfSuzhouDay('2026-11-20'), date: '2026-11-20' };
		const earlier = { instant: endOfSuzhouDay('2026-10-31'), date: '2026-10-31' };
		const lights = portfolioAndEarlier(t.db, view, earlier).earlierLights;
		const item = t.db.select().from(initiative).get()!;
		updateTracked(t.db, initiative, item.id, { leader: '另一位领导' }, { at: FIXED_NOW.toISOString(), actorId: null, actorLabel: 'test' });
		expect(portfolioAndEarlier(t.db, view, earlier).earlierLights).toBe(lights);
		expect(lights).toEqual(new Map(evaluatedPortfolio(t.db, earlier.instant, earlier.date).items.map((i) => [i.id, i.light])));
	});

	it("rebuilds a month's reports from their own history as from the whole history", () => {
		const instant = endOfSuzhouDay('2026-06-30');
		const whole = rowsAsOf(t.db, progressReport, instant).filter((r) => r.month === '2026-06');
		const own = monthReportsAsOf(t.db, '2026-06', instant);
		expect(own.length).toBeGreaterThan(10);
		expect(own).toEqual(whole);
	});

	it("takes a month's reports' statuses from its reports kept whole, as its history gives them", () => {
		const instants = [endOfSuzhouDay('2026-06-15'), endOfSuzhouDay('2026-06-30')];
		const kept = monthReportsAsOf(t.db, '2026-06', instants[1]); // kept: the instant is final
		const statuses = monthReportStatusesAsOfEach(t.db, '2026-06', instants);
		expect(statuses[1]).toBe(kept);
		const fields = ['initiativeId', 'month', 'status'] as const;
		const history = instants.map((instant) => rowsAsOf(t.db, progressReport, instant).filter((r) => r.month === '2026-06'));
		expect(statuses.map((rows) => picked(rows, [...fields]))).toEqual(history.map((rows) => picked(rows, [...fields])));
		expect(new Set(statuses[1].map((r) => r.status)).size).toBeGreaterThan(1);
	});

	it('refuses a database that holds data already', () => {
		expect(() => generateSynthetic(t.db, size, FIXED_NOW)).toThrow(/empty database/);
	});
});

describe("按时报送: one rule for a unit's page and the month's summary", () => {
	let t: TempDb;
	let resent: typeof progressReport.$inferSelect;
	const today = suzhouToday(FIXED_NOW);
	beforeAll(() => {
		t = tempDatabase();
		generateSynthetic(t.db, size, FIXED_NOW);
		// The due day changed twice in the window (back-dated here, as the generator writes its history):
		// each month is judged by the day in force at its end.
		const admin = { actorId: null, actorLabel: 'test' };
		putSetting(t.db, 'reportDueDay', 10, { ...admin, at: '2026-03-20T02:00:00.000Z' });
		putSetting(t.db, 'reportDueDay', 20, { ...admin, at: '2026-08-05T02:00:00.000Z' });
		// A report sent on time, returned by the office after the due day and sent again later: on time.
		resent = t.db
			.select()
			.from(progressReport)
			.all()
			.find((r) => r.month === '2026-09' && r.status === 'approved' && r.submittedAt !== null && r.submittedAt < '2026-09-20')!;
		updateTracked(t.db, progressReport, resent.id, { status: 'returned' }, { ...admin, at: '2026-09-22T02:00:00.000Z' });
		updateTracked(
			t.db,
			progressReport,
			resent.id,
			{ status: 'submitted', submittedAt: '2026-09-24T02:00:00.000Z' },
			{ ...admin, at: '2026-09-24T02:00:00.000Z' }
		);
		updateTracked(t.db, progressReport, resent.id, { status: 'approved' }, { ...admin, at: '2026-09-25T02:00:00.000Z' });
	}, 60_000);
	afterAll(() => t.close());

	/** The rule read the long way: every item and setting as of each month's end, first sendings from the whole history. */
	let firstSent: Map<string, string> | null = null;
	const asOfEnd = new Map<string, { items: (typeof initiative.$inferSelect)[]; dueDay: number }>();
	function reference(ids: Set<number> | null, months: string[], instant: string | null) {
		if (!firstSent) {
			firstSent = new Map();
			for (const change of t.db
				.select()
				.from(changeLog)
				.where(eq(changeLog.entity, 'progress_report'))
				.orderBy(changeLog.at, changeLog.id)
				.all()) {
				const after = change.after as { initiativeId: number; month: string; status: string } | null;
				const key = after && `${after.initiativeId}:${after.month}`;
				if (key && (sentStatuses as readonly string[]).includes(after.status) && !firstSent.has(key)) firstSent.set(key, change.at);
			}
		}
		const byUnit = new Map<number | null, { due: number; onTime: number }>();
		for (const month of months) {
			const monthEnd = endOfSuzhouDay(lastDayOf(month));
			const end = instant !== null && instant < monthEnd ? instant : monthEnd;
			if (!asOfEnd.has(end)) asOfEnd.set(end, { items: rowsAsOf(t.db, initiative, end), dueDay: readRuleSettings(t.db, end).reportDueDay });
			const { items, dueDay } = asOfEnd.get(end)!;
			const deadline = endOfSuzhouDay(reportDueOn(month, dueDay));
			for (const item of items) {
				if (ids && !ids.has(item.id)) continue;
				const last = lastDayOf(month);
				if (item.status !== 'active' || (item.startOn && item.startOn > last) || (item.completedOn && item.completedOn <= last)) continue;
				const counts = byUnit.get(item.leadUnitId) ?? { due: 0, onTime: 0 };
				counts.due++;
				const first = firstSent.get(`${item.id}:${month}`);
				if (first && first <= deadline) counts.onTime++;
				byUnit.set(item.leadUnitId, counts);
			}
		}
		return byUnit;
	}
	const total = (counts: Map<number | null, { due: number; onTime: number }>) =>
		[...counts.values()].reduce((a, b) => ({ due: a.due + b.due, onTime: a.onTime + b.onTime }), { due: 0, onTime: 0 });

	it("counts a unit's page's twelve months as the rule read from the whole history does", () => {
		let compared = 0;
		for (const day of ['2025-09-30', '2026-06-15', '2026-09-03', today]) {
			const instant = day === today ? null : endOfSuzhouDay(day);
			const last = lastDueMonth(day, readRuleSettings(t.db, instant).reportDueDay);
			const months = monthsFrom(addMonthsToMonth(last, -11), last);
			for (const u of t.db.select().from(unit).all()) {
				// Each month owed by the unit that led the item at its end (the random writes move items between units).
				const counted = reportsOnTime(t.db, u.id, day, instant);
				expect(counted, `${u.name} ${day}`).toEqual(reference(null, months, instant).get(u.id) ?? { due: 0, onTime: 0 });
				compared += counted.onTime;
			}
		}
		expect(compared).toBeGreaterThan(50);
	});

	it("counts the month's summary's units as the same rule does, under the due day then, a late second sending on time", () => {
		const now = t.db.select().from(progressReport).where(eq(progressReport.id, resent.id)).get()!;
		expect(now.submittedAt! > dueBy('2026-09', 20)).toBe(true);
		expect(sentOnTime(t.db, [now], () => dueBy('2026-09', 20)).has(now.id)).toBe(true);
		let onTime = 0;
		// February under the 25th, June under the 10th (nothing sent by then), September under the 20th.
		for (const month of ['2026-02', '2026-06', '2026-09']) {
			const summary = monthlySummary(t.db, month, today);
			const counts = reference(null, [month], null);
			const names = new Map(rowsAsOf(t.db, unit, endOfSuzhouDay(lastDayOf(month))).map((u) => [u.id, u.name]));
			const expected = [...counts].filter(([id]) => id !== null).map(([id, c]) => ({ unit: names.get(id!), due: c.due, onTime: c.onTime }));
			expect(
				summary.units
					.filter((u) => u.due > 0)
					.map((u) => ({ unit: u.unit, due: u.due, onTime: u.onTime }))
					.sort((a, b) => a.unit.localeCompare(b.unit)),
				month
			).toEqual(expected.sort((a, b) => a.unit!.localeCompare(b.unit!)));
			onTime += total(counts).onTime;
		}
		expect(onTime).toBeGreaterThan(0);
	});
});
