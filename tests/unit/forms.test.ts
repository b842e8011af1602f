import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evidenceLimits } from '$lib/server/config';
import { MULTIPART_LIMITS, readForm, stagedUploads, uploadsBeyondLimit } from '$lib/server/forms';
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

	it('refuses what passes a limit with a 413, never cutting a value short', async () => {
		expect(await statusOf(multipart(`${part('text', 'x'.repeat(MULTIPART_LIMITS.fieldBytes + 1))}--${boundary}--\r\n`))).toBe(413);
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
		expect(xmlSafeText('一\r\n二\r三\n四')).toBe('一\n二\n三\n四'); // a browser's and old Mac's breaks as one
	});
});
