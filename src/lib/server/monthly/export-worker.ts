/**
 * The month's summary written as a Word file in a worker thread (the formats are chosen in
 * exports.ts), so that a download does not hold the server: at 5,000 items the file took 1.6–2.4 s
 * to write (4–5 s, and 7–10 s, on a busy machine), and everybody else's requests waited meanwhile. The
 * summary is computed (or read where it is kept) in the request as before and handed over whole; the
 * worker writes the file and hands its bytes back. One worker, started at the first download and
 * kept for the next, one file at a time. Only the built server starts it (in development the module
 * is TypeScript, which a worker cannot load; there a file is written in the request, as it is when
 * the worker fails). Imported by the server's start alone: this module is the file its worker runs.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { beforeDatabaseCloses } from '../app-db';
import { renderExportsWith, renderHere, type ExportFormat } from './exports';
import type { MonthlySummary } from './summary';

type Job = { job: 'exports' };
type Ask = { id: number; format: ExportFormat; summary: MonthlySummary };
type Answer = { id: number; bytes: Uint8Array } | { id: number; error: string };

/** Has the summary's files written in a worker from now on. */
export function startExportWorker(): void {
	if (!import.meta.url.endsWith('.js')) return;
	let worker: Worker | null = null;
	let asked = 0;
	const waiting = new Map<number, { resolve: (bytes: Buffer) => void; reject: (error: Error) => void }>();
	const start = () => {
		const started = new Worker(new URL(import.meta.url), { workerData: { job: 'exports' } satisfies Job });
		started.unref();
		started.on('message', (answer: Answer) => {
			const asker = waiting.get(answer.id);
			waiting.delete(answer.id);
			if ('bytes' in answer) asker?.resolve(Buffer.from(answer.bytes.buffer, answer.bytes.byteOffset, answer.bytes.byteLength));
			else asker?.reject(new Error(answer.error));
		});
		// A worker that failed or ended: the files asked of it are written in their requests, the next starts another.
		const lost = (error: Error) => {
			if (worker === started) worker = null;
			for (const asker of waiting.values()) asker.reject(error);
			waiting.clear();
		};
		started.on('error', lost);
		started.on('exit', (code) => lost(new Error(`the worker ended (${code})`)));
		return started;
	};
	renderExportsWith(
		(format, summary) =>
			new Promise((resolve, reject) => {
				worker ??= start();
				const id = ++asked;
				waiting.set(id, { resolve, reject });
				worker.postMessage({ id, format, summary } satisfies Ask);
			})
	);
	beforeDatabaseCloses(async () => {
		renderExportsWith(null);
		await worker?.terminate();
	});
}

// In the worker: each file written as the request would have written it, its bytes handed back (moved, not copied).
if (!isMainThread && (workerData as Job | undefined)?.job === 'exports') {
	parentPort!.on('message', async ({ id, format, summary }: Ask) => {
		try {
			const bytes = await renderHere(format, summary);
			const moved = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
			parentPort!.postMessage(
				{ id, bytes: moved } satisfies Answer,
				bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer as ArrayBuffer] : []
			);
		} catch (error) {
			parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies Answer);
		}
	});
}
