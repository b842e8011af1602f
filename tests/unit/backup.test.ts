import Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupError, backupTo, checkBackup, fileProblems, liveApiKeys, restoreFrom } from '$lib/server/backup';
import { resetFeed } from '$lib/server/calendar-feed';
import { issueToken } from '$lib/server/api/tokens';
import { eq } from 'drizzle-orm';
import { openDatabase } from '$lib/server/db';
import { attachment, changeLog, initiative } from '$lib/server/db/schema';
import { blobPath, filesDir, filesDirOf } from '$lib/server/evidence/store';
import { seedIfEmpty } from '$lib/server/seed';
import { countRows, FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';

let t: TempDb;
beforeAll(() => {
	t = tempDatabase();
	// The demo: it holds an evidence file, which the backup must carry.
	seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW });
});
afterAll(() => t.close());

describe('backup and restore', () => {
	it('archives the database, copied while it is open, with every evidence file it refers to', async () => {
		const file = join(t.dir, 'backup.tar');
		expect((await backupTo(t.db, file)).files).toBe(1);
		expect(await checkBackup(file)).toEqual({ files: 1 });
		// It holds what the database holds (password hashes, the relay's password): its owner's only.
		expect(statSync(file).mode & 0o777).toBe(0o600);
		const entries: string[] = [];
		await tar.list({ file, onReadEntry: (e) => entries.push(e.path) });
		const sha = t.db.select().from(attachment).get()!.sha256;
		expect(entries).toContain('database.db');
		expect(entries.some((e) => e.endsWith(sha))).toBe(true);
		await expect(backupTo(t.db, file)).rejects.toBeInstanceOf(BackupError);
	});

	it('restores the database and its files into an empty place, and replaces an existing database only when forced', async () => {
		const file = join(t.dir, 'backup2.tar');
		await backupTo(t.db, file);
		const target = join(t.dir, 'restored', 'suzhou.db');
		expect(await restoreFrom(file, target, false)).toBe(target);
		const restored = openDatabase(target);
		expect(countRows(restored, initiative)).toBe(40);
		expect(countRows(restored, changeLog)).toBe(countRows(t.db, changeLog));
		expect(fileProblems(target, filesDirOf(target))).toEqual([]);
		expect(existsSync(blobPath(filesDir(restored), restored.select().from(attachment).get()!.sha256))).toBe(true);
		restored.$client.close();
		await expect(restoreFrom(file, target, false)).rejects.toThrow(/--force/);
		await expect(restoreFrom(file, target, true)).resolves.toBe(target);
		// Never under a running server, even forced: the server would go on writing to the file replaced.
		const running = openDatabase(target);
		await expect(restoreFrom(file, target, true)).rejects.toThrow(/open in a running server/);
		expect(countRows(running, initiative)).toBe(40);
		running.$client.close();
		await expect(restoreFrom(file, target, true)).resolves.toBe(target);
	});

	it('refuses an archive whose file does not match its hash, and a file that is not a database of this application', async () => {
		const sha = t.db.select().from(attachment).get()!.sha256;
		const staging = join(t.dir, 'forged');
		mkdirSync(staging);
		const db = join(staging, 'database.db');
		await backupTo(t.db, join(t.dir, 'good.tar'));
		await tar.extract({ file: join(t.dir, 'good.tar'), cwd: staging });
		writeFileSync(blobPath(join(staging, 'files'), sha), 'not the picture');
		await tar.create({ file: join(t.dir, 'forged.tar'), cwd: staging }, ['database.db', 'files']);
		expect(existsSync(db)).toBe(true);
		await expect(checkBackup(join(t.dir, 'forged.tar'))).rejects.toThrow(/does not match its hash/);

		const other = join(t.dir, 'other.db');
		const client = new Database(other);
		client.exec('CREATE TABLE x (y)');
		client.close();
		await expect(restoreFrom(other, join(t.dir, 'nowhere.db'), false)).rejects.toThrow(/not a database of this application/);
	});

	it('refuses a database of a newer version, and an archive it cannot read, in one line and leaving nothing behind', async () => {
		const { readdirSync, readFileSync } = await import('node:fs');
		const { tmpdir } = await import('node:os');
		const leftovers = () => readdirSync(tmpdir()).filter((name) => name.startsWith('suzhou-restore-')).length;
		const before = leftovers();
		const newer = join(t.dir, 'newer.db');
		await backupTo(t.db, newer.replace(/\.db$/, '.tar'));
		const staging = join(t.dir, 'newer');
		mkdirSync(staging);
		await tar.extract({ file: newer.replace(/\.db$/, '.tar'), cwd: staging });
		const client = new Database(join(staging, 'database.db'));
		client.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('f'.repeat(64), Date.parse('2100-01-01'));
		client.close();
		await tar.create({ file: join(t.dir, 'newer2.tar'), cwd: staging }, ['database.db']);
		await expect(restoreFrom(join(t.dir, 'newer2.tar'), join(t.dir, 'n.db'), false)).rejects.toThrow(/newer version.*2100-01-01/);
		// Nor does the server open it (its pages would all fail while /health said ok).
		expect(() => openDatabase(join(staging, 'database.db'))).toThrow(/更新版本.*2100-01-01/);

		const whole = readFileSync(join(t.dir, 'good.tar'));
		writeFileSync(join(t.dir, 'truncated.tar'), whole.subarray(0, Math.floor(whole.length / 2) + 100));
		await expect(restoreFrom(join(t.dir, 'truncated.tar'), join(t.dir, 't.db'), false)).rejects.toBeInstanceOf(BackupError);
		expect(existsSync(join(t.dir, 't.db'))).toBe(false);
		expect(leftovers()).toBe(before);
	});

	it('ends the sessions and closes the calendar feeds the backup held: one signed out or closed since is not valid again; API keys are counted', async () => {
		const file = join(t.dir, 'sessions.tar');
		const { apiToken, calendarFeed, session, user } = await import('$lib/server/db/schema');
		const someone = t.db.select().from(user).get()!;
		const at = FIXED_NOW.toISOString();
		t.db.insert(session).values({ id: 'held-by-the-backup', userId: someone.id, createdAt: at, lastSeenAt: at }).run();
		resetFeed(t.db, someone, 'personal', at);
		const key = issueToken(t.db, { name: '大数据平台', unitId: null, expiresOn: '2027-06-30' }, { at, actorId: someone.id, address: null });
		await backupTo(t.db, file);
		const target = join(t.dir, 'sessions', 'suzhou.db');
		await restoreFrom(file, target, false);
		const restored = openDatabase(target);
		expect(countRows(restored, session)).toBe(0);
		expect(countRows(restored, calendarFeed)).toBe(0);
		expect(countRows(restored, initiative)).toBe(40);
		expect(restored.select().from(apiToken).where(eq(apiToken.id, key.id)).get()?.revokedAt).toBeNull();
		expect(liveApiKeys(restored)).toBe(countRows(restored, apiToken));
		restored.$client.close();
	});
});
