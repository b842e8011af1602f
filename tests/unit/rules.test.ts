import { describe, expect, it } from 'vitest';
import { evaluate } from '$lib/evaluation';
import { consecutiveMissedReports, deadlineLight, lightOf, lightReasons, paceLight, worstLight } from '$lib/lights';
import { lastDueMonth } from '$lib/reporting-calendar';
import { actualProgress, expectedProgress, paceOf, wholePercents, type MilestoneFacts } from '$lib/progress';
import { defaultRuleSettings as settings } from '$lib/settings';

const plan: MilestoneFacts[] = [
	{ dueOn: '2026-03-31', weight: 20, completedOn: '2026-03-20' },
	{ dueOn: '2026-06-30', weight: 30, completedOn: null },
	{ dueOn: '2026-12-31', weight: 50, completedOn: null }
];
const active = { status: 'active' as const, completedOn: null };

describe('expected and actual progress', () => {
	it.each([
		['2026-01-01', 0, 0],
		['2026-03-31', 0.2, 0.2],
		['2026-07-01', 0.5, 0.2],
		['2027-01-01', 1, 0.2]
	])('on %s: expected %d, actual %d', (date, expected, actual) => {
		expect(expectedProgress(plan, date)).toBeCloseTo(expected);
		expect(actualProgress(plan, date)).toBeCloseTo(actual);
	});
	it('is zero without milestones', () => {
		expect(expectedProgress([], '2026-01-01')).toBe(0);
		expect(actualProgress([], '2026-01-01')).toBe(0);
	});
});

describe('the whole percents of a breakdown', () => {
	it('sum to 100, the leftover points going to the largest remainders, and are all zero with nothing counted', () => {
		// Rounded one by one: 13 + 20 + 33 + 35 = 101 (the demo's paces in a 通报).
		expect(wholePercents([5, 8, 13, 14, 0])).toEqual([13, 20, 32, 35, 0]);
		expect(wholePercents([1, 1, 1])).toEqual([34, 33, 33]);
		expect(wholePercents([26, 0, 14])).toEqual([65, 0, 35]);
		expect(wholePercents([0, 0])).toEqual([0, 0]);
		for (let run = 0; run < 200; run++) {
			const counts = Array.from({ length: 1 + (run % 6) }, (_, k) => (run * 7919 + k * 104729) % 97);
			const percents = wholePercents(counts);
			const total = counts.reduce((a, b) => a + b, 0);
			expect(percents.reduce((a, b) => a + b, 0)).toBe(total ? 100 : 0);
			// Each within a point of its exact share.
			counts.forEach((n, k) => expect(Math.abs(percents[k] - (total ? (100 * n) / total : 0))).toBeLessThan(1));
		}
	});
});

describe('paceOf', () => {
	const done = { status: 'completed' as const, completedOn: '2026-08-01' };
	const early: MilestoneFacts[] = [
		{ dueOn: '2026-03-31', weight: 1, completedOn: '2026-02-01' },
		{ dueOn: '2026-06-30', weight: 2, completedOn: '2026-03-01' }
	];
	it.each([
		['not started before anything is due or done', active, plan, '2026-01-01', 'not_started'],
		['on pace when actual equals expected', active, plan, '2026-04-01', 'on_pace'],
		['behind when a due milestone is open', active, plan, '2026-07-01', 'behind'],
		['ahead when more is done than due', active, early, '2026-04-01', 'ahead'],
		['on pace with thirds that sum exactly', active, early, '2026-07-01', 'on_pace'],
		['done from the closing date on', done, plan, '2026-08-01', 'done'],
		['not done before the closing date', done, plan, '2026-07-31', 'behind']
	] as const)('%s', (_, item, milestones, date, pace) => {
		expect(paceOf(item, [...milestones], date)).toBe(pace);
	});
});

