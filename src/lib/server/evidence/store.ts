/**
 * Where evidence files live: beside the database, in a folder named after it (`data/suzhou.db` keeps
 * its files in `data/suzhou-files/`), each by its SHA-256 (`sha256/ab/abcdef…`), written once and
 * never changed; uploads arrive in `incoming/`
 * first and are moved in whole (a rename on the same disk), so a file in the store is never partial.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Db } from '../db';

/** The folder of the files of the database `db` (a file database; tests and the server use one). */
export function filesDir(db: Pick<Db, '$client'>): string {
	return filesDirOf(db.$client.name);
}

/** The files' folder of the database file at `path`. */
export function filesDirOf(path: string): string {
	return join(dirname(path), `${basename(path).replace(/\.(db|sqlite3?)$/i, '')}-files`);
}

export function incomingDir(db: Pick<Db, '$client'>): string {
	const dir = join(filesDir(db), 'incoming');
	mkdirSync(dir, { recursive: true });
	return dir;
}

export function blobPath(root: string, sha256: string): string {
	if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
	return join(root, 'sha256', sha256.slice(0, 2), sha256);
}

/**
 * Moves an uploaded file into the store under its hash. Returns whether it was new: a file already
 * there (the same bytes uploaded before) is kept as it is and the upload dropped.
 */
export function putBlob(root: string, tempPath: string, sha256: string): { path: string; created: boolean } {
	const path = blobPath(root, sha256);
	if (existsSync(path)) {
		rmSync(tempPath, { force: true });
		return { path, created: false };
	}
	mkdirSync(dirname(path), { recursive: true });
	renameSync(tempPath, path);
	return { path, created: true };
}
