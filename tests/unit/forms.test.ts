import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evidenceLimits } from '$lib/server/config';
import { z } from 'zod';
import { m } from '$lib/i18n';
import {
	fieldsCutShort,
	filesNotRead,
	MULTIPART_LIMITS,
	optionalId,
	parseForm,
	readForm,
	required,
	stagedUploads,
	wholeNumber,
	typedTexts,
	uploadsBeyondLimit
} from '$lib/server/forms';
import { newSourceSchema } from '$lib/server/intake/intake';
import { newUserSchema } from '$lib/server/users';
import { itemChangeSchema, milestoneSchema, newItemSchema } from '$lib/server/workflow/items';
import { xmlSafeText } from '$lib/server/xml-safe-text';

const boundary = 'xyz';
const multipart = (body: string) =>
	new Request('http://localhost/', { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body });
const part = (name: string, value: string, filename?: string) =>
	`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n\r\n${value}\r\n`;

async function statusOf(request: Request): Promise<number> {
	try {
		await readForm(request);
		return 200;
	} catch (e) {
		return (e as { status: number }).status;
	}
}

describe('the texts of a form sent after the sign-in ran out (shown on the login page to copy)', () => {
	it('are what a person entered, in order, with the files named and dropped unread, and no password shown', async () => {
		const files = Array.from({ length: MULTIPART_LIMITS.files + 3 }, (_, i) => part('files', 'x'.repeat(1000), `${i}.png`)).join('');
		const fields = [
			part('version', '17'),
			part('intent', 'draft'),
			part('progress', '本月完成规划修编。\n第二行'),
			part('met-3', 'on'),
			part('date-3', '2026-11-30'),
			part('evidence-3', 'https://example.org/验收'),
			part('kind', 'monthly_report'),
			part('problems', 'N/A'),
			part('nextSteps', '  '),
			part('password', '我的密码 很长很长')
		].join('');
		const form = await readForm(multipart(`${fields}${files}--${boundary}--\r\n`), 'texts only');
		expect(form.getAll('files')).toEqual([]);
		expect(filesNotRead(form)).toEqual(Array.from({ length: MULTIPART_LIMITS.files + 3 }, (_, i) => `${i}.png`));
		// A name with a double quote, as browsers send it (%22): read as the person chose it.
		const quoted = await readForm(multipart(`${part('files', 'x', '报告%22终稿%22.png')}--${boundary}--\r\n`), 'texts only');
		expect(filesNotRead(quoted)).toEqual(['报告"终稿".png']);
		// Composed (NFC), and without the spaces and dots after it that Windows drops from a name.
		const odd = [
			part('files', 'x', '照片.png '),
			part('files', 'x', '照片.png.'),
			part('files', 'x', 'Cafe\u0301.png'),
			part('files', 'x', ' . ')
		];
		const named = await readForm(multipart(`${odd.join('')}--${boundary}--\r\n`), 'texts only');
		expect(filesNotRead(named)).toEqual(['照片.png', '照片.png', 'Café.png', ' . ']);
		expect(typedTexts(form)).toEqual([
			{ name: 'progress', text: '本月完成规划修编。\n第二行' },
			{ name: 'evidence-3', text: 'https://example.org/验收' },
			{ name: 'problems', text: 'N/A' }
		]);
	});
});

