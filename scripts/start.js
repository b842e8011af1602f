#!/usr/bin/env node
// `npm start`: builds the app if the build is missing or older than the sources, then serves it.
// The server itself creates, migrates and (when empty) loads the database as it starts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const usage = `Usage: npm start [-- --dataset demo|lecture]

  --dataset demo     load the lecture's items with generated demo data (default)
  --dataset lecture  load the lecture's items only, nothing invented (a real deployment)

Environment: HOST (127.0.0.1), PORT (3000), ORIGIN (http://HOST:PORT), DATABASE_URL (data/suzhou.db),
DATASET, and the security settings of the README.
The dataset is loaded only into an empty database.`;

let args;
try {
	args = parseArgs({ options: { dataset: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }).values;
} catch (error) {
	console.error(`${error.message}\n\n${usage}`);
	process.exit(2);
}
if (args.help) {
	console.log(usage);
	process.exit(0);
}
if (args.dataset) process.env.DATASET = args.dataset;
process.env.HOST ??= '127.0.0.1';
process.env.PORT ??= '3000';
// adapter-node assumes https when it is not told the origin, and SvelteKit then refuses every form
// as cross-site. Behind a proxy, set ORIGIN to the address people use (https://… makes cookies Secure).
// Request bodies are limited; an imported ledger may be up to 5 MB.
process.env.BODY_SIZE_LIMIT ??= '6M';
const wildcard = ['0.0.0.0', '::'].includes(process.env.HOST);
process.env.ORIGIN ??= `http://${wildcard ? 'localhost' : process.env.HOST}:${process.env.PORT}`;

function newestMtime(path) {
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

const built = 'build/index.js';
const inputs = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'].filter(existsSync);
if (!existsSync(built) || Math.max(...inputs.map(newestMtime)) > statSync(built).mtimeMs) {
	console.log('Building the app (vite build)…');
	const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

await import(join(process.cwd(), built));
