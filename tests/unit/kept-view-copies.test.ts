/**
 * The database's copy of a kept view written in the background, as the server writes it
 * (`copyKeptViewsInBackground`): the view is answered at once, its copy lands once packed, and the
 * server waits for the copies under way before it closes its database. A file of its own: the switch
 * is the module's, and the other tests keep writing as they keep.
 */
import { eq } from 'drizzle-orm';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '$lib/server/db';
import { keptView } from '$lib/server/db/schema';
import { KeptAnswers } from '$lib/server/kept-answers';
import { copiesWritten, copyKeptViewsInBackground, keepView } from '$lib/server/kept-views';
import { monthlySummary } from '$lib/server/monthly/summary';
import { seedIfEmpty } from '$lib/server/seed';
import { FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';

const TODAY = '2026-11-27';
let t: TempDb;

beforeAll(() => {
	t = tempDatabase();
	seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW });
	copyKeptViewsInBackground();
});
afterAll(() => t.close());

const keptRow = (db: TempDb['db'], key: string) => db.select().from(keptView).where(eq(keptView.key, key)).get();

describe('copies of kept views written in the background', () => {
	it('answers the view at once and writes its copy once it is packed', async () => {
		const memory = new KeptAnswers<{ month: string; lines: string[] }>(2);
		const view = { month: '2026-10', lines: ['第一行', '第二行\n续'] };
		expect(keepView(t.db, memory, 'test|2026-10', view)).toBe(view);
		expect(memory.kept(t.db, 'test|2026-10')).toBe(view);
		// Packed in the thread pool: nothing of it is written before this step ends.
		expect(keptRow(t.db, 'test|2026-10')).toBeUndefined();
		await copiesWritten();
		const row = keptRow(t.db, 'test|2026-10')!;
		expect(JSON.parse(gunzipSync(row.body).toString('utf8'))).toEqual(view);
	});

	it('a month’s summary computed in a request is read back whole after a restart once its copy is written', async () => {
		const summary = monthlySummary(t.db, '2026-10', TODAY);
		await copiesWritten();
		const again = openDatabase(t.path);
		try {
			expect(keptRow(again, 'summary|2026-10|theme|zh-CN')).toBeDefined();
			expect(monthlySummary(again, '2026-10', TODAY)).toEqual(summary);
		} finally {
			again.$client.close();
		}
	});

	it('a copy whose connection closed before it was packed is not written, and nothing fails', async () => {
		const other = openDatabase(t.path);
		keepView(other, new KeptAnswers<string[]>(1), 'test|closed', ['已关闭']);
		other.$client.close();
		await expect(copiesWritten()).resolves.toBeUndefined();
		expect(keptRow(t.db, 'test|closed')).toBeUndefined();
	});
});
