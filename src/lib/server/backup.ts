/**
 * Backups: one archive (tar, by node-tar) holding an online copy of the database, taken while it is
 * in use (SQLite's backup API, through better-sqlite3), and every evidence file that copy refers to;
 * checked after it is written (the database's integrity, each file present with the hash it is named
 * by), and restored whole. A restore replaces a database, so it refuses to overwrite an existing one
 * unless told to. A plain database file (a backup made before files existed) still restores.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import {
	closeSync,
	copyFileSync,
	cpSync,
	existsSync,
	linkSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	readFileSync,
	readSync,
	rmSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tar from 'tar';
import { and, gte, isNull } from 'drizzle-orm';
import { suzhouToday } from '$lib/dates';
import { databasePath, unknownMigration, type Db, type Tx } from './db';
import { apiToken } from './db/schema';
import { blobPath, filesDir, filesDirOf } from './evidence/store';

/** A refusal of a backup or restore, with a one-line reason. */
export class BackupError extends Error {}

/** better-sqlite3's largest step: every page left, whatever the database has grown to. */
const ALL_PAGES = 0x7fffffff;
const DATABASE_ENTRY = 'database.db';
const FILES_ENTRY = 'files';

/** The SHA-256 of every evidence file the database at `path` refers to. */
function referencedFiles(path: string): string[] {
	const client = new Database(path, { readonly: true, fileMustExist: true });
	try {
		const table = client.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'attachment'`).pluck().get();
		return table ? (client.prepare('SELECT DISTINCT sha256 FROM attachment').pluck().all() as string[]) : [];
	} finally {
		client.close();
	}
}

/** Links (or, across disks, copies) a file into the staging folder of an archive. */
function place(from: string, to: string) {
	mkdirSync(dirname(to), { recursive: true });
	try {
		linkSync(from, to);
	} catch {
		copyFileSync(from, to);
	}
}

export async function backupTo(db: Db, file: string): Promise<{ pages: number; files: number }> {
	if (existsSync(file)) throw new BackupError(`${file} exists already; choose a new file for the backup`);
	// Readable by its owner only: a backup holds what the database holds (password hashes, the mail
	// relay's password, the robots' secrets). Made empty first, so that it is never readable by others.
	closeSync(openSync(file, 'wx', 0o600));
	const staging = mkdtempSync(join(tmpdir(), 'suzhou-backup-'));
	let written = false;
	try {
		const copy = join(staging, DATABASE_ENTRY);
		// SQLite restarts a stepwise backup whenever another connection writes to the source, so under
		// steady writes a backup in small steps may never end. After the first step, copy the rest in
		// one step: it reads one consistent snapshot, and in WAL mode writers go on meanwhile.
		const result = await db.$client.backup(copy, { progress: () => ALL_PAGES });
		// The files of that snapshot: files are written before the rows that name them, and never removed.
		const shas = referencedFiles(copy);
		for (const sha of shas) place(blobPath(filesDir(db), sha), blobPath(join(staging, FILES_ENTRY), sha));
		await tar.create({ file, cwd: staging, portable: true }, shas.length ? [DATABASE_ENTRY, FILES_ENTRY] : [DATABASE_ENTRY]);
		written = true;
		return { pages: result.totalPages, files: shas.length };
	} finally {
		rmSync(staging, { recursive: true, force: true });
		// A backup that failed leaves no file that looks like one.
		if (!written) rmSync(file, { force: true });
	}
}

function checkDatabase(path: string, shown: string): void {
	const client = new Database(path, { readonly: true, fileMustExist: true });
	try {
		const integrity = client.pragma('integrity_check', { simple: true });
		if (integrity !== 'ok') throw new BackupError(`${shown} fails the integrity check: ${integrity}`);
		const tables = client.prepare(`SELECT count(*) FROM sqlite_master WHERE name IN ('initiative', 'change_log')`).pluck().get();
		if (tables !== 2) throw new BackupError(`${shown} is not a database of this application`);
		const newer = unknownMigration(client);
		if (newer)
			throw new BackupError(
				`${shown} was made by a newer version of this application (its migration of ${newer} is unknown to this one); restore it with that version`
			);
	} catch (e) {
		if (e instanceof BackupError) throw e;
		throw new BackupError(`${shown} is not a database of this application (${(e as Error).message})`);
	} finally {
		client.close();
	}
}

/** Every file the database at `path` refers to, present in `root` with the hash it is named by; the problems found. */
export function fileProblems(path: string, root: string): string[] {
	return referencedFiles(path).flatMap((sha) => {
		const at = blobPath(root, sha);
		if (!existsSync(at)) return [`file ${sha} is missing`];
		const actual = createHash('sha256').update(readFileSync(at)).digest('hex');
		return actual === sha ? [] : [`file ${sha} does not match its hash (${actual})`];
	});
}

/** Whether `file` is a tar archive (its first header says `ustar`), read from its first block only. */
function isArchive(file: string): boolean {
	const header = Buffer.alloc(262);
	const fd = openSync(file, 'r');
	try {
		readSync(fd, header, 0, header.length, 0);
	} finally {
		closeSync(fd);
	}
	return header.subarray(257, 262).toString('latin1') === 'ustar';
}

/** Unpacks an archive into a new temporary folder; the caller removes it. */
async function unpacked(file: string): Promise<string> {
	const dir = mkdtempSync(join(tmpdir(), 'suzhou-restore-'));
	try {
		await tar.extract({ file, cwd: dir, strict: true, filter: (path) => path === DATABASE_ENTRY || path.startsWith(`${FILES_ENTRY}/`) });
		return dir;
	} catch (error) {
		// A truncated archive, or an entry tar refuses (a link out of the folder): nothing is left behind.
		rmSync(dir, { recursive: true, force: true });
		throw new BackupError(`${file} is not a readable backup archive (${(error as Error).message})`);
	}
}

/** Checks that `file` is a sound backup of this application: its database, and every file it names. */
export async function checkBackup(file: string): Promise<{ files: number }> {
	if (!existsSync(file)) throw new BackupError(`${file} does not exist`);
	if (!isArchive(file)) {
		checkDatabase(file, file);
		return { files: 0 };
	}
	const dir = await unpacked(file);
	try {
		const database = join(dir, DATABASE_ENTRY);
		if (!existsSync(database)) throw new BackupError(`${file} holds no database`);
		checkDatabase(database, file);
		const problems = fileProblems(database, join(dir, FILES_ENTRY));
		if (problems.length) throw new BackupError(`${file}: ${problems.slice(0, 3).join('; ')}`);
		return { files: referencedFiles(database).length };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * Puts the backup `file` in place of the database at `url`, and its files beside it. The server must
 * be stopped first: with `force` false, an existing database is never overwritten.
 */
/**
 * Whether another connection has the database open: leaving WAL mode needs every other connection
 * closed, so SQLite refuses it (busy) while a server holds the file. Replaced under a running server,
 * the file lost the writes the server went on acknowledging, or was corrupted by its next checkpoint.
 * A file that is no database (what a restore may be for) is not in use.
 */
function openElsewhere(path: string): boolean {
	let db: Database.Database | null = null;
	try {
		db = new Database(path, { fileMustExist: true, timeout: 0 });
		db.pragma('journal_mode = DELETE');
		return false;
	} catch (error) {
		const code = (error as { code?: string }).code ?? '';
		return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
	} finally {
		db?.close();
	}
}

export async function restoreFrom(file: string, url: string, force: boolean): Promise<string> {
	await checkBackup(file);
	const target = databasePath(url);
	if (existsSync(target) && !force) {
		throw new BackupError(`${target} exists; stop the server, then restore with --force to replace it`);
	}
	if (existsSync(target) && openElsewhere(target)) {
		throw new BackupError(`${target} is open in a running server (or another program); stop it, then restore`);
	}
	for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
	mkdirSync(dirname(target), { recursive: true });
	if (!isArchive(file)) {
		copyFileSync(file, target);
		return endAccessHeld(target);
	}
	const dir = await unpacked(file);
	try {
		copyFileSync(join(dir, DATABASE_ENTRY), target);
		// Files are named by their content: those already there are the same bytes.
		if (existsSync(join(dir, FILES_ENTRY))) cpSync(join(dir, FILES_ENTRY), filesDirOf(target), { recursive: true, force: false });
		return endAccessHeld(target);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * Ends every session and closes every calendar feed the backup held: one signed out, ended or closed
 * after the backup was made (a password changed, a person disabled) would otherwise be valid again.
 * Everyone signs in afresh on the restored data and makes a new feed. API keys are the systems'
 * that call the API, not people's, and are kept: `liveApiKeys` counts them for the restore to say so.
 */
function endAccessHeld(target: string): string {
	const client = new Database(target, { fileMustExist: true });
	try {
		client.prepare('DELETE FROM session').run();
		// A backup older than the feeds has none (its migration comes when the database is next opened).
		if (client.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'calendar_feed'").get())
			client.prepare('DELETE FROM calendar_feed').run();
	} finally {
		client.close();
	}
	return target;
}

/** The API keys neither revoked nor expired in a database: after a restore, a key revoked since the backup was made is live again. */
export function liveApiKeys(db: Tx, today = suzhouToday()): number {
	return db
		.select({ id: apiToken.id })
		.from(apiToken)
		.where(and(isNull(apiToken.revokedAt), gte(apiToken.expiresOn, today)))
		.all().length;
}
