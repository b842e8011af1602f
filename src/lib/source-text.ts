/**
 * Locating quotes in a source text, and cutting the text into what is quoted and what is not.
 * Offsets are JavaScript string indices (UTF-16 code units; one per character for Chinese text).
 */

export type Span = { start: number; end: number };

export type QuoteLocation = { ok: true; span: Span } | { ok: false; reason: 'missing' | 'ambiguous' };

/** Where `quote` stands in `body`; it must be there verbatim and exactly once. */
export function locateQuote(body: string, quote: string): QuoteLocation {
	if (quote.length === 0) return { ok: false, reason: 'missing' };
	const start = body.indexOf(quote);
	if (start < 0) return { ok: false, reason: 'missing' };
	if (body.indexOf(quote, start + 1) >= 0) return { ok: false, reason: 'ambiguous' };
	return { ok: true, span: { start, end: start + quote.length } };
}

export type Segment<T> = { text: string; start: number; mark: T | null };

/**
 * Cuts one paragraph of `body` (from `from` to `to`) into segments, each either inside one marked
 * span or outside all of them. Spans must not overlap.
 */
export function segmentText<T extends Span>(body: string, marks: T[], from = 0, to = body.length): Segment<T>[] {
	const inRange = marks.filter((m) => m.start < to && m.end > from).sort((a, b) => a.start - b.start);
	const segments: Segment<T>[] = [];
	let cursor = from;
	for (const mark of inRange) {
		const start = Math.max(mark.start, from);
		const end = Math.min(mark.end, to);
		if (start > cursor) segments.push({ text: body.slice(cursor, start), start: cursor, mark: null });
		segments.push({ text: body.slice(start, end), start, mark });
		cursor = end;
	}
	if (cursor < to) segments.push({ text: body.slice(cursor, to), start: cursor, mark: null });
	return segments;
}

/** The paragraphs of a text as spans (split on line breaks, blank lines dropped). */
export function paragraphSpans(body: string): Span[] {
	const spans: Span[] = [];
	let start = 0;
	for (const line of body.split('\n')) {
		const end = start + line.length;
		if (line.trim().length > 0) spans.push({ start, end });
		start = end + 1;
	}
	return spans;
}
