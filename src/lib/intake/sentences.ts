/**
 * A source's text cut into sentences and clauses, as spans of the stored text (offsets stay valid
 * against it: nothing is rewritten). A sentence ends at 。！？； or a line break; an enumerated
 * heading ((一) 一、 1. ① 一是) opening a sentence is kept apart from the quote; a clause ends at a
 * comma or a colon, full-width or not (the lecture uses ASCII commas).
 */
import type { Span } from '$lib/source-text';

export type Sentence = Span & {
	/** The enumeration mark that opened it (（一）, 1., 一是), or null. */
	marker: string | null;
	/** The line is a row of a table (cells separated by tabs). */
	row: boolean;
};

const SENTENCE_END = /[。！？!?；;\n]/g;
const MARKER =
	/^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,3}[、.．)）](?!\d)|[①-⑳]|[一二三四五六七八九十]是)\s*/;
const TRIM_START = /^[\s\u3000，,、：:]+/;
const TRIM_END = /[\s\u3000，,、：:。！？!?；;]+$/;

/** `span` without the spaces and punctuation at its ends (null when nothing is left). */
export function trimmed(body: string, start: number, end: number): Span | null {
	const text = body.slice(start, end);
	const head = TRIM_START.exec(text)?.[0].length ?? 0;
	const tail = TRIM_END.exec(text.slice(head))?.[0].length ?? 0;
	const s = start + head;
	const e = end - tail;
	return e > s ? { start: s, end: e } : null;
}

export function sentences(body: string): Sentence[] {
	const out: Sentence[] = [];
	let from = 0;
	const cut = (to: number) => {
		let span = trimmed(body, from, to);
		from = to + 1;
		if (!span) return;
		const row = body.slice(span.start, span.end).includes('\t');
		const marker = MARKER.exec(body.slice(span.start, span.end))?.[0] ?? null;
		if (marker) span = trimmed(body, span.start + marker.length, span.end);
		if (span) out.push({ ...span, marker: marker?.trim() ?? null, row });
	};
	SENTENCE_END.lastIndex = 0;
	for (let m = SENTENCE_END.exec(body); m; m = SENTENCE_END.exec(body)) {
		// A table row keeps its cells' punctuation: only its line break ends it.
		if (m[0] !== '\n' && lineOf(body, m.index).includes('\t')) continue;
		cut(m.index);
	}
	cut(body.length);
	return out;
}

function lineOf(body: string, at: number): string {
	const start = body.lastIndexOf('\n', at) + 1;
	const end = body.indexOf('\n', at);
	return body.slice(start, end < 0 ? body.length : end);
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
	for (let m = CLAUSE_END.exec(text); m; m = CLAUSE_END.exec(text)) {
		// A comma inside quotation marks or brackets does not end a clause.
		if (open(text.slice(0, m.index))) continue;
		push(m.index);
	}
	push(text.length);
	return out;
}

function open(text: string): boolean {
	let depth = 0;
	for (const ch of text) {
		if ('“（(《「'.includes(ch)) depth += 1;
		else if ('”）)》」'.includes(ch)) depth = Math.max(0, depth - 1);
	}
	return depth > 0;
}

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