describe('reading a multipart form', () => {
	it('reads fields and files', async () => {
		const form = await readForm(multipart(`${part('a', '甲')}${part('file', '月份,重点任务', 'x.csv')}--${boundary}--\r\n`));
		expect(form.get('a')).toBe('甲');
		const file = form.get('file') as File;
		expect(file.name).toBe('x.csv');
		expect(await file.text()).toBe('月份,重点任务');
	});

	it('refuses a body cut short with a 400, and the process goes on', async () => {
		expect(
			await statusOf(multipart(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.xlsx"\r\n\r\nnot an end`))
		).toBe(400);
		expect(await statusOf(multipart('--broken\r\n'))).toBe(400);
	});

	it('refuses a part in a charset it cannot read with a 400, and the process goes on', async () => {
		// busboy gives such a part no value; reading it as one ended the server (the hostile-input drill).
		const utf16 = `--${boundary}\r\nContent-Disposition: form-data; name="progress"\r\nContent-Type: text/plain; charset=utf-16\r\n\r\n\xff\xfe\r\n--${boundary}--\r\n`;
		expect(await statusOf(multipart(utf16))).toBe(400);
		expect(await statusOf(multipart(`${part('a', '甲')}--${boundary}--\r\n`))).toBe(200);
	});

	it('refuses with a 400 a body cut short in a file it drops unread, and the process goes on', async () => {
		const cut = `${part('progress', '本月进展')}--${boundary}\r\nContent-Disposition: form-data; name="evidence-1"; filename="现场照片.png"\r\n\r\n${'x'.repeat(70_000)}`;
		const status = (request: Request, incoming?: Parameters<typeof readForm>[1]) =>
			readForm(request, incoming).then(
				() => 200,
				(e: { status: number }) => e.status
			);
		expect(await status(multipart(cut), 'texts only')).toBe(400);
		expect(await status(multipart(cut))).toBe(400);
	});

	it('refuses what passes a limit with a 413; a text past its own is named as cut short, the rest of the form kept', async () => {
		// A paste past one field's limit: the form comes back with the other fields whole, the field named
		// (formAction refuses the form with the reason on it), never taken as if it were all of it.
		const body = `${part('title', '标题')}${part('text', 'x'.repeat(MULTIPART_LIMITS.fieldBytes + 1))}${part('speaker', '讲话人')}--${boundary}--\r\n`;
		const pasted = await readForm(multipart(body), undefined, 'named');
		expect(fieldsCutShort(pasted)).toEqual(['text']);
		expect([pasted.get('title'), pasted.get('speaker'), String(pasted.get('text')).length]).toEqual([
			'标题',
			'讲话人',
			MULTIPART_LIMITS.fieldBytes
		]);
		expect(fieldsCutShort(await readForm(multipart(`${part('text', 'x')}--${boundary}--\r\n`), undefined, 'named'))).toEqual([]);
		// A reader that does not name it refuses the form whole.
		expect(await statusOf(multipart(body))).toBe(413);
		const big = part('file', 'x'.repeat(MULTIPART_LIMITS.fileBytes + 1), 'big.csv');
		expect(await statusOf(multipart(`${big}--${boundary}--\r\n`))).toBe(413);
		const files = Array.from({ length: MULTIPART_LIMITS.files + 1 }, (_, i) => part(`f${i}`, 'x', `${i}.csv`)).join('');
		expect(await statusOf(multipart(`${files}--${boundary}--\r\n`))).toBe(413);
		// The longest text a form takes (a source's 500,000 characters) is read whole; texts beyond the
		// form's total are refused even when each is within its own limit.
		const speech = '苏州'.repeat(250_000);
		const read = await readForm(multipart(`${part('text', speech)}--${boundary}--\r\n`));
		expect(read.get('text')).toBe(speech);
		const third = '州'.repeat(Math.floor(MULTIPART_LIMITS.textBytes / 3 / 3) + 1);
		expect(await statusOf(multipart(`${[0, 1, 2].map((i) => part(`t${i}`, third)).join('')}--${boundary}--\r\n`))).toBe(413);
	});
});

describe('evidence files of a multipart form', () => {
	const dir = () => mkdtempSync(join(tmpdir(), 'incoming-'));

	it('leaves nothing in the incoming folder when the body is cut short in the middle of files', async () => {
		const incoming = dir();
		const head = `${part('evidence', '验收材料')}--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG`;
		// The connection drops right after the file's first bytes: before its file on disk is even open.
		const dropped = () =>
			new Request('http://localhost/', {
				method: 'POST',
				headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
				body: new ReadableStream({
					start(controller) {
						controller.enqueue(new TextEncoder().encode(head));
						setImmediate(() => controller.error(new Error('connection reset')));
					}
				}),
				duplex: 'half'
			} as RequestInit);
		for (let round = 0; round < 10; round++) {
			const results = await Promise.all(
				Array.from({ length: 8 }, () =>
					readForm(dropped(), () => incoming).then(
						() => 200,
						(e) => e.status
					)
				)
			);
			expect(results.every((status) => status === 400)).toBe(true);
		}
		await new Promise((done) => setTimeout(done, 50)); // a file opened late would appear by now
		expect(readdirSync(incoming)).toEqual([]);
	});

	it('reads evidence files past the most a form may carry to the end, drops them and counts them', async () => {
		const incoming = dir();
		const max = evidenceLimits().files;
		const files = Array.from({ length: max + 5 }, (_, i) => part('files', `${i}`, `${i}.png`)).join('');
		const form = await readForm(multipart(`${part('evidence', '验收材料')}${files}--${boundary}--\r\n`), () => incoming);
		expect(form.get('evidence')).toBe('验收材料'); // the typed text is there, to be shown again
		expect(stagedUploads(form)).toHaveLength(max);
		expect(uploadsBeyondLimit(form)).toBe(5);
	});
});

describe('characters no document can hold', () => {
	it('are taken out of every text a form sends (not out of passwords), so that no export breaks', async () => {
		const body = new URLSearchParams({ progress: 'ok\u0001\uFFFE\uFFFF end\n第二行\u000b第三行\f第四行', password: 'a\u0001b' });
		const form = await readForm(new Request('http://localhost/', { method: 'POST', body }));
		// Word's manual line break (a vertical tab) and a page break (a form feed) stay line breaks.
		expect(form.get('progress')).toBe('ok end\n第二行\n第三行\n第四行');
		expect(form.get('password')).toBe('a\u0001b');
		expect(xmlSafeText('a\uD800b\uDC00c\uD83D\uDE00')).toBe('abc\uD83D\uDE00'); // a lone surrogate goes, a pair stays
		expect(xmlSafeText('一\r\n二\r三\n四')).toBe('一\n二\n三\n四');
		expect(xmlSafeText('删\u007F除')).toBe('删除'); // DEL: exceljs drops it as it writes a cell // a browser's and old Mac's breaks as one
	});

	it('nor direction overrides, which make a text show other than it holds', async () => {
		const body = new URLSearchParams({ body: '请于\u202E31-21-6202\u202C前完成', reason: '\u2067延期\u2069' });
		const form = await readForm(new Request('http://localhost/', { method: 'POST', body }));
		expect(form.get('body')).toBe('请于31-21-6202前完成');
		expect(form.get('reason')).toBe('延期');
	});
});

describe('text fields', () => {
	/** Spaces (a full-width one too) and the characters that show nothing: zero-width space, non-joiner, joiner, word joiner, BOM. */
	const blank = ' \u200b\u200c \u200d\u2060\ufeff\u3000 ';
	const parsed = (field: z.ZodType, value: string) => field.safeParse(value);
	const singleLine: [string, z.ZodType, () => string][] = [
		['an item title', itemChangeSchema.shape.title, m.item_title],
		['a milestone title', milestoneSchema.shape.title, m.milestone_title],
		["a source's title", newSourceSchema.shape.title, m.source_title],
		["a source's speaker", newSourceSchema.shape.speaker, m.source_speaker],
		["a user's name", newUserSchema.shape.displayName, m.field_display_name]
	];

	it.each(singleLine)('%s of spaces and zero-width characters alone is empty', (_, field, label) => {
		const result = parsed(field, blank);
		expect(result.success).toBe(false);
		expect(result.error?.issues[0].message).toBe(required(label));
	});

	it.each(singleLine)('%s pasted over lines is one line, every character typed kept', (_, field) => {
		expect(parsed(field, '推进长三角\r\n一体化').data).toBe('推进长三角 一体化');
		expect(parsed(field, ' 第一段\n\n  第二段 \n').data).toBe('第一段 第二段');
		// Zero-width characters inside a text are kept: a joiner holds an emoji (or a name) together.
		expect(parsed(field, '\u200b家庭👨\u200d👩\u200d👧\ufeff').data).toBe('家庭👨\u200d👩\u200d👧');
	});

	it("an optional single-line text (an item's leader) of blanks is none, and over lines is one line", () => {
		expect(parsed(itemChangeSchema.shape.leader, blank).data).toBeNull();
		expect(parsed(itemChangeSchema.shape.leader, '张三\n副市长').data).toBe('张三 副市长');
	});

	it('a required text of several lines (a quote) keeps its lines, and of blanks alone is empty', () => {
		expect(parsed(newItemSchema.shape.quote, '第一句。\n第二句。').data).toBe('第一句。\n第二句。');
		expect(parsed(newItemSchema.shape.quote, blank).error?.issues[0].message).toBe(required(m.source_quote));
	});
});

describe('whole-number fields (a weight, a rule setting)', () => {
	const weight = wholeNumber(m.field_weight, 1, 1000);
	const message = (value: string) => weight.safeParse(value).error?.issues[0].message;

	it('read digits as people type them, in either width, with blanks around', () => {
		expect(weight.parse('12')).toBe(12);
		expect(weight.parse(' 30 ')).toBe(30);
		expect(weight.parse('１２０')).toBe(120);
		expect(weight.parse('+5')).toBe(5);
	});

	it('refuse what JavaScript also reads as a number but nobody writes as one', () => {
		for (const typed of ['1e3', '0x1', '0b1', '0o7', 'Infinity', '1_000', '1,000', '十二'])
			expect(message(typed), typed).toBe(m.form_not_a_number({ label: m.field_weight() }));
	});

	it('say empty is to be filled in (never read as 0), a fraction is not whole, and name the range', () => {
		expect(message('')).toBe(required(m.field_weight));
		expect(message('   ')).toBe(required(m.field_weight));
		expect(message('2.5')).toBe(m.form_not_whole({ label: m.field_weight() }));
		expect(message('0')).toBe(m.form_too_small_number({ label: m.field_weight(), min: 1 }));
		expect(message('-3')).toBe(m.form_too_small_number({ label: m.field_weight(), min: 1 }));
		expect(message('1001')).toBe(m.form_too_large_number({ label: m.field_weight(), max: 1000 }));
		expect(message('9'.repeat(40))).toBe(m.form_too_large_number({ label: m.field_weight(), max: 1000 }));
	});
});

describe('a choice of a record that may be none (a unit, a lead unit)', () => {
	it('is none when left empty, and a form without the field is stale: a missing choice never widens a key or takes a lead unit away', () => {
		const schema = z.object({ unitId: optionalId(m.field_unit) });
		expect(schema.parse({ unitId: '' })).toEqual({ unitId: null });
		expect(schema.parse({ unitId: '12' })).toEqual({ unitId: 12 });
		const form = new FormData();
		const missing = parseForm(form, schema);
		expect(missing.ok ? null : missing.errors.unitId).toBe(m.form_stale());
		form.set('unitId', '1x');
		const garbled = parseForm(form, schema);
		expect(garbled.ok ? null : garbled.errors.unitId).toBe(m.form_invalid({ label: m.field_unit() }));
	});
});

describe('a form not sent as the page made it', () => {
	it('reads as a stale form in our words: a repeated field, a word for a number, a value not among the choices; zod speaks elsewhere', () => {
		const schema = z.object({ title: z.string(), count: z.coerce.number(), kind: z.enum(['speech', 'minutes']) });
		const form = new FormData();
		form.append('title', '一');
		form.append('title', '二');
		form.set('count', '三');
		form.set('kind', 'memo');
		const parsed = parseForm(form, schema);
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) expect(parsed.errors).toEqual({ title: m.form_stale(), count: m.form_stale(), kind: m.form_stale() });
		// A field's own message comes first; outside a form (a data file read at the start) zod's own words.
		const own = parseForm(form, z.object({ kind: z.enum(['speech'], { error: () => '请选择来源类型' }) }));
		expect(own.ok ? null : own.errors.kind).toBe('请选择来源类型');
		const elsewhere = z.enum(['speech']).safeParse('memo');
		expect(elsewhere.success ? '' : elsewhere.error.issues[0].message).not.toBe(m.form_stale());
	});
});
