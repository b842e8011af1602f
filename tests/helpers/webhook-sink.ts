/** A real HTTP server standing for a group robot: records what it is sent, answers as DingTalk does. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { url: URL; headers: Record<string, string | string[] | undefined>; body: string; json: Record<string, unknown> };

export class WebhookSink {
	readonly received: Received[] = [];
	/** The answer: DingTalk's and WeCom's `{ errcode: 0 }`, or an error the test chooses. */
	answer: { status: number; body: unknown } = { status: 200, body: { errcode: 0, errmsg: 'ok' } };
	/** How long it takes to answer, like a robot's server under load. */
	delayMs = 0;
	/** While set, it answers 200 at once and then its body a byte every this many ms, like a robot's server that stalls. */
	trickleMs = 0;
	private server: Server;

	constructor() {
		this.server = createServer((req, res) => {
			let body = '';
			req.setEncoding('utf8');
			req.on('data', (c: string) => (body += c));
			req.on('end', () => {
				let json: Record<string, unknown> = {};
				try {
					json = JSON.parse(body) as Record<string, unknown>;
				} catch {
					/* recorded as sent */
				}
				this.received.push({ url: new URL(req.url ?? '/', 'http://sink'), headers: req.headers, body, json });
				if (this.trickleMs) {
					// The headers at once, then the body a byte at a time: never finished.
					res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
					const drip = setInterval(() => res.write(' '), this.trickleMs);
					res.on('close', () => clearInterval(drip));
					return;
				}
				setTimeout(
					() => res.writeHead(this.answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(this.answer.body)),
					this.delayMs
				);
			});
		});
	}

	async start(): Promise<string> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	close(): Promise<void> {
		this.server.closeAllConnections();
		return new Promise((resolve) => this.server.close(() => resolve()));
	}
}
