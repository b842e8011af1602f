/**
 * The production server as the drills drive it: `npm start`'s own command (scripts/start.js, with its Node.js options) on a
 * database of the drill's, on 127.0.0.1 only, started, killed and restarted at will; and signed-in
 * clients that send forms as a browser does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startArguments } from '../../scripts/start-command.js';

export const DEMO_PASSWORD = 'suzhou-demo-2021';

export class AppServer {
	private child: ChildProcess | null = null;
	private exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | null = null;
	readonly base: string;
	/** What the server printed to stderr, for a drill's failure message. */
	stderr = '';

	constructor(
		readonly databasePath: string,
		readonly port: number
	) {
		this.base = `http://127.0.0.1:${port}`;
	}

	/** Starts the server and waits for its health check; returns the seconds to the first 200. */
	async start(timeoutMs = 30_000): Promise<number> {
		if (this.child) throw new Error('the server is running already');
		const started = performance.now();
		const child = spawn(process.execPath, startArguments(), {
			env: { ...process.env, HOST: '127.0.0.1', PORT: String(this.port), DATABASE_URL: this.databasePath, DATASET: 'demo' },
			stdio: ['ignore', 'ignore', 'pipe']
		});
		child.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
		this.child = child;
		this.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
		while (performance.now() - started < timeoutMs) {
			if (child.exitCode !== null) throw new Error(`the server exited while starting: ${this.stderr}`);
			try {
				if ((await fetch(`${this.base}/health`)).status === 200) return (performance.now() - started) / 1000;
			} catch {
				// not listening yet
			}
			await sleep(25);
		}
		throw new Error(`the server did not answer /health within ${timeoutMs} ms`);
	}

	get running(): boolean {
		return this.child !== null;
	}

	/** The server's resident memory now, in bytes (Linux), or null when it is not running. */
	residentBytes(): number | null {
		if (!this.child?.pid) return null;
		try {
			const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
			return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
		} catch {
			return null;
		}
	}

	/** Sends `signal` and waits for the process to end. */
	async stop(signal: NodeJS.Signals = 'SIGTERM') {
		if (!this.child) throw new Error('the server is not running');
		this.child.kill(signal);
		const result = await this.exit!;
		this.child = null;
		return result;
	}
}

export type Answer = { status: number; location: string | null; body: string };
export type FormFields = Record<string, string | string[]>;

/** A browser-like client: its own session cookie, forms sent with the Origin a browser sends. */
export class Client {
	cookie: string | null = null;

	constructor(readonly server: AppServer) {}

	/** Signs in; throws when the server refuses. */
	async signIn(username: string, password = DEMO_PASSWORD): Promise<this> {
		const answer = await this.post('/login', { username, password });
		if (answer.status !== 303 || !this.cookie) throw new Error(`sign-in as ${username} failed: ${answer.status}`);
		return this;
	}

	get(path: string): Promise<Answer> {
		return this.send(path, { method: 'GET' });
	}

	post(path: string, form: FormFields): Promise<Answer> {
		const body = new URLSearchParams();
		for (const [key, value] of Object.entries(form)) for (const v of [value].flat()) body.append(key, v);
		return this.send(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
	}

	/** Any request; the Origin, Accept and cookie headers are added. Network failures throw. */
	async send(path: string, init: RequestInit & { headers?: Record<string, string> }): Promise<Answer> {
		const response = await fetch(`${this.server.base}${path}`, {
			...init,
			redirect: 'manual',
			headers: {
				origin: this.server.base,
				accept: 'text/html',
				...(this.cookie ? { cookie: this.cookie } : {}),
				...init.headers
			}
		});
		const session = response.headers
			.getSetCookie()
			.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('session='));
		if (session) this.cookie = session === 'session=' ? null : session;
		return { status: response.status, location: response.headers.get('location'), body: await response.text() };
	}
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
