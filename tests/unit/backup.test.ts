import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupError, backupTo, checkBackup, restoreFrom } from '$lib/server/backup';
import { openDatabase } from '$lib/server/db';
import { changeLog, initiative } from '$lib/server/db/schema';
import { seedIfEmpty } from '$lib/server/seed';
import { countRows, FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';

let t: TempDb;
beforeAll(() => {
	t = tempDatabase();
	seedIfEmpty(t.db, { dataset: 'lecture', now: FIXED_NOW });
});
afterAll(() => t.close());

describe('backup and restore', () => {
	it('copies the database while it is open, and the copy passes the integrity check', async () => {
		const file = join(t.dir, 'backup.db');
		await backupTo(t.db, file);
		expect(() => checkBackup(file)).not.toThrow();
		const copy = new Database(file, { readonly: true });
		expect(copy.prepare('SELECT count(*) FROM initiative').pluck().get()).toBe(40);
		copy.close();
		await expect(backupTo(t.db, file)).rejects.toBeInstanceOf(BackupError);
	});

	it('restores into an empty place, and replaces an existing database only when forced', async () => {
		const file = join(t.dir, 'backup2.db');
		await backupTo(t.db, file);
		const target = join(t.dir, 'restored.db');
		expect(restoreFrom(file, target, false)).toBe(target);
		const restored = openDatabase(target);
		expect(countRows(restored, initiative)).toBe(40);
		expect(countRows(restored, changeLog)).toBe(countRows(t.db, changeLog));
		restored.$client.close();
		expect(() => restoreFrom(file, target, false)).toThrow(/--force/);
		expect(() => restoreFrom(file, target, true)).not.toThrow();
	});

	it('refuses a file that is not a database of this application', () => {
		const other = join(t.dir, 'other.db');
		const client = new Database(other);
		client.exec('CREATE TABLE x (y)');
		client.close();
		expect(() => restoreFrom(other, join(t.dir, 'nowhere.db'), false)).toThrow(/not a database of this application/);
	});
});
