/**
 * The month keeper (月末结存): every closed month's 月报, as the office downloads it (grouped by theme,
 * in Chinese) and as its page shows it, and the city's dashboard as of its end are computed and kept
 * (`kept_view`) as soon as the month is final, in the background, rather than by the first person to
 * open or download them. At 20,000 items computing a month takes some ten seconds of one core
 * (rebuilding the month's end from the history); kept, the first download of any closed month, also
 * after a restart, only writes the file, and nobody's look at an old month holds up the server.
 *
 * Last month first, then back to the first month of the lecture: on a database that has never been
 * kept (the first start after an upgrade, or after a new format of what is kept) the keeper works
 * back through the years, each month kept as it is done, so a restart meanwhile loses at most the
 * month in hand. After that only the month just closed is left to keep, once a month.
 *
 * The computing runs in a worker thread on its own connection, so that the server's event loop goes
 * on answering meanwhile: a month is final (`isFinalMonth`) only when nothing written from now on can
 * reach its last instant, so what the worker reads cannot change under it while others write. It
 * runs a few seconds after the start and is checked again every ten minutes (a month closes at
 * midnight, Suzhou time). Only the built server starts workers (in development the module is
 * TypeScript, which a worker cannot load; there a month is kept at its first look, as it always is
 * when the keeper has not reached it yet).
 */
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { and, eq, inArray } from 'drizzle-orm';
import { noFilters, type DashboardFilters } from '$lib/dashboard-filters';
import { addMonthsToMonth, lastDayOf, monthOf, suzhouToday, type CalendarDate, type Month } from '$lib/dates';
import { baseLocale } from '$lib/paraglide/runtime';
import { beforeDatabaseCloses } from '../app-db';
import { databasePath, openDatabase, type Tx } from '../db';
import { dashboard, dashboardKey } from '../dashboard';
import { keptView } from '../db/schema';
import { inDocumentLanguage } from '../document-language';
import { KEPT_VIEW_FORMAT } from '../kept-views';
import { requestsInFlight } from '../requests-in-flight';
import { FIRST_MONTH } from '$lib/reporting-calendar';
import { isFinalMonth, monthlySummary, summaryKey } from './summary';
import { summaryPage } from './summary-page';

/** What a worker started by the keeper is asked to do (`workerData`). */
type Job = { job: 'keep-months'; databaseUrl: string; months: Month[] };

/** How often the keeper looks for a month that has become final, and when it looks first after the start. */
const CHECK_EVERY_MS = 10 * 60_000;
const FIRST_CHECK_MS = 5_000;
/** While requests are being answered, the keeper looks again this often, for at most this long. */
const WAIT_STEP_MS = 500;
const MAX_WAIT_MS = 60_000;

/** The dashboard as of a month's end, the whole city. */
const monthEnd = (month: Month): DashboardFilters => ({ ...noFilters, asOf: lastDayOf(month) });

/** The views the keeper keeps of `month`, by their keys in `kept_view`. */
function keptKeys(month: Month): string[] {
	return [
		summaryKey('summary', month, 'theme', baseLocale),
		summaryKey('summary-page', month, 'theme', baseLocale),
		dashboardKey(monthEnd(month), baseLocale)
	];
}

/** The closed months that are final and not all kept yet (in this code's format), last month first. */
export function monthsToKeep(db: Tx, today: CalendarDate): Month[] {
	const months: Month[] = [];
	for (let month = addMonthsToMonth(monthOf(today), -1); month >= FIRST_MONTH; month = addMonthsToMonth(month, -1)) months.push(month);
	const kept = new Set(
		db
			.select({ key: keptView.key })
			.from(keptView)
			.where(and(inArray(keptView.key, months.flatMap(keptKeys)), eq(keptView.format, KEPT_VIEW_FORMAT)))
			.all()
			.map((r) => r.key)
	);
	return months.filter((month) => !keptKeys(month).every((key) => kept.has(key)) && isFinalMonth(db, month, today));
}

/**
 * Computes and keeps the 月报 of each of `months` (in the document language, as downloads make it,
 * and as the page shows it), and the city's dashboard as of its end (in Chinese, the interface's
 * first language), which reads the same month's end.
 */
export function keepMonths(db: Tx, months: Month[], today: CalendarDate): void {
	for (const month of months) {
		inDocumentLanguage(() => monthlySummary(db, month, today, 'theme'));
		inDocumentLanguage(() => summaryPage(db, month, today, 'theme'));
		inDocumentLanguage(() => dashboard(db, monthEnd(month), today));
	}
}

/** Starts the keeper beside the server (`db`: the server's connection, for the checks; the worker opens its own on `databaseUrl`). */
export function startMonthKeeper(db: Tx, databaseUrl: string): void {
	// A worker runs this module's built file (see the top level below); the sources are not runnable.
	// (A database in memory is the server's own: another connection would see another one.)
	const runnable = import.meta.url.endsWith('.js') && databasePath(databaseUrl) !== ':memory:';
	let worker: Worker | null = null;
	let waited = 0;
	const check = () => {
		if (worker || !runnable) return;
		// A request being answered (a month's export computing what this would compute beside it) goes
		// first: the keeper looks again in a moment, and after a minute of requests it starts anyway.
		if (requestsInFlight() > 0 && waited < MAX_WAIT_MS) {
			waited += WAIT_STEP_MS;
			setTimeout(check, WAIT_STEP_MS).unref();
			return;
		}
		waited = 0;
		let months: Month[];
		try {
			months = monthsToKeep(db, suzhouToday());
		} catch (error) {
			return console.error('month keeper:', error);
		}
		if (months.length === 0) return;
		const job: Job = { job: 'keep-months', databaseUrl, months };
		worker = new Worker(new URL(import.meta.url), { workerData: job });
		worker.unref();
		// A failure is said and tried again at the next check; the month is kept at its first look meanwhile.
		worker.on('error', (error) => console.error('month keeper:', error));
		worker.on('exit', () => (worker = null));
	};
	// The first look a few seconds after the start, not during it: the worker's loading and computing
	// took a core from the start (3.8 s to the first answer at 20,000 items, against 2.1–2.4 s).
	const first = setTimeout(check, FIRST_CHECK_MS);
	first.unref();
	const timer = setInterval(check, CHECK_EVERY_MS);
	timer.unref();
	// At shutdown a month half kept is left: nothing of it was written, the next start keeps it.
	beforeDatabaseCloses(async () => {
		clearTimeout(first);
		clearInterval(timer);
		await worker?.terminate();
	});
}

// In a worker started by the keeper: keep the months asked for, each on a connection of its own, then
// end. What a connection keeps in memory (portfolios, summaries, pages) goes with it, so the worker
// holds one month's working set at a time: keeping 65 months at 20,000 items on one connection held
// 1.5 GB, against some 500 MB for one month.
if (!isMainThread && (workerData as Job | undefined)?.job === 'keep-months') {
	const job = workerData as Job;
	for (const month of job.months) {
		const db = openDatabase(job.databaseUrl);
		try {
			keepMonths(db, [month], suzhouToday());
		} finally {
			db.$client.close();
		}
	}
}
