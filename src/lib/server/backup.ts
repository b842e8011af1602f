/**
 * Backups: an online copy of the database taken while it is in use (SQLite's backup API, through
 * better-sqlite3), and its restore into place. A restore replaces a database file, so it refuses to
 * overwrite an existing one unless told to.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { databasePath, type Db } from './db';

/** A refusal of a backup or restore, with a one-line reason. */
export class BackupError extends Error {}

/** better-sqlite3's largest step: every page left, whatever the database has grown to. */
const ALL_PAGES = 0x7fffffff;

export async function backupTo(db: Db, file: string): Promise<{ pages: number }> {
	if (existsSync(file)) throw new BackupError(`${file} exists already; choose a new file for the backup`);
	// SQLite restarts a stepwise backup whenever another connection writes to the source, so under
	// steady writes a backup in small steps may never end. After the first step, copy the rest in
	// one step: it reads one consistent snapshot, and in WAL mode writers go on meanwhile.
	const result = await db.$client.backup(file, { progress: () => ALL_PAGES });
	return { pages: result.totalPages };
}

/** Checks that `file` is a sound SQLite database of this application. */
export function checkBackup(file: string): void {
	const client = new Database(file, { readonly: true, fileMustExist: true });
	try {
		const integrity = client.pragma('integrity_check', { simple: true });
		if (integrity !== 'ok') throw new BackupError(`${file} fails the integrity check: ${integrity}`);
		const tables = client.prepare(`SELECT count(*) FROM sqlite_master WHERE name IN ('initiative', 'change_log')`).pluck().get();
		if (tables !== 2) throw new BackupError(`${file} is not a database of this application`);
	} finally {
		client.close();
	}
}

/**
 * Puts the backup `file` in place of the database at `url`. The server must be stopped first: with
 * `force` false, an existing database is never overwritten.
 */
export function restoreFrom(file: string, url: string, force: boolean): string {
	checkBackup(file);
	const target = databasePath(url);
	if (existsSync(target) && !force) {
		throw new BackupError(`${target} exists; stop the server, then restore with --force to replace it`);
	}
	for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
	copyFileSync(file, target);
	return target;
}
