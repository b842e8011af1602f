/**
 * The server's one database connection, opened and loaded when the server starts (hooks `init`).
 */
import { readConfig } from './config';
import { openDatabase, type Db } from './db';
import { seedIfEmpty, seededDataset, type Dataset } from './seed';

let current: { db: Db; dataset: Dataset } | null = null;
const beforeClose: (() => Promise<void>)[] = [];

/** Runs `finish` at shutdown before the connection is closed. */
export function beforeDatabaseCloses(finish: () => Promise<void>): void {
	beforeClose.push(finish);
}

/** Opens and migrates the database, loads it if it is empty; returns a line for the console. */
export function startDatabase(): string {
	const config = readConfig();
	const db = openDatabase(config.databaseUrl);
	const loaded = seedIfEmpty(db, { dataset: config.dataset });
	const dataset = seededDataset(db) ?? config.dataset;
	current = { db, dataset };
	// adapter-node emits this after SIGTERM/SIGINT once requests in flight have finished:
	// close the connection so the WAL is checkpointed and the file left clean.
	// Services writing in the background (the notification sender) finish their step first.
	(process as NodeJS.EventEmitter).once('sveltekit:shutdown', () => {
		void Promise.allSettled(beforeClose.map((finish) => finish())).then(() => db.$client.close());
	});
	return loaded
		? `Database ${config.databaseUrl}: loaded ${loaded.items} items (${loaded.dataset === 'demo' ? 'with demo data' : 'lecture only'})`
		: `Database ${config.databaseUrl}: ${dataset === 'demo' ? 'demo data' : 'real data'}`;
}

export function appDb(): Db {
	if (!current) startDatabase();
	return current!.db;
}

/** Whether the database holds the demo dataset (演示数据), which every page must say. */
export function isDemo(): boolean {
	if (!current) startDatabase();
	return current!.dataset === 'demo';
}
