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
import { isMainThread, workerData } from 'node:worker_threads';
import type { CalendarDate } from '$lib/dates';
import { beforeDatabaseCloses } from '../app-db';
import { databasePath, openDatabase } from '../db';
import { answerQuestions, askWorker } from '../worker-questions';
import { computePastViewsWith, evaluatedPortfolio, type EvaluatedCity } from '../portfolio';

type Job = { job: 'past-views'; databaseUrl: string };
type Ask = { instant: string; date: CalendarDate };

/** Has views of the past computed in a worker from now on (`databaseUrl`: the worker opens its own connection on it). */
export function startPastViews(databaseUrl: string): void {
	// (A database in memory is the server's own: another connection would see another one.)
	if (!import.meta.url.endsWith('.js') || databasePath(databaseUrl) === ':memory:') return;
	const worker = askWorker<Ask, EvaluatedCity>(new URL(import.meta.url), { job: 'past-views', databaseUrl } satisfies Job);
	computePastViewsWith((instant, date) => worker.ask({ instant, date }));
	beforeDatabaseCloses(async () => {
		computePastViewsWith(null);
		await worker.stop();
	});
}

// In the worker: each view asked for on a connection of its own, closed after it, so that the worker
// keeps nothing of one view while computing the next (a view at 20,000 items is some hundreds of MB).
if (!isMainThread && (workerData as Job | undefined)?.job === 'past-views') {
	const { databaseUrl } = workerData as Job;
	answerQuestions<Ask, EvaluatedCity>(({ instant, date }) => {
		const db = openDatabase(databaseUrl);
		try {
			return evaluatedPortfolio(db, instant, date);
		} finally {
			db.$client.close();
		}
	});
}
