#!/usr/bin/env node
// `npm start`: builds the app if the build is missing or older than the sources, then serves it.
// The server itself creates, migrates and (when empty) loads the database as it starts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const usage = `Usage: npm start [-- --dataset demo|lecture]

  --dataset demo     load the lecture's items with generated demo data (default)
  --dataset lecture  load the lecture's items only, nothing invented (a real deployment)

Environment: HOST (127.0.0.1), PORT (3000), ORIGIN (http://HOST:PORT), DATABASE_URL (data/suzhou.db),
DATASET, KEEP_ALIVE_TIMEOUT (65 s), and the security settings of the README.
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
// Request bodies are limited: a form may carry evidence files (10 of 20 MB by default, streamed to
// disk as they arrive); forms of text are refused past 1 MB by the form reader itself.
process.env.BODY_SIZE_LIMIT ??= '256M';
// Node closes a keep-alive connection idle for 5 s. While the server computes (a city-wide view
// after a write), the timers run before the sockets are read, so a request already sent on such a
// connection was dropped unanswered. 65 s (the load balancers' usual 60 s, plus margin) keeps a
// unit's submission from being lost that way; the headers timeout must exceed it.
process.env.KEEP_ALIVE_TIMEOUT ??= '65';
process.env.HEADERS_TIMEOUT ??= '66';
const wildcard = ['0.0.0.0', '::'].includes(process.env.HOST);
process.env.ORIGIN ??= `http://${wildcard ? 'localhost' : process.env.HOST}:${process.env.PORT}`;

function newestMtime(path) {
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

const built = 'build/index.js';
const inputs = ['src', 'static', 'messages', 'svelte.config.js', 'vite.config.ts', 'paraglide.options.js', 'package-lock.json'].filter(
	existsSync
);
if (!existsSync(built) || Math.max(...inputs.map(newestMtime)) > statSync(built).mtimeMs) {
	console.log('Building the app (vite build)…');
	const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

const { server } = await import(join(process.cwd(), built));
graceShutdown(server.server);
renderOnceListening(server.server);

/**
 * The first page a started server renders runs SvelteKit's page assembly, its ETag hash of the HTML
 * and the page policy's hashes as cold, unoptimised code: after a restart the first look at a closed
 * month's kept dashboard took 57-76 ms at 5,000 items, 41-42 ms once one other page had been
 * rendered before it. So once it listens, the server asks itself for the sign-in page, which reads
 * nobody's data (the route modules themselves are loaded before it listens: `warm-up.ts`). A server
 * on a Unix socket is left as it is.
 */
function renderOnceListening(httpServer) {
	const render = () => {
		const address = httpServer.address();
		if (address === null || typeof address === 'string') return;
		const host = { '0.0.0.0': '127.0.0.1', '::': '::1' }[address.address] ?? address.address;
		// node:http, not fetch: fetch would load its own client (undici) into the server for this alone.
		get({ host, port: address.port, path: '/login', headers: { accept: 'text/html' } }, (response) => response.resume()).on(
			'error',
			(error) => console.error('rendering the sign-in page once at the start:', error.message)
		);
	};
	if (httpServer.listening) render();
	else httpServer.once('listening', render);
}

/**
 * adapter-node closes idle keep-alive connections the moment SIGTERM arrives. A connection whose
 * next request is already on the wire, but not yet read because the server was busy, looks idle
 * then, and that request is cut off unanswered. So on the signal: answer every request from now on
 * with `Connection: close` (the client sends nothing more on it), let the requests already sent be
 * read (GRACE_MS), and only then hand over to adapter-node's shutdown, which stops listening, waits
 * for the requests in flight to finish and closes the database.
 */
function graceShutdown(httpServer, GRACE_MS = 500) {
	for (const signal of ['SIGTERM', 'SIGINT']) {
		const adapterShutdown = process.listeners(signal);
		process.removeAllListeners(signal);
		process.once(signal, () => {
			httpServer.on('request', (_req, res) => res.setHeader('connection', 'close'));
			setTimeout(() => adapterShutdown.forEach((listener) => listener(signal)), GRACE_MS);
		});
	}
}
