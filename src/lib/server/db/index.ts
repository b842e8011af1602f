/**
 * The database connection: opens the SQLite file with the pragmas this application relies on and
 * applies the committed migrations. One connection per process; SQLite serialises the writes.
 */
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** A transaction or the connection itself: what every query and command takes. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;

/** The database could not be opened or written; `message` names the path, in one line. */
export class DatabaseOpenError extends Error {
	constructor(
		readonly path: string,
		cause: unknown
	) {
		const reason = cause instanceof Error ? cause.message : String(cause);
		super(`无法创建或写入数据库文件 (cannot create or write the database): ${path} — ${reason}`);
		this.name = 'DatabaseOpenError';
	}
}

/**
 * The database was written by a newer version of this application: it has a migration this version's
 * migrations folder lacks, so its tables are not those this code reads (every page would fail while
 * /health said ok). Opened neither by the server nor by a restore.
 */
export class NewerDatabaseError extends DatabaseOpenError {
	constructor(path: string, migratedOn: string) {
		super(path, null);
		this.message = `数据库由更新版本的程序写入（${migratedOn} 的迁移本版本没有），请用该版本或更新的版本打开 (the database was written by a newer version of this application: its migration of ${migratedOn} is unknown to this one): ${path}`;
		this.name = 'NewerDatabaseError';
	}
}

/** The day (UTC) of the newest migration the database at `client` has and this version lacks, or null. */
export function unknownMigration(client: Database.Database): string | null {
	const known = Math.max(0, ...readMigrationFiles({ migrationsFolder: migrationsFolder() }).map((m) => m.folderMillis));
	const table = client.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'`).get();
	if (!table) return null;
	const newest = client.prepare('SELECT max(created_at) FROM __drizzle_migrations').pluck().get() as number | null;
	return newest !== null && Number(newest) > known ? new Date(Number(newest)).toISOString().slice(0, 10) : null;
}

/** `file:./data/x.db`, `./data/x.db` and `:memory:` are all accepted. */
export function databasePath(url: string): string {
	const path = url.startsWith('file:') ? url.slice('file:'.length) : url;
	return path === ':memory:' ? path : resolve(path);
}

export function migrationsFolder(): string {
	return resolve(process.env.MIGRATIONS_DIR ?? 'migrations');
}

/**
 * Opens (creating if needed) the database at `url` and migrates it to the latest schema.
 * Throws DatabaseOpenError when the file cannot be created or written.
 */
export function openDatabase(url: string): Db {
	const path = databasePath(url);
	let client: Database.Database;
	try {
		if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
		client = new Database(path);
		// WAL lets readers go on while one writer commits; FULL makes every acknowledged commit
		// durable across a power loss, which a record of the city's commitments needs.
		client.pragma('journal_mode = WAL');
		client.pragma('synchronous = FULL');
		client.pragma('foreign_keys = ON');
		client.pragma('busy_timeout = 5000');
	} catch (error) {
		throw new DatabaseOpenError(path, error);
	}
	const newer = unknownMigration(client);
	if (newer) {
		client.close();
		throw new NewerDatabaseError(path, newer);
	}
	const db = drizzle(client, { schema }) as Db;
	// Every transaction takes the write lock as it begins (BEGIN IMMEDIATE), waiting its turn up to the
	// busy timeout. A deferred one that read and then wrote failed at once (SQLITE_BUSY, which SQLite
	// does not wait on) when another connection had written meanwhile: the month keeper's worker, or
	// the command line, made a unit's report a 500.
	const deferred = db.transaction.bind(db);
	db.transaction = ((run, config) => deferred(run, { behavior: 'immediate', ...config })) as Db['transaction'];
	try {
		migrate(db, { migrationsFolder: migrationsFolder() });
	} catch (error) {
		client.close();
		const code = (error as { code?: string }).code ?? '';
		if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN') {
			throw new DatabaseOpenError(path, error);
		}
		throw error;
	}
	return db;
}

/**
 * A query built and prepared once per connection (or transaction), then reused: for the queries
 * every request runs, where drizzle's building and SQLite's preparing cost as much as the answer.
 */
export function preparedOnce<Q>(prepare: (db: Tx) => Q): (db: Tx) => Q {
	const prepared = new WeakMap<Tx, Q>();
	return (db) => {
		let query = prepared.get(db);
		if (!query) prepared.set(db, (query = prepare(db)));
		return query;
	};
}
