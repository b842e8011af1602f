/**
 * Upgrade: a database created at every earlier migration, with a row in every table, is opened by
 * the production server, which migrates it as it starts; the server must answer, and every row and
 * value must still be there. (`npm test` runs the same check through the start-up function.)
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { databaseAtMigration, earlierMigrations, upgradeLosses } from '../helpers/upgrade';
import { databaseProblems, openReadOnly } from './checks';
import type { Drill } from './drill';
import { AppServer } from './server';

export const upgradeDrill: Drill = async ({ dir, port }) => {
	const problems: string[] = [];
	for (const entry of earlierMigrations) {
		const path = join(dir, `at-${entry.idx}.db`);
		const before = databaseAtMigration(dir, entry.idx, path);
		markLoaded(path); // so that the server keeps the data as it is and loads nothing
		const server = new AppServer(path, port);
		try {
			await server.start();
			const login = await fetch(`${server.base}/login`);
			if (login.status !== 200) problems.push(`from ${entry.tag}: /login answers ${login.status}`);
			await server.stop('SIGTERM');
		} catch (error) {
			problems.push(`from ${entry.tag}: the server did not start (${(error as Error).message.slice(0, 300)})`);
			continue;
		}
		const client = openReadOnly(path);
		problems.push(...upgradeLosses(client, before).map((p) => `from ${entry.tag}: ${p}`));
		client.close();
		// Every table holds one made-up row whose references point nowhere; only SQLite's own check applies.
		problems.push(...databaseProblems(path, { references: false }).map((p) => `from ${entry.tag}: ${p}`));
	}
	return {
		drill: 'Upgrade from every earlier migration',
		runs: earlierMigrations.length,
		problems,
		figures: `${earlierMigrations.map((e) => e.tag.split('_')[0]).join(', ')} → latest, started by the production server`
	};
};

function markLoaded(path: string) {
	const client = new Database(path);
	client.prepare(`INSERT INTO app_meta (key, value) VALUES ('dataset', 'lecture')`).run();
	client.close();
}
