#!/usr/bin/env node
// `npm run budget`: the dashboard's budgets, measured on the production build with the demo data:
// the JavaScript a browser loads for `/` (gzipped) and the server's render time of `/` (median of
// sequential requests). Prints a table and writes it to BENCHMARKS.md. Not a test: timings vary.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { writeBenchmarkSection } from './benchmarks-file.js';

/** Playwright's own Chromium where installed, else the system's (as playwright.config.ts). */
function chromiumPath() {
	try {
		if (existsSync(chromium.executablePath())) return undefined;
	} catch {
		// none registered
	}
	return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

const PORT = 4183;
const base = `http://127.0.0.1:${PORT}`;
const REQUESTS = 300;
const JS_BUDGET_KB = 150;
const RENDER_BUDGET_MS = 20;

if (spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' }).status !== 0) process.exit(1);

const dir = mkdtempSync(join(tmpdir(), 'budget-'));
const server = spawn('node', ['build'], {
	env: { ...process.env, HOST: '127.0.0.1', PORT: String(PORT), ORIGIN: base, DATABASE_URL: join(dir, 'budget.db'), DATASET: 'demo' },
	stdio: ['ignore', 'ignore', 'inherit']
});
const stop = () => {
	server.kill('SIGTERM');
	rmSync(dir, { recursive: true, force: true });
};

async function waitForServer() {
	for (let i = 0; i < 300; i++) {
		try {
			if ((await fetch(`${base}/login`)).ok) return;
		} catch {
			// not up yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error('server did not start');
}

try {
	await waitForServer();
	const login = await fetch(`${base}/login`, {
		method: 'POST',
		headers: { origin: base, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: 'username=leader&password=suzhou-demo-2021',
		redirect: 'manual'
	});
	const cookie = login.headers.get('set-cookie')?.split(';')[0];
	if (!cookie) throw new Error(`login failed (${login.status})`);
	// Each request a new address, so that every one is rendered (a page already rendered for the same
	// data is otherwise served as kept: src/lib/server/page-cache.ts).
	let n = 0;
	const get = () => fetch(`${base}/?render=${n++}`, { headers: { cookie } });

	// JavaScript of the page: every script Chromium loads for `/`, measured gzipped (level 9).
	const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
	const context = await browser.newContext();
	await context.addCookies([{ name: 'session', value: cookie.split('=')[1], url: base }]);
	const page = await context.newPage();
	const scripts = [];
	page.on('response', (r) => r.url().endsWith('.js') && scripts.push(r));
	await page.goto(`${base}/`, { waitUntil: 'networkidle' });
	let gzipped = 0;
	for (const r of scripts) gzipped += gzipSync(await r.body(), { level: 9 }).length;
	await browser.close();

	for (let i = 0; i < 30; i++) await (await get()).text(); // warm up
	const times = [];
	for (let i = 0; i < REQUESTS; i++) {
		const t = performance.now();
		const response = await get();
		await response.text();
		times.push(performance.now() - t);
		if (response.status !== 200) throw new Error(`GET / answered ${response.status}`);
	}
	times.sort((a, b) => a - b);
	const median = times[Math.floor(times.length / 2)];
	const p95 = times[Math.floor(times.length * 0.95)];

	const kb = gzipped / 1024;
	const rows = [
		[
			'dashboard JavaScript (gzipped, ' + scripts.length + ' files)',
			`${kb.toFixed(1)} KB`,
			`≤ ${JS_BUDGET_KB} KB`,
			kb <= JS_BUDGET_KB ? 'met' : 'NOT MET'
		],
		[
			`server render of / (median of ${REQUESTS}, none served as kept)`,
			`${median.toFixed(1)} ms`,
			`< ${RENDER_BUDGET_MS} ms`,
			median < RENDER_BUDGET_MS ? 'met' : 'NOT MET'
		],
		[`server render of / (p95)`, `${p95.toFixed(1)} ms`, '', '']
	];
	const machine = `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
	const table = ['| measure | value | budget | |', '|---|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
	console.log(`\nDashboard budgets (${machine})\n\n${table}\n`);
	writeBenchmarkSection(
		'Dashboard budgets',
		`## Dashboard budgets (\`npm run budget\`)\n\nMeasured on ${machine}, demo data, signed in as leader.\n\n${table}\n`
	);
} finally {
	stop();
}
