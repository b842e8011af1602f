import { describe, expect, it } from 'vitest';
import { quoted } from '$lib/chinese-quotes';

describe('a text quoted in a Chinese document', () => {
	it('is in double quotes, with the double quotes inside it made single', () => {
		expect(quoted('OPN-02 推进“一带一路”交汇点建设')).toBe('“OPN-02 推进‘一带一路’交汇点建设”');
		expect(quoted('打造长三角重要中心城市')).toBe('“打造长三角重要中心城市”');
		expect(quoted('')).toBe('“”');
	});
});
