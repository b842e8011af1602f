#!/usr/bin/env node
// `npm run help-screenshots`: the pictures of the in-app guide (/help), taken from the running app
// on a fresh demo database, so that the guide shows the pages as they are. Run it after a change to
// the pages it shows; it builds the app first if needed (as `npm start` does).
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startArguments } from './start-command.js';

const port = 4193;
const base = `http://127.0.0.1:${port}`;
const dir = mkdtempSync(join(tmpdir(), 'help-shots-'));
const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
const shots = [
	['leader', '/', 'dashboard'],
	['staff-jyj', `/initiatives/LIV-03/report/${month}`, 'report-form'],
	['supervisor', '/reviews', 'reviews']
];

const server = spawn(process.execPath, startArguments(), {
	env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: join(dir, 'help.db'), DATASET: 'demo' },
	stdio: 'inherit'
});
try {
	for (let i = 0; i < 600; i++) {
		if (
			await fetch(`${base}/health`).then(
				(r) => r.ok,
				() => false
			)
		)
			break;
		await new Promise((r) => setTimeout(r, 200));
	}
	const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
	for (const [user, path, name] of shots) {
		const context = await browser.newContext({ baseURL: base, viewport: { width: 1000, height: 620 }, locale: 'zh-CN' });
		await context.request.post('/login', {
			form: { username: user, password: 'suzhou-demo-2021' },
			headers: { origin: base, accept: 'text/html' },
			maxRedirects: 0
		});
		const page = await context.newPage();
		await page.goto(path);
		await page.waitForLoadState('networkidle');
		await page.screenshot({ path: `static/help/${name}.png` });
		console.log(`static/help/${name}.png`);
		await context.close();
	}
	await browser.close();
} finally {
	server.kill('SIGTERM');
	rmSync(dir, { recursive: true, force: true });
}
