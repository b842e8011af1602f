/**
 * The month keeper in the built server (a worker thread runs the built module, which the unit tests
 * cannot): started on a database of its own, the server keeps every closed month's 月报 without
 * anyone opening it, and answers meanwhile.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { AppServer } from '../drills/server';

test('the built server keeps every closed month’s 月报 in the background after it starts, before anyone asks for it', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'keeper-'));
	const server = new AppServer(join(dir, 'keeper.db'), 4189);
	try {
		await server.start(60_000);
		// The demo data is written as the server starts: last month has ended before that write, so it is final.
		const now = new Date(Date.now() + 8 * 3600_000);
		const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
		const kept = () => {
			const db = new Database(server.databasePath, { readonly: true });
			try {
				return db.prepare('SELECT key FROM kept_view ORDER BY key').pluck().all();
			} finally {
				db.close();
			}
		};
		const lastDay = new Date(Date.UTC(Number(lastMonth.slice(0, 4)), Number(lastMonth.slice(5)), 0)).toISOString().slice(0, 10);
		// Every closed month since the lecture's (2021-07): its 月报 as downloaded and as its page shows it, the
		// city's dashboard as of its end, and the lights at its end (what the next month's 月报 compares with).
		const months = (Number(lastMonth.slice(0, 4)) - 2021) * 12 + Number(lastMonth.slice(5)) - 6;
		await expect.poll(() => kept().length, { timeout: 40_000 }).toBe(4 * months);
		expect(kept()).toEqual(
			expect.arrayContaining([
				`dashboard|zh-CN|?asOf=${lastDay}`,
				`lights|${new Date(Date.parse(`${lastDay}T23:59:59.999+08:00`)).toISOString()}|${lastDay}`,
				'lights|2021-07-31T15:59:59.999Z|2021-07-31',
				`summary-page|${lastMonth}|theme|zh-CN`,
				`summary|${lastMonth}|theme|zh-CN`,
				'dashboard|zh-CN|?asOf=2021-07-31',
				'summary|2021-07|theme|zh-CN'
			])
		);
		expect((await fetch(`${server.base}/health`)).status).toBe(200);
	} finally {
		if (server.running) await server.stop('SIGTERM');
		rmSync(dir, { recursive: true, force: true });
	}
});
