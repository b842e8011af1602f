/**
 * `npm run bench:uploads`: evidence uploads at once. On a demo database, 50 clients each send the
 * report form with a 10 MB picture (different bytes each, made as they are sent), all at the same
 * time, while another client asks /health every 50 ms. Measured twice: the time until every upload
 * is answered and the throughput, how each was answered, the server's peak resident memory (it must
 * stay flat: files are streamed to disk, not held), and /health's latency meanwhile. Writes its
 * section of BENCHMARKS.md. Not a test: timings vary.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { monthOf, suzhouToday } from '$lib/dates';
import { demoPicture } from '$lib/server/demo/evidence';
import { writeBenchmarkSection } from '../../scripts/benchmarks-file.js';
import { openReadOnly } from '../drills/checks';
import { percentile } from '../drills/drill';
import { AppServer, Client, sleep } from '../drills/server';

const UPLOADS = 50;
const FILE_BYTES = 10 * 1024 * 1024;
const PORT = 4189;
const month = monthOf(suzhouToday());

/** A multipart body with one 10 MB "PNG" (its signature and header, then random bytes), streamed as it is sent. */
function uploadBody(boundary: string, fields: Record<string, string>): { body: ReadableStream<Uint8Array>; length: number } {
	const head = Buffer.from(
		Object.entries(fields)
			.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
			.join('') + `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="photo.png"\r\nContent-Type: image/png\r\n\r\n`
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
	// A PNG's signature and header chunk (what its type is told by), then random bytes.
	const signature = demoPicture().subarray(0, 33);
	let sent = 0;
	const chunk = 256 * 1024;
	const body = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (sent === 0) controller.enqueue(Buffer.concat([head, signature]));
			const left = FILE_BYTES - signature.length - sent;
			if (left <= 0) {
				controller.enqueue(tail);
				return controller.close();
			}
			const size = Math.min(chunk, left);
			controller.enqueue(randomBytes(size));
			sent += size;
		}
	});
	return { body, length: head.length + FILE_BYTES + tail.length };
}

async function run(server: AppServer, writers: { client: Client; code: string }[]) {
	const statuses = new Map<string, number>();
	const health: number[] = [];
	let done = false;
	const watcher = (async () => {
		while (!done) {
			const started = performance.now();
			await fetch(`${server.base}/health`);
			health.push(performance.now() - started);
			await sleep(50);
		}
	})();
	let peak = server.residentBytes() ?? 0;
	const before = peak;
	const sampler = setInterval(() => (peak = Math.max(peak, server.residentBytes() ?? 0)), 20);
	const started = performance.now();
	await Promise.all(
		Array.from({ length: UPLOADS }, async (_, i) => {
			const { client, code } = writers[i % writers.length];
			const boundary = `bench${i}${Date.now()}`;
			const { body } = uploadBody(boundary, { progress: `上传压测 ${i}`, problems: '', nextSteps: '', intent: 'draft', version: '' });
			try {
				const answer = await client.send(`/initiatives/${code}/report/${month}`, {
					method: 'POST',
					body,
					duplex: 'half',
					headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }
				} as RequestInit & { headers: Record<string, string> });
				const key = answer.status === 303 ? 'saved' : `${answer.status}`;
				statuses.set(key, (statuses.get(key) ?? 0) + 1);
			} catch (e) {
				statuses.set(`failed (${(e as Error).message})`, (statuses.get(`failed (${(e as Error).message})`) ?? 0) + 1);
			}
		})
	);
	const seconds = (performance.now() - started) / 1000;
	done = true;
	clearInterval(sampler);
	await watcher;
	return { seconds, statuses, peak, before, health };
}

const work = mkdtempSync(join(tmpdir(), 'bench-uploads-'));
const server = new AppServer(join(work, 'uploads.db'), PORT);
await server.start(120_000);
// Every lead unit's staff, each on an item of theirs; the uploads to one item meet: one may save the
// draft, the others are refused by the report's rules (after their file was read, checked and dropped).
const client = openReadOnly(server.databasePath);
const leads = client
	.prepare(
		`SELECT u.username, min(i.code) AS code FROM user u JOIN initiative i ON i.lead_unit_id = u.unit_id AND i.status = 'active'
		 WHERE u.role = 'staff' GROUP BY u.username ORDER BY u.username`
	)
	.all() as { username: string; code: string }[];
client.close();
const writers = await Promise.all(leads.map(async (l) => ({ client: await new Client(server).signIn(l.username), code: l.code })));
const results = [];
for (let i = 0; i < 2; i++) results.push(await run(server, writers));
await server.stop('SIGTERM');
rmSync(work, { recursive: true, force: true });

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const lines = results.map((r, i) => {
	const answered = [...r.statuses].map(([k, n]) => `${n} ${k}`).join(', ');
	return `| run ${i + 1} | ${r.seconds.toFixed(1)} s | ${((UPLOADS * FILE_BYTES) / 2 ** 20 / r.seconds).toFixed(0)} MB/s | ${answered} | ${mb(r.peak)} MB (${mb(r.before)} MB before) | ${percentile(r.health, 50).toFixed(0)} / ${percentile(r.health, 99).toFixed(0)} ms (${r.health.length} requests) |`;
});
const section = `## Evidence uploads (${suzhouToday()}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version})

\`npm run bench:uploads\`: ${UPLOADS} clients send the report form with a ${FILE_BYTES / 2 ** 20} MB picture each (different bytes
each) at the same time, on the demo database, while /health is asked every 50 ms; run twice. Each upload is a
draft of its writer's first item: "saved" is a draft saved with its file; 409 and 400 are refusals by the
report's rules (a report started, sent or approved meanwhile; a month the item may not be reported for),
given after the file was read, hashed and checked: every answer read the whole file. Target: the server's
memory stays flat (files are streamed to disk, never held whole: 50 × 10 MB held would add 500 MB),
and /health keeps answering.

| run | all answered in | throughput | answers | server peak RSS | /health p50 / p99 |
|---|---|---|---|---|---|
${lines.join('\n')}
`;
console.log(section);
writeBenchmarkSection('Evidence uploads', section);
