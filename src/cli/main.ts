/**
 * The command line: `npm run cli -- <command> [options]`. It works on the database named by
 * DATABASE_URL (default data/suzhou.db), migrating it first like the server does.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { suzhouToday } from '$lib/dates';
import { CatalogueError } from '$lib/server/catalogue';
import { exportCatalogue } from '$lib/server/catalogue-export';
import { readConfig } from '$lib/server/config';
import { DatabaseOpenError, openDatabase } from '$lib/server/db';
import { datasets, seedIfEmpty, seededDataset, type Dataset } from '$lib/server/seed';

const usage = `Usage: npm run cli -- <command> [options]

Commands:
  init [--dataset demo|lecture]          create, migrate and load an empty database
  export --format json [--out FILE]      print the catalogue with every item (or write it to FILE)

Environment: DATABASE_URL (data/suzhou.db), DATASET (demo).`;

class UsageError extends Error {}

const formats = ['json'] as const;

function run(argv: string[]): void {
	const [command, ...rest] = argv;
	const { values } = parseArgs({
		args: rest,
		options: {
			format: { type: 'string' },
			out: { type: 'string' },
			dataset: { type: 'string' },
			help: { type: 'boolean', short: 'h' }
		}
	});
	if (!command || command === 'help' || values.help) {
		console.log(usage);
		return;
	}
	const config = readConfig();
	switch (command) {
		case 'init': {
			const dataset = (values.dataset ?? config.dataset) as Dataset;
			if (!datasets.includes(dataset)) throw new UsageError(`--dataset must be one of: ${datasets.join(', ')}`);
			const db = openDatabase(config.databaseUrl);
			const loaded = seedIfEmpty(db, { dataset });
			console.log(
				loaded
					? `${config.databaseUrl}: loaded ${loaded.items} items (${loaded.dataset})`
					: `${config.databaseUrl}: already holds data (${seededDataset(db)}); nothing loaded`
			);
			return;
		}
		case 'export': {
			const format = values.format ?? 'json';
			if (!(formats as readonly string[]).includes(format)) {
				throw new UsageError(`--format must be one of: ${formats.join(', ')}`);
			}
			const db = openDatabase(config.databaseUrl);
			seedIfEmpty(db, { dataset: config.dataset });
			const text = `${JSON.stringify(exportCatalogue(db, suzhouToday()), null, 2)}\n`;
			if (values.out) writeFileSync(values.out, text);
			else process.stdout.write(text);
			return;
		}
		default:
			throw new UsageError(`unknown command "${command}"`);
	}
}

try {
	run(process.argv.slice(2));
} catch (error) {
	if (error instanceof DatabaseOpenError || error instanceof CatalogueError) {
		console.error(error.message);
		process.exit(1);
	}
	const argError = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
	if (error instanceof UsageError || argError) {
		console.error(`${(error as Error).message}\n\n${usage}`);
		process.exit(2);
	}
	throw error;
}
