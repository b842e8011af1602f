/**
 * A source's text cut into sentences and clauses, as spans of the stored text (offsets stay valid
 * against it: nothing is rewritten). A sentence ends at 。！？； or a line break, and at a colon that
 * opens an enumeration (“要抓好以下几项工作：一是……”: the lead-in is a sentence of its own, which
 * introduces the tasks and is none); an enumerated heading ((一) 一、 1. ① 一是) opening a sentence
 * is kept apart from the quote; a clause ends at a comma or a colon, full-width or not (the lecture
 * uses ASCII commas).
 */
import type { Span } from '$lib/source-text';

export type Sentence = Span & {
	/** The enumeration mark that opened it (（一）, 1., 一是), or null. */
	marker: string | null;
	/** The line is a row of a table (cells separated by tabs). */
	row: boolean;
	/** It ends in a colon before an enumeration: it introduces the tasks that follow. */
	leadIn: boolean;
};

const ENUMERATION =
	/(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,3}[、.．)）](?!\d)|[①-⑳]|[一二三四五六七八九十]是)/;
const MARKER = new RegExp(`^${ENUMERATION.source}\\s*`);
/** Where a sentence ends; a colon only where an enumeration follows it (after spaces or a line break). */
const SENTENCE_END = new RegExp(`[。！？!?；;\\n]|[：:](?=[\\s\\u3000]*${ENUMERATION.source})`, 'g');
const EDGE = new Set([...' \t\n\r\u3000，,、：:。！？!?；;']);
const START_EDGE = new Set([...' \t\n\r\u3000，,、：:']);

/** `span` without the spaces and punctuation at its ends (null when nothing is left); linear in its length. */
export function trimmed(body: string, start: number, end: number): Span | null {
	let s = start;
	let e = end;
	while (s < e && START_EDGE.has(body[s])) s++;
	while (e > s && EDGE.has(body[e - 1])) e--;
	return e > s ? { start: s, end: e } : null;
}

/** A row of a table: a line of three cells or more, separated by tabs (a tab after a number is indentation). */
function isRow(line: string): boolean {
	return line.split('\t').filter((cell) => cell.trim().length > 0).length >= 3;
}

export function sentences(body: string): Sentence[] {
	const out: Sentence[] = [];
	let from = 0;
	const cut = (to: number) => {
		let span = trimmed(body, from, to);
		from = to + 1;
		if (!span) return;
		const row = isRow(body.slice(span.start, span.end));
		const marker = MARKER.exec(body.slice(span.start, span.end))?.[0] ?? null;
		if (marker) span = trimmed(body, span.start + marker.length, span.end);
		// Cut at a colon, it opens an enumeration (SENTENCE_END takes no other colon).
		if (span) out.push({ ...span, marker: marker?.trim() ?? null, row, leadIn: body[to] === '：' || body[to] === ':' });
	};
	// Line by line: a table row keeps its cells' punctuation (only its line break ends it).
	let lineStart = 0;
	while (lineStart <= body.length) {
		const lineEnd = body.indexOf('\n', lineStart) < 0 ? body.length : body.indexOf('\n', lineStart);
		if (!isRow(body.slice(lineStart, lineEnd))) {
			SENTENCE_END.lastIndex = lineStart;
			for (let m = SENTENCE_END.exec(body); m && m.index < lineEnd; m = SENTENCE_END.exec(body)) cut(m.index);
		}
		cut(lineEnd);
		lineStart = lineEnd + 1;
	}
	return out;
}

const CLAUSE_END = /[，,：:]/g;

/** The clauses of a sentence (a sentence with no comma is one clause). */
export function clauses(body: string, sentence: Span): Span[] {
	const out: Span[] = [];
	const text = body.slice(sentence.start, sentence.end);
	let from = 0;
	CLAUSE_END.lastIndex = 0;
	const push = (to: number) => {
		const span = trimmed(body, sentence.start + from, sentence.start + to);
		if (span) out.push(span);
		from = to + 1;
	};
	// A comma inside quotation marks or brackets does not end a clause (the depth is kept as the text is read).
	let depth = 0;
	let read = 0;
	for (let m = CLAUSE_END.exec(text); m; m = CLAUSE_END.exec(text)) {
		for (; read < m.index; read++) {
			if (OPENING.has(text[read])) depth += 1;
			else if (CLOSING.has(text[read])) depth = Math.max(0, depth - 1);
		}
		if (depth === 0) push(m.index);
	}
	push(text.length);
	return out;
}

const OPENING = new Set([...'“（(《「']);
const CLOSING = new Set([...'”）)》」']);

/** The cells of a table row, as spans (tab-separated). */
export function cells(body: string, row: Span): Span[] {
	const out: Span[] = [];
	let from = row.start;
	for (let i = row.start; i <= row.end; i++) {
		if (i === row.end || body[i] === '\t') {
			out.push(trimmed(body, from, i) ?? { start: from, end: from });
			from = i + 1;
		}
	}
	return out;
}
