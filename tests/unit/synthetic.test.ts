/**
 * The synthetic dataset for benchmarks: the requested size, every generated item with its
 * milestones and reports, every unit staffed, the history consistent with the tables, and the same
 * data on every run for the same day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthReportsAsOf, monthReportStatusesAsOfEach, rowsAsOf } from '$lib/server/as-of';
import { generateSynthetic } from '$lib/server/demo/synthetic';
import { changeLog, initiative, initiativeCoUnit, milestone, progressReport, unit, user } from '$lib/server/db/schema';
import { trackedTables, updateTracked } from '$lib/server/history';
import { evaluatedPortfolio, evaluatePortfolio, loadPortfolio, portfolioAndEarlier } from '$lib/server/portfolio';
import { lightsOf } from '$lib/server/portfolio/evaluate';
import { addMonthsToMonth, endOfSuzhouDay, monthOf, monthsFrom, suzhouToday } from '$lib/dates';
import { reportsOnTime } from '$lib/server/dashboard';
import { readRuleSettings } from '$lib/server/rule-settings';
import { eq } from 'drizzle-orm';
import { countsAsReported, lastDueMonth, reportDueOn } from '$lib/reporting-calendar';
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

	it("counts a unit's reports on time from its own reports' histories as from the whole history", () => {
		// The rule read from every report's history of the city, as the unit page once did.
		const firstSubmitted = new Map<string, string>();
		for (const change of t.db.select().from(changeLog).where(eq(changeLog.entity, 'progress_report')).orderBy(changeLog.at).all()) {
			const after = change.after as { initiativeId: number; month: string; status: string } | null;
			const key = after && `${after.initiativeId}:${after.month}`;
			if (key && after.status === 'submitted' && !firstSubmitted.has(key)) firstSubmitted.set(key, change.at);
		}
		const reference = (items: { id: number; startOn: string | null }[], date: string, dueDay: number) => {
			const last = lastDueMonth(date, dueDay);
			let due = 0;
			let onTime = 0;
			for (const item of items)
				for (const month of monthsFrom(addMonthsToMonth(last, -11), last)) {
					if (item.startOn && monthOf(item.startOn) > month) continue;
					due++;
					const first = firstSubmitted.get(`${item.id}:${month}`);
					if (first && first <= endOfSuzhouDay(reportDueOn(month, dueDay))) onTime++;
				}
			return { due, onTime };
		};
		const units = t.db.select().from(unit).all();
		let compared = 0;
		for (const day of ['2025-09-30', '2026-06-15', suzhouToday(FIXED_NOW)])
			for (const u of units) {
				const led = evaluatedPortfolio(t.db, endOfSuzhouDay(day), day).items.filter((i) => i.leadUnitId === u.id);
				const dueDay = readRuleSettings(t.db).reportDueDay;
				const counted = reportsOnTime(t.db, led, day, dueDay);
				expect(counted, `${u.name} ${day}`).toEqual(reference(led, day, dueDay));
				compared += counted.onTime;
			}
		expect(compared).toBeGreaterThan(50);
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
