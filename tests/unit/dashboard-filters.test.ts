import { describe, expect, it } from 'vitest';
import { filterQuery, parseFilters } from '$lib/dashboard-filters';

const TODAY = '2026-11-30';
const parsed = (query: string) => parseFilters(new URLSearchParams(query), TODAY);

describe("the dashboard's filters in the address", () => {
	it('reads each filter, and writes the same address back', () => {
		const { filters, problems } = parsed('theme=YRD&unit=3&light=red&pace=behind&leader=市长');
		expect(problems).toEqual([]);
		expect(filters).toMatchObject({ theme: 'YRD', unit: 3, light: 'red', pace: 'behind', leader: '市长', asOf: null });
		expect(parsed(filterQuery(filters).slice(1)).filters).toEqual(filters);
	});

	it('drops a value it does not know and says so, never guessing', () => {
		const { filters, problems } = parsed('unit=abc&light=purple&pace=fast');
		expect(filters).toMatchObject({ unit: null, light: null, pace: null });
		expect(problems).toHaveLength(3);
	});

	it('says so when a filter is given twice, rather than silently using one of them', () => {
		const { filters, problems } = parsed('unit=1&unit=2');
		expect(filters.unit).toBe(1);
		expect(problems).toEqual(['同一筛选条件给了多个值，只按第一个筛选。']);
	});
});
