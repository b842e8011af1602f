import { describe, expect, it } from 'vitest';
import { locateQuote, paragraphSpans, segmentText } from '$lib/source-text';

describe('locateQuote', () => {
	const body = '要加快推进“沪苏同城化”,深度参与虹桥枢纽。再说一次虹桥枢纽。';
	it('finds a verbatim quote', () => {
		expect(locateQuote(body, '加快推进“沪苏同城化”')).toEqual({ ok: true, span: { start: 1, end: 12 } });
	});
	it('refuses a quote that is not there, however close', () => {
		expect(locateQuote(body, '加快推进"沪苏同城化"')).toEqual({ ok: false, reason: 'missing' });
		expect(locateQuote(body, '')).toEqual({ ok: false, reason: 'missing' });
	});
	it('refuses a quote that stands twice', () => {
		expect(locateQuote(body, '虹桥枢纽')).toEqual({ ok: false, reason: 'ambiguous' });
	});
});

describe('segmentText', () => {
	it('cuts a paragraph into marked and unmarked text that joins back to the original', () => {
		const body = 'abcdefghij';
		const marks = [
			{ start: 2, end: 4, code: 'A' },
			{ start: 6, end: 7, code: 'B' }
		];
		const segments = segmentText(body, marks);
		expect(segments.map((s) => [s.text, s.mark?.code ?? null])).toEqual([
			['ab', null],
			['cd', 'A'],
			['ef', null],
			['g', 'B'],
			['hij', null]
		]);
		expect(segments.map((s) => s.text).join('')).toBe(body);
	});
	it('keeps to the paragraph it is given', () => {
		const body = 'one\ntwo three\n\nfour';
		const spans = paragraphSpans(body);
		expect(spans.map((s) => body.slice(s.start, s.end))).toEqual(['one', 'two three', 'four']);
		const second = segmentText(body, [{ start: 8, end: 13 }], spans[1].start, spans[1].end);
		expect(second.map((s) => s.text)).toEqual(['two ', 'three']);
	});
});
