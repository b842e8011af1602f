/**
 * Chinese word segmentation with jieba (@node-rs/jieba: the Rust port, with its dictionary in the
 * package; offline, no model to download), taught the unit names so that 市应急管理局 stays one word.
 * One instance for the process: loading the dictionary takes ~0.2 s.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

let jieba: Jieba | null = null;
const taught = new Set<string>();

export function segmenter(words: Iterable<string> = []): Jieba {
	jieba ??= Jieba.withDict(dict);
	const fresh = [...words].filter((w) => !taught.has(w) && !/\s/.test(w));
	if (fresh.length) {
		// A user dictionary line: word, frequency (high: kept whole), part of speech (nt: organisation).
		jieba.loadDict(Buffer.from(fresh.map((w) => `${w} 200000 nt`).join('\n')));
		for (const w of fresh) taught.add(w);
	}
	return jieba;
}

const STOP = new Set([
	'进一步',
	'加快',
	'推进',
	'推动',
	'全面',
	'持续',
	'不断',
	'深入',
	'积极',
	'工作',
	'有关',
	'相关',
	'按照',
	'要求',
	'完成',
	'确保',
	'力争',
	'全市',
	'我市',
	'各地',
	'各级'
]);

/** The content words of a text: two characters or more, not a function word nor a date. */
export function contentWords(text: string, seg: Jieba = segmenter()): Set<string> {
	const words = new Set<string>();
	for (const w of seg.cut(text, false)) {
		if (w.length >= 2 && /[\u4e00-\u9fa5A-Za-z]/.test(w) && !STOP.has(w) && !/[年月日]$/.test(w)) words.add(w);
	}
	return words;
}

/** Shared words over all words (Jaccard), 0 for two empty sets. */
export function overlap(a: Set<string>, b: Set<string>): number {
	let shared = 0;
	for (const w of a) if (b.has(w)) shared += 1;
	const all = a.size + b.size - shared;
	return all === 0 ? 0 : shared / all;
}
