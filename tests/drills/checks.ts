/**
 * What every drill checks of the database it leaves: SQLite's own integrity check, references
 * intact, and the record whole: every live row equal to the last entry of its history (so no
 * write landed without its history row), and no approved report whose milestones were not applied.
 */
import Database from 'better-sqlite3';
import { getTableName } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { rowsAsOf } from '$lib/server/as-of';
import * as schema from '$lib/server/db/schema';
import { trackedTables } from '$lib/server/history';

export function openReadOnly(path: string): Database.Database {
	const client = new Database(path, { readonly: true, fileMustExist: true });
	client.pragma('busy_timeout = 5000');
	return client;
}

/**
 * Problems found, in words; empty when the database is sound. With `references: false`, only
 * SQLite's integrity check (for made-up rows whose references and history point nowhere).
 */
export function databaseProblems(path: string, { references = true } = {}): string[] {
	const client = openReadOnly(path);
	try {
		const problems: string[] = [];
		const integrity = client.pragma('integrity_check', { simple: true });
		if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
		if (!references) return problems;
		const orphans = client.pragma('foreign_key_check') as unknown[];
		if (orphans.length) problems.push(`foreign_key_check: ${orphans.length} rows with a broken reference`);
		const unapplied = client
			.prepare(
				`SELECT count(*) FROM report_milestone rm
				 JOIN progress_report r ON r.id = rm.report_id
				 JOIN milestone m ON m.id = rm.milestone_id
				 WHERE r.status = 'approved' AND m.completed_on IS NULL AND m.removed_at IS NULL`
			)
			.pluck()
			.get() as number;
		if (unapplied) problems.push(`${unapplied} milestones of approved reports not applied`);
		problems.push(...historyMismatches(client));
		return problems;
	} finally {
		client.close();
	}
}

/** Tables whose live rows differ from the rows rebuilt from their history at this instant. */
function historyMismatches(client: Database.Database): string[] {
	const db = drizzle(client, { schema });
	const now = new Date(Date.now() + 60_000).toISOString();
	const byKey = (rows: object[]) => new Set(rows.map((r) => JSON.stringify(r)));
	const problems: string[] = [];
	for (const table of [...Object.values(trackedTables), schema.initiativeCoUnit]) {
		const live = byKey(db.select().from(table).all());
		const rebuilt = byKey(rowsAsOf(db, table, now));
		const missing = [...live].filter((r) => !rebuilt.has(r)).length;
		const extra = [...rebuilt].filter((r) => !live.has(r)).length;
		if (missing || extra)
			problems.push(`history of ${getTableName(table)}: ${missing} live rows without it, ${extra} rebuilt rows not live`);
	}
	return problems;
}
