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
import { isMainThread, workerData } from 'node:worker_threads';
import { beforeDatabaseCloses } from '../app-db';
import { answerQuestions, askWorker } from '../worker-questions';
import { renderExportsWith, renderHere, type ExportFormat } from './exports';
import type { MonthlySummary } from './summary';

type Job = { job: 'exports' };
type Ask = { format: ExportFormat; summary: MonthlySummary };

/** Has the summary's files written in a worker from now on. */
export function startExportWorker(): void {
	if (!import.meta.url.endsWith('.js')) return;
	const worker = askWorker<Ask, Uint8Array>(new URL(import.meta.url), { job: 'exports' } satisfies Job);
	renderExportsWith(async (format, summary) => {
		const bytes = await worker.ask({ format, summary });
		return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	});
	beforeDatabaseCloses(async () => {
		renderExportsWith(null);
		await worker.stop();
	});
}

// In the worker: each file written as the request would have written it, its bytes moved back (not
// copied) when they fill their own memory.
if (!isMainThread && (workerData as Job | undefined)?.job === 'exports')
	answerQuestions<Ask, Uint8Array>(
		({ format, summary }) => renderHere(format, summary),
		(bytes) => (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer as ArrayBuffer] : [])
	);