describe('lights', () => {
	it.each([
		[['2026-12-31'], '2026-12-01', 'green'],
		[['2026-12-04'], '2026-12-01', 'yellow'],
		[['2026-12-01'], '2026-12-01', 'yellow'],
		[['2026-11-30'], '2026-12-01', 'red'],
		[['2026-12-31', '2026-11-30'], '2026-12-01', 'red'],
		[[], '2026-12-01', 'green']
	])('deadline rule %j on %s → %s', (dues, date, light) => {
		expect(deadlineLight(dues, date, settings)).toBe(light);
	});

	const behindBy = (points: number): MilestoneFacts[] => [
		{ dueOn: '2026-01-01', weight: points, completedOn: null },
		{ dueOn: '2027-01-01', weight: 100 - points, completedOn: null }
	];
	it.each([
		[0, 'green'],
		[9, 'green'],
		[10, 'yellow'],
		[30, 'yellow'],
		[31, 'red']
	])('pace rule %d points behind → %s', (points, light) => {
		expect(paceLight(behindBy(points), '2026-06-01', settings)).toBe(light);
	});

	it('counts the month of the due day only once it has passed', () => {
		expect(lastDueMonth('2026-11-25', 25)).toBe('2026-10');
		expect(lastDueMonth('2026-11-26', 25)).toBe('2026-11');
		expect(lastDueMonth('2026-01-10', 25)).toBe('2025-12');
	});

	it('counts missed reports back to the first reported month', () => {
		const reported = new Set(['2026-07', '2026-08']);
		expect(consecutiveMissedReports(reported, '2026-01', '2026-09-20', 25)).toBe(0);
		expect(consecutiveMissedReports(reported, '2026-01', '2026-09-26', 25)).toBe(1);
		expect(consecutiveMissedReports(reported, '2026-01', '2026-10-26', 25)).toBe(2);
		expect(consecutiveMissedReports(new Set(), '2026-10', '2026-10-26', 25)).toBe(1);
	});

	it('takes the worst light', () => {
		expect(worstLight('green', 'yellow', 'green')).toBe('yellow');
		expect(worstLight('yellow', 'red')).toBe('red');
		expect(worstLight()).toBe('green');
	});

	it('evaluates an item: overdue milestone and two missed reports make red', () => {
		const input = {
			item: { ...active, startOn: '2026-01-01', dueOn: '2026-12-31' },
			milestones: plan,
			reportedMonths: new Set(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05'])
		};
		expect(evaluate(input, '2026-04-10', settings)).toEqual({ actual: 0.2, expected: 0.2, pace: 'on_pace', light: 'green' });
		expect(evaluate(input, '2026-07-26', settings).light).toBe('red');
	});

	it('owes no reports before the item has a start date', () => {
		const input = { item: { ...active, startOn: null, dueOn: null }, milestones: [], reportedMonths: new Set<string>() };
		expect(evaluate(input, '2026-11-27', settings)).toEqual({ actual: 0, expected: 0, pace: 'not_started', light: 'green' });
		const started = { ...input, item: { ...input.item, startOn: '2026-09-01' } };
		expect(evaluate(started, '2026-11-27', settings).light).toBe('red');
	});

	it('shows green once the item is closed', () => {
		const input = {
			item: { status: 'completed' as const, completedOn: '2026-08-01', startOn: '2026-01-01', dueOn: '2026-12-31' },
			milestones: plan,
			reportedMonths: new Set<string>()
		};
		expect(evaluate(input, '2026-09-01', settings).light).toBe('green');
	});
});

describe('the light says why', () => {
	const item = { status: 'active' as const, completedOn: null, dueOn: '2027-12-31', startOn: '2026-01-01' };
	const milestones = [
		{ title: '完成可研批复', dueOn: '2026-06-30', weight: 50, completedOn: null },
		{ title: '开工建设', dueOn: '2026-11-29', weight: 50, completedOn: null }
	];
	const reported = new Set(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09']);

	it('names each rule that gives yellow or red, with the milestone or the months, worst first', () => {
		const input = { item, milestones, reportedMonths: reported };
		const reasons = lightReasons(input, '2026-11-27', settings);
		expect(lightOf(input, '2026-11-27', settings)).toBe('red');
		expect(reasons[0]).toMatchObject({ light: 'red' });
		const text = reasons.map((r) => `${r.light}:${r.text}`);
		expect(text).toContainEqual(expect.stringMatching(/^red:“完成可研批复”应于.*已逾期 150 天$/));
		expect(text).toContainEqual(expect.stringMatching(/^yellow:“开工建设”将于.*还剩 2 天$/));
		expect(text).toContainEqual(expect.stringMatching(/^red:实际进度落后序时进度 50 个百分点/));
		expect(text).toContainEqual(expect.stringMatching(/^red:连续 2 个月未报送月度进展/));
	});

	it('says nothing for a green light', () => {
		const done = milestones.map((ms) => ({ ...ms, completedOn: ms.dueOn < '2026-11-27' ? ms.dueOn : null }));
		const input = { item, milestones: [done[0]], reportedMonths: new Set([...reported, '2026-10', '2026-11']) };
		expect(lightOf(input, '2026-11-27', settings)).toBe('green');
		expect(lightReasons(input, '2026-11-27', settings)).toEqual([]);
	});
});
