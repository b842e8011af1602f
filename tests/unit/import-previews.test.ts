import { describe, expect, it } from 'vitest';
import { appliedCount, forgetPreview, keepPreview, previewedRows } from '$lib/server/monthly/import-previews';
import type { ImportRow } from '$lib/server/monthly/import';

const row = (code: string, progress = '进展'): ImportRow => ({
	line: 4,
	code,
	progress,
	problems: '',
	nextSteps: '',
	completions: [],
	evidence: '',
	seenVersion: null
});

describe('previews kept for their confirmation', () => {
	it('gives the rows back only to who previewed them, for that month, until confirmed or lapsed', () => {
		const now = Date.parse('2026-11-30T08:00:00Z');
		const key = keepPreview(7, '2026-11', '台账.xlsx', [row('YRD-01')], now);
		expect(previewedRows(key, 8, '2026-11', now)).toBeNull();
		expect(previewedRows(key, 7, '2026-10', now)).toBeNull();
		expect(previewedRows('x'.repeat(24), 7, '2026-11', now)).toBeNull();
		expect(previewedRows(key, 7, '2026-11', now + 60_000)).toEqual({ fileName: '台账.xlsx', rows: [row('YRD-01')] });
		forgetPreview(key, 7, '2026-11', 1, now + 60_000);
		expect(previewedRows(key, 7, '2026-11', now + 60_000)).toBeNull();
		// Confirmed again: what the first confirmation imported is known, to its maker only.
		expect(appliedCount(key, 7, '2026-11')).toBe(1);
		expect(appliedCount(key, 8, '2026-11')).toBeNull();
		expect(appliedCount('x'.repeat(24), 7, '2026-11')).toBeNull();

		const late = keepPreview(7, '2026-11', '台账.xlsx', [row('YRD-02')], now);
		expect(previewedRows(late, 7, '2026-11', now + 2 * 3600_000 + 1)).toBeNull();
	});

	it('lets the oldest go past its bound of characters, never the one just made', () => {
		const now = Date.parse('2026-11-30T08:00:00Z');
		const big = (code: string) => Array.from({ length: 10 }, () => row(code, '进'.repeat(1_000_000)));
		const keys = Array.from({ length: 6 }, (_, k) => keepPreview(1, '2026-11', `${k}.xlsx`, big(`YRD-0${k}`), now + k));
		expect(previewedRows(keys[0], 1, '2026-11', now + 10)).toBeNull();
		expect(previewedRows(keys[5], 1, '2026-11', now + 10)?.fileName).toBe('5.xlsx');
		for (const key of keys) forgetPreview(key, 1, '2026-11', 10);
	});
});
