import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDate } from '$lib/dates';
import { doneMessage } from '$lib/done-message';
import { m } from '$lib/i18n';
import { lightLabels } from '$lib/lights';

const read = (locale: string) => JSON.parse(readFileSync(`messages/${locale}.json`, 'utf8')) as Record<string, string>;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((p) => p[1]).sort();

describe('the interface messages', () => {
	const zh = read('zh-CN');
	const en = read('en');

	it('exist in both languages with the same placeholders', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
		for (const key of Object.keys(zh)) expect(placeholders(en[key]), key).toEqual(placeholders(zh[key]));
	});

	it('leave no Chinese in English and no empty message', () => {
		for (const [key, text] of Object.entries(en)) {
			if (key === '$schema') continue;
			expect(text.trim(), key).not.toBe('');
			expect(text, key).not.toMatch(/[\u3400-\u9fff]/);
		}
	});

	it('answer in Chinese outside a request, where nothing chose another language (the CLI, the demo data)', () => {
		expect(m.nav_dashboard()).toBe('总览');
		expect(lightLabels.red).toBe('红灯');
		expect(formatDate('2026-11-27')).toBe('2026年11月27日');
		expect(m.nav_dashboard({}, { locale: 'en' })).toBe('Overview');
	});

	it("confirm an action by the page's own keys only", () => {
		const messages = { saved: m.save };
		expect(doneMessage(new URL('http://x/?done=saved'), messages)).toBe('保存');
		expect(doneMessage(new URL('http://x/?done=constructor'), messages)).toBeNull();
		expect(doneMessage(new URL('http://x/'), messages)).toBeNull();
	});
});
