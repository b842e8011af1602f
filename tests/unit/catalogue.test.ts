import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogueError, readCatalogue } from '$lib/server/catalogue';

const dirs: string[] = [];
afterEach(() => {
	for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of the real catalogue with initiatives.json changed by `edit`. */
function editedCatalogue(edit: (items: Record<string, unknown>[]) => void): string {
	const dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
	dirs.push(dir);
	cpSync('drizzle/catalogue', dir, { recursive: true });
	const file = join(dir, 'initiatives.json');
	const items = JSON.parse(readFileSync(file, 'utf8'));
	edit(items);
	writeFileSync(file, JSON.stringify(items));
	return dir;
}

describe('the lecture catalogue', () => {
	const catalogue = readCatalogue();
	const body = catalogue.sources[0].body;

	it('tracks the items of paragraphs four and five, each with a verbatim quote', () => {
		expect(catalogue.initiatives.length).toBe(40);
		for (const item of catalogue.initiatives) {
			expect(body.slice(item.quoteSpan.start, item.quoteSpan.end)).toBe(item.quote);
		}
	});

	it('includes the four initiatives everyone quotes', () => {
		const quotes = catalogue.initiatives.map((i) => i.quote).join('|');
		for (const phrase of ['沪苏同城化', '氢能产业发展高地', '运河十景', '“苏州制造”品牌建设三年行动计划']) {
			expect(quotes).toContain(phrase);
		}
	});

	it('draws every quote from paragraphs four and five', () => {
		const paragraphs = body.split('\n');
		const fourth = body.indexOf(paragraphs[3]);
		const sixth = body.indexOf(paragraphs[5]);
		for (const item of catalogue.initiatives) {
			expect(item.quoteSpan.start).toBeGreaterThanOrEqual(fourth);
			expect(item.quoteSpan.end).toBeLessThanOrEqual(sixth);
		}
	});

	it('writes what it says of its sources and its items in Chinese punctuation (the source text stays as published)', () => {
		for (const src of catalogue.sources) {
			for (const text of [src.title, src.speaker]) expect(text).not.toMatch(/[\u4e00-\u9fff][,;:()]|[,;:()][\u4e00-\u9fff]/);
		}
		// The items' short titles are the office's, printed in every 公文 (a quote stays as the lecture has it).
		for (const item of catalogue.initiatives) expect(item.title, item.code).not.toMatch(/[,;:()]/);
	});

	it('orders themes: Yangtze-Delta first, the six cities, party building last', () => {
		expect(catalogue.themes.map((t) => t.name)).toEqual([
			'长三角一体化',
			'创新之城',
			'开放之城',
			'人文之城',
			'生态之城',
			'宜居之城',
			'善治之城',
			'党的建设'
		]);
	});
});

describe('a catalogue with mistakes', () => {
	it('refuses a quote that is not a verbatim substring, naming the item', () => {
		const dir = editedCatalogue((items) => {
			items[1].quote = '加快推进沪苏同城化';
		});
		expect(() => readCatalogue(dir)).toThrow(CatalogueError);
		expect(() => readCatalogue(dir)).toThrow(/YRD-02.*not a verbatim substring/);
	});

	it('refuses a quote that stands twice in the source', () => {
		const dir = editedCatalogue((items) => {
			items[0].quote = '虹桥国际开放枢纽';
		});
		expect(() => readCatalogue(dir)).toThrow(/YRD-01.*more than once/);
	});

	it('refuses overlapping quotes, a duplicate code and an unknown theme', () => {
		expect(() => readCatalogue(editedCatalogue((items) => void (items[1].quote = '打造长三角重要中心城市,加快推进')))).toThrow(
			/overlapping/
		);
		expect(() => readCatalogue(editedCatalogue((items) => void (items[1].code = 'YRD-01')))).toThrow(/YRD-01 appears twice/);
		expect(() => readCatalogue(editedCatalogue((items) => void (items[0].theme = 'XXX')))).toThrow(/unknown theme XXX/);
	});

	it('refuses a file that is not valid JSON, naming it', () => {
		const dir = editedCatalogue(() => {});
		writeFileSync(join(dir, 'themes.json'), '[{');
		expect(() => readCatalogue(dir)).toThrow(/themes\.json/);
	});
});
