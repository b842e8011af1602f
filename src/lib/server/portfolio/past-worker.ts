/**
 * Views of the past computed in a worker thread (往日视图), so that a leader's look at a day nobody
 * looked at before does not hold the server: the city as of a final instant is rebuilt from the
 * history on a connection of the worker's own (nothing written from now on can reach a final
 * instant, so what it reads cannot change under it) and handed back to be kept (`pastViewReady`).
 * One worker, started at the first such look and kept for the next, one view at a time. Only the
 * built server starts it (in development the module is TypeScript, which a worker cannot load; there
 * a view is computed in the request). Imported by the server's start alone: this module is the file
 * its worker runs, kept apart from the server's own, as the month keeper's is.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { CalendarDate } from '$lib/dates';
import { beforeDatabaseCloses } from '../app-db';
import { databasePath, openDatabase } from '../db';
import { computePastViewsWith, evaluatedPortfolio, type EvaluatedCity } from '../portfolio';

type Job = { job: 'past-views'; databaseUrl: string };
type Ask = { id: number; instant: string; date: CalendarDate };
type Answer = { id: number; city: EvaluatedCity } | { id: number; error: string };

/** Has views of the past computed in a worker from now on (`databaseUrl`: the worker opens its own connection on it). */
export function startPastViews(databaseUrl: string): void {
	// (A database in memory is the server's own: another connection would see another one.)
	if (!import.meta.url.endsWith('.js') || databasePath(databaseUrl) === ':memory:') return;
	let worker: Worker | null = null;
	let asked = 0;
	const waiting = new Map<number, { resolve: (city: EvaluatedCity) => void; reject: (error: Error) => void }>();
	const start = () => {
		const started = new Worker(new URL(import.meta.url), { workerData: { job: 'past-views', databaseUrl } satisfies Job });
		started.unref();
		started.on('message', (answer: Answer) => {
			const asker = waiting.get(answer.id);
			waiting.delete(answer.id);
			if ('city' in answer) asker?.resolve(answer.city);
			else asker?.reject(new Error(answer.error));
		});
		// A worker that failed or ended: the views asked of it are computed in their requests, the next starts another.
		const lost = (error: Error) => {
			if (worker === started) worker = null;
			for (const asker of waiting.values()) asker.reject(error);
			waiting.clear();
		};
		started.on('error', lost);
		started.on('exit', (code) => lost(new Error(`the worker ended (${code})`)));
		return started;
	};
	computePastViewsWith(
		(instant, date) =>
			new Promise((resolve, reject) => {
				worker ??= start();
				const id = ++asked;
				waiting.set(id, { resolve, reject });
				worker.postMessage({ id, instant, date } satisfies Ask);
			})
	);
	beforeDatabaseCloses(async () => {
		computePastViewsWith(null);
		await worker?.terminate();
	});
}

// In the worker: each view asked for on a connection of its own, closed after it, so that the worker
// keeps nothing of one view while computing the next (a view at 20,000 items is some hundreds of MB).
if (!isMainThread && (workerData as Job | undefined)?.job === 'past-views') {
	const { databaseUrl } = workerData as Job;
	parentPort!.on('message', ({ id, instant, date }: Ask) => {
		const db = openDatabase(databaseUrl);
		let answer: Answer;
		try {
			answer = { id, city: evaluatedPortfolio(db, instant, date) };
		} catch (error) {
			answer = { id, error: error instanceof Error ? error.message : String(error) };
		} finally {
			db.$client.close();
		}
		parentPort!.postMessage(answer);
	});
}
