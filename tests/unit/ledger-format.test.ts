import { describe, expect, it } from 'vitest';
import { formatDate } from '$lib/dates';
import { measureLine } from '$lib/measure-lines';
import { looksLikeMetLine, readLedgerDate, readLedgerMonth, readMetLine } from '$lib/server/monthly/ledger-format';

const metLine = (title: string, on: string) => measureLine({ met: true, title, on });
const nextLine = (title: string, on: string) => measureLine({ met: false, title, on });

describe('the ledger’s milestone lines', () => {
	it('reads back what the export writes', () => {
		expect(readMetLine(metLine('完成可研批复', '2026-11-20'))).toEqual({ title: '完成可研批复', date: '2026-11-20' });
		// A line copied from the Word 月报 or the page, whose dates are written as prose writes them, reads the same.
		const asDocumentWritesIt = measureLine({ met: true, title: '完成可研批复', on: '2026-11-20' }, (d) => formatDate(d, 'zh-CN'));
		expect(asDocumentWritesIt).toBe('✓ 完成可研批复（2026年11月20日）');
		expect(readMetLine(asDocumentWritesIt)).toEqual({ title: '完成可研批复', date: '2026-11-20' });
	});

	it.each([
		['√完成可研批复（2026-11-20）', '完成可研批复', '2026-11-20'],
		['✔ 完成可研批复 (2026/11/20)', '完成可研批复', '2026-11-20'],
		['☑完成可研批复（２０２６年１１月２０日）', '完成可研批复', '2026-11-20'],
		['✓ 完成可研批复(2026年11月2日)', '完成可研批复', '2026-11-02'],
		['✓ 完成（一期）工程（2026.11.20）', '完成（一期）工程', '2026-11-20']
	])('reads the ticks, brackets and dates people type: %s', (line, title, date) => {
		expect(looksLikeMetLine(line)).toBe(true);
		expect(readMetLine(line)).toEqual({ title, date });
	});

	it.each(['✓ 完成可研批复', '✓ 完成可研批复（2026-02-30）', '√（2026-11-20）', '✓ 完成可研批复（下月）'])(
		'a ticked line it cannot read is not taken for something else: %s',
		(line) => {
			expect(looksLikeMetLine(line)).toBe(true);
			expect(readMetLine(line)).toBeNull();
		}
	);

	it.each([
		['2026-11', '2026-11'],
		['2026年11月', '2026-11'],
		['２０２６年１１月', '2026-11'],
		['2026/1', '2026-01'],
		['2026-13', null],
		['十一月', null]
	])('reads the month column as people write it: %s', (text, month) => {
		expect(readLedgerMonth(text)).toBe(month);
	});

	it('reads a line of any length in one pass: a cell of spaces between words is no pattern to backtrack over', () => {
		// `✓ (.+?)\s*（…）` took seconds at 4,000 characters and minutes at 20,000, the longest cell there is.
		const spaced = `✓${' '.repeat(9_000)}a${' '.repeat(9_000)}b`;
		expect(readMetLine(spaced)).toBeNull();
		expect(readMetLine(`${spaced}（2026-11-20）`)).toEqual({ title: `a${' '.repeat(9_000)}b`, date: '2026-11-20' });
		expect(readMetLine('✓ 中日（苏州）合作区揭牌（2026-11-20）')).toEqual({ title: '中日（苏州）合作区揭牌', date: '2026-11-20' });
		expect(readMetLine('✓（2026-11-20）')).toBeNull();
	});

	it('leaves lines that are not ticks alone', () => {
		expect(looksLikeMetLine('→ 下一节点（2026-12-31）')).toBe(false);
		// The export's line of the next milestone, whose title holds a tick, is still not a milestone met
		// (it made every unit's ledger of the month fail to import).
		expect(looksLikeMetLine(nextLine('第三方评估√通过', '2026-12-05'))).toBe(false);
		expect(looksLikeMetLine(`2. ${nextLine('验收✓', '2026-12-05')}`)).toBe(false);
		expect(readMetLine(metLine('第三方评估√通过', '2026-11-20'))).toEqual({ title: '第三方评估√通过', date: '2026-11-20' });
		expect(readLedgerDate('2026-13-01')).toBeNull();
	});
});
