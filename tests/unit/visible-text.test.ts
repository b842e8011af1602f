/** A text someone sent, shown inside a sentence of ours, reads as what it is (`$lib/visible-text.ts`). */
import { describe, expect, it } from 'vitest';
import { quoted } from '$lib/chinese-quotes';
import { securityDetail } from '$lib/audit-labels';
import { ApiError } from '$lib/server/api/endpoints';
import { visibleControls } from '$lib/visible-text';

describe('characters that hide or reorder what follows them', () => {
	it('are written as their code point; line breaks, tabs and every other character stay as they are', () => {
		expect(visibleControls('报告\u202Efdp.exe.png')).toBe('报告[U+202E]fdp.exe.png');
		expect(visibleControls('a\u200Bb\uFEFFc\u2028d\u0007e\u2066f')).toBe('a[U+200B]b[U+FEFF]c[U+2028]d[U+0007]e[U+2066]f');
		expect(visibleControls('第一行\n\t第二行：“苏州”😀')).toBe('第一行\n\t第二行：“苏州”😀');
	});

	it('in a quoted cell of an import, a code named by the API, an address in the security log', () => {
		expect(quoted('YRD\u202E-01')).toBe('“YRD[U+202E]-01”');
		expect(new ApiError(404, 'not_found', `没有编号为 ${'\u202E'}10-DRY 的任务`).message).toBe('没有编号为 [U+202E]10-DRY 的任务');
		expect(securityDetail({ method: 'GET', path: '/reports/\u202E11-6202' })).toContain('GET /reports/[U+202E]11-6202');
	});
});
