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

	it('say in the security log what an administrator changed: a person’s role and unit, a key, the channels, never a password', () => {
		const units = { 2: '市工业和信息化局', 5: '市文化广电和旅游局' };
		expect(securityDetail({ role: ['staff', 'leader'], unitId: [2, 2], displayName: ['张三', '张三'] }, units)).toBe(
			'角色：责任单位 → 领导'
		);
		expect(securityDetail({ role: 'staff', unitId: 5 }, units)).toBe('角色：责任单位、所属单位：市文化广电和旅游局');
		expect(securityDetail({ apiTokenIssued: { id: 3, name: '大数据平台', unitId: null, expiresOn: '2027-06-30' } }, units)).toBe(
			'签发 API 密钥（名称：大数据平台，所属单位：全市，有效期至：2027年6月30日）'
		);
		expect(securityDetail({ apiTokenRevoked: { id: 3, name: '大数据平台' } })).toBe('吊销 API 密钥（名称：大数据平台）');
		expect(securityDetail({ smtp: 'off' })).toBe('停用邮件发送');
		const relay = { host: 'smtp.suzhou.example', port: 25, secure: false, username: null, from: 'a@suzhou.example', passwordChanged: true };
		expect(securityDetail({ smtp: relay })).toBe(
			'保存邮件服务器设置（服务器地址：smtp.suzhou.example，端口：25，使用 SSL/TLS 连接（通常为 465 端口）：否，用户名：（空），发件人：a@suzhou.example，已另设新密码）'
		);
		expect(securityDetail({ reminders: { enabled: true, time: '09:00', daysBefore: 3 } }, units)).toBe(
			'保存每日提醒设置（启用每日提醒：是，提醒时间（北京时间）：09:00，截止日前提前几个工作日提醒：3）'
		);
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
