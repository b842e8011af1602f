import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDate } from '$lib/dates';
import { securityDetail } from '$lib/audit-labels';
import { doneMessage } from '$lib/done-message';
import { fieldLabel } from '$lib/field-labels';
import { m } from '$lib/i18n';
import { lightLabels } from '$lib/lights';

/** A message is a text, or (English plurals) a list with one message whose variants are the texts. */
type Message = string | { match: Record<string, string> }[];
const read = (locale: string) => JSON.parse(readFileSync(`messages/${locale}.json`, 'utf8')) as Record<string, Message>;
const texts = (message: Message) => (typeof message === 'string' ? [message] : message.flatMap((m) => Object.values(m.match)));
/** The placeholders a message uses in any of its variants ("1 item" needs no {count}, "{count} items" does). */
const placeholders = (message: Message) =>
	[...new Set(texts(message).flatMap((t) => [...t.matchAll(/\{(\w+)\}/g)].map((p) => p[1])))].sort();

describe('the interface messages', () => {
	const zh = read('zh-CN');
	const en = read('en');

	it('exist in both languages with the same placeholders', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
		for (const key of Object.keys(zh)) expect(placeholders(en[key]), key).toEqual(placeholders(zh[key]));
	});

	it('leave no Chinese in English and no empty message', () => {
		for (const [key, message] of Object.entries(en)) {
			if (key === '$schema') continue;
			for (const text of texts(message)) {
				expect(text.trim(), key).not.toBe('');
				expect(text, key).not.toMatch(/[\u3400-\u9fff]/);
			}
		}
	});

	it('count in English with singular and plural', () => {
		expect(m.earlier_months({ count: 1 }, { locale: 'en' })).toBe('1 earlier month');
		expect(m.earlier_months({ count: 3 }, { locale: 'en' })).toBe('3 earlier months');
		expect(m.dashboard_lead({ date: 'x', count: 1 }, { locale: 'en' })).toBe('As of x, 1 item matches.');
		expect(m.earlier_months({ count: 1 })).toBe('更早的 1 个月');
	});

	it('answer in Chinese outside a request, where nothing chose another language (the CLI, the demo data)', () => {
		expect(m.nav_dashboard()).toBe('总览');
		expect(lightLabels.red).toBe('红灯');
		expect(formatDate('2026-11-27')).toBe('2026年11月27日');
		expect(m.nav_dashboard({}, { locale: 'en' })).toBe('Overview');
	});

	it('put an aside in full-width brackets in Chinese, and in half-width ones after a space in English', () => {
		for (const message of texts(zh.with_aside)) expect(message).toBe('{text}（{aside}）');
		for (const [key, message] of Object.entries(zh)) for (const text of texts(message)) expect(text, key).not.toMatch(/[()]/);
		expect(m.with_aside({ text: 'YRD-04', aside: '太仓市' })).toBe('YRD-04（太仓市）');
		expect(m.with_aside({ text: 'YRD-04', aside: 'Taicang' }, { locale: 'en' })).toBe('YRD-04 (Taicang)');
		// The security log's refused requests, on the audit page.
		expect(securityDetail({ method: 'GET', path: '/files/9', status: 404 })).toBe('GET /files/9（404）');
	});

	it('name every field the history shows, the demo mark too', () => {
		expect(fieldLabel('demo')).toBe('演示数据');
		expect(m.field_demo({}, { locale: 'en' })).toBe('Demo data');
	});

	it("confirm an action by the page's own keys only", () => {
		const messages = { saved: m.save };
		expect(doneMessage(new URL('http://x/?done=saved'), messages)).toBe('保存');
		expect(doneMessage(new URL('http://x/?done=constructor'), messages)).toBeNull();
		expect(doneMessage(new URL('http://x/'), messages)).toBeNull();
	});
});
