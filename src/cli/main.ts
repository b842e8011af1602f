/**
 * The command line: `npm run cli -- <command> [options]`. It works on the database named by
 * DATABASE_URL (default data/suzhou.db), migrating it first like the server does.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { monthOf, suzhouToday } from '$lib/dates';
import { exportFormats, isExportFormat, renderHere } from '$lib/server/monthly/exports';
import { inDocumentLanguage } from '$lib/server/document-language';
import { FIRST_MONTH } from '$lib/reporting-calendar';
import { hasSummary, monthlySummary } from '$lib/server/monthly/summary';
import { CatalogueError } from '$lib/server/catalogue';
import { exportCatalogue } from '$lib/server/catalogue-export';
import { readConfig } from '$lib/server/config';
import { DatabaseOpenError, openDatabase } from '$lib/server/db';
import { BackupError, backupTo, checkBackup, liveApiKeys, restoreFrom } from '$lib/server/backup';
import { unit } from '$lib/server/db/schema';
import { datasets, seedIfEmpty, seededDataset, type Dataset } from '$lib/server/seed';
import { createUser, newUserSchema, UserChangeError } from '$lib/server/users';
import { generateSynthetic, type SyntheticSize } from '$lib/server/demo/synthetic';
import { eq } from 'drizzle-orm';
import { initiativeIdByCode } from '$lib/server/initiatives';
import { issueSlip, issueSlipsForRedItems } from '$lib/server/workflow/slips';
import { WorkflowError } from '$lib/server/workflow/errors';
import { ExtractError } from '$lib/server/intake/extract';
import { intake, IntakeUsageError } from './intake';

const usage = `Usage: npm run cli -- <command> [options]

Commands:
  init [--dataset demo|lecture]          create, migrate and load an empty database
  export --format json [--out FILE]      print the catalogue with every item (or write it to FILE)
  export --month YYYY-MM --format xlsx|docx|csv|json --out FILE [--group theme|unit]
                                         write that month's summary (月报) as of its last day
  generate --items N --milestones-per-item M --since YYYY-MM
                                         fill an empty database with the demo data and generated
                                         items up to N in all, for benchmarks (deterministic per day)
  slips issue --item CODE [--item CODE ...]
                                         issue the slip (督办单) the rules call for today on each item
  slips issue-red                        issue a red 督办单 to every red item without an open one
                                         (the month's bulk run; prints each number issued)
  intake FILE [--kind speech|minutes|instruction|work_report|proposal|other] [--date YYYY-MM-DD] --format json
                                         the commitments a .txt/.docx/.pdf proposes, as JSON, writing nothing
                                         (--kind meeting = minutes; --date: the document's date, default today);
                                         with --save [--title T] [--speaker S]: store the source and its
                                         proposals for review on /sources
  backup FILE                            one archive of the database, copied while it is in use (online
                                         backup), and every evidence file it refers to; checked after
  restore FILE [--force]                 put a backup in place of the database (stop the server first;
                                         --force replaces an existing database)
  user add --username NAME --role ROLE --password-stdin [--name 姓名] [--unit UNIT_CODE]
                                         create a user, reading the password from standard input
                                         (the first admin of a real deployment: --role admin)

Environment: DATABASE_URL (data/suzhou.db), DATASET (demo).`;

class UsageError extends Error {}

const formats = ['json'] as const;

async function readStdin(): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks)
		.toString('utf8')
		.replace(/\r?\n$/, '');
}

function syntheticSize(values: { items?: string; 'milestones-per-item'?: string; since?: string }): SyntheticSize {
	const whole = (value: string | undefined, name: string, max: number) => {
		if (!value || !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max)
			throw new UsageError(`--${name} must be a whole number from 1 to ${max}`);
		return Number(value);
	};
	const since = values.since ?? FIRST_MONTH;
	if (!hasSummary(since, suzhouToday())) throw new UsageError(`--since must be a month from ${FIRST_MONTH} to this month (YYYY-MM)`);
	return {
		items: whole(values.items, 'items', 100_000),
		milestonesPerItem: whole(values['milestones-per-item'] ?? '10', 'milestones-per-item', 50),
		since
	};
}

async function exportMonth(
	config: ReturnType<typeof readConfig>,
	values: { month?: string; format?: string; out?: string; group?: string }
) {
	const month = values.month ?? '';
	const today = suzhouToday();
	if (!hasSummary(month, today)) {
		throw new UsageError(`--month must be a month from ${FIRST_MONTH} to ${monthOf(today)} (YYYY-MM)`);
	}
	const format = values.format ?? '';
	if (!isExportFormat(format)) throw new UsageError(`--format must be one of: ${Object.keys(exportFormats).join(', ')}`);
	if (!values.out) throw new UsageError('--out FILE is required for a monthly summary');
	if (values.group !== undefined && values.group !== 'theme' && values.group !== 'unit')
		throw new UsageError('--group must be theme or unit');
	const db = openDatabase(config.databaseUrl);
	seedIfEmpty(db, { dataset: config.dataset });
	const summary = inDocumentLanguage(() => monthlySummary(db, month, today, values.group === 'unit' ? 'unit' : 'theme'));
	writeFileSync(values.out, await renderHere(format, summary));
	console.log(`wrote ${values.out} (${month}, ${format})`);
}

async function run(argv: string[]): Promise<void> {
	const [command, ...rest] = argv;
	const { values } = parseArgs({
		allowPositionals: true,
		args: rest,
		options: {
			format: { type: 'string' },
			month: { type: 'string' },
			group: { type: 'string' },
			out: { type: 'string' },
			dataset: { type: 'string' },
			username: { type: 'string' },
			role: { type: 'string' },
			name: { type: 'string' },
			unit: { type: 'string' },
			'password-stdin': { type: 'boolean' },
			force: { type: 'boolean' },
			items: { type: 'string' },
			'milestones-per-item': { type: 'string' },
			since: { type: 'string' },
			item: { type: 'string', multiple: true },
			kind: { type: 'string' },
			date: { type: 'string' },
			save: { type: 'boolean' },
			title: { type: 'string' },
			speaker: { type: 'string' },
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
			if (values.month !== undefined) {
				await exportMonth(config, values);
				return;
			}
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
		case 'generate': {
			const size = syntheticSize(values);
			const started = performance.now();
			const db = openDatabase(config.databaseUrl);
			db.$client.pragma('synchronous = NORMAL'); // a generated database is made again, not recovered
			db.$client.pragma('cache_size = -1048576'); // 1 GiB: the history's index grows past SQLite's default 2 MB
			const result = generateSynthetic(db, size, new Date(), (done, total) => process.stderr.write(`\r${done} / ${total} items generated`));
			const count = (table: string) => db.$client.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
			console.log(
				`\n${config.databaseUrl}: ${result.items} items, ${result.units} units, ${count('milestone')} milestones, ` +
					`${count('progress_report')} reports, ${count('change_log')} history rows in ${((performance.now() - started) / 1000).toFixed(0)} s`
			);
			db.$client.close();
			return;
		}
		case 'slips': {
			const db = openDatabase(config.databaseUrl);
			seedIfEmpty(db, { dataset: config.dataset });
			const today = suzhouToday();
			const ctx = { at: new Date().toISOString(), actorId: null, actorLabel: 'cli', actor: { system: 'cli' } };
			if (rest[0] === 'issue-red') {
				const { issued, alreadyOpen } = issueSlipsForRedItems(db, ctx, today);
				for (const slip of issued) console.log(slip.number);
				console.log(`issued ${issued.length} red slips; ${alreadyOpen} red items already had an open one`);
				return;
			}
			if (rest[0] !== 'issue' || !values.item?.length)
				throw new UsageError('usage: slips issue --item CODE [--item CODE ...] | slips issue-red');
			for (const code of values.item) {
				const id = initiativeIdByCode(db, code);
				if (id === null) throw new UsageError(`no item with code "${code}"`);
				console.log(`${code} ${issueSlip(db, { initiativeId: id }, { ...ctx, at: new Date().toISOString() }, today).number}`);
			}
			return;
		}
		case 'intake': {
			process.stdout.write(
				await intake(
					rest.find((a) => !a.startsWith('--')),
					values,
					config
				)
			);
			return;
		}
		case 'backup': {
			if (!rest[0] || rest[0].startsWith('--')) throw new UsageError('usage: backup FILE');
			const { pages, files } = await backupTo(openDatabase(config.databaseUrl), rest[0]);
			await checkBackup(rest[0]);
			console.log(`backed up ${config.databaseUrl} to ${rest[0]} (${pages} pages and ${files} evidence files; integrity and hashes ok)`);
			return;
		}
		case 'restore': {
			if (!rest[0] || rest[0].startsWith('--')) throw new UsageError('usage: restore FILE [--force]');
			const target = await restoreFrom(rest[0], config.databaseUrl, values.force ?? false);
			const restored = openDatabase(target); // migrates an older backup to the current schema
			const keys = liveApiKeys(restored);
			restored.$client.close();
			console.log(`restored ${rest[0]} to ${target}; every session ended and every calendar feed closed`);
			if (keys)
				console.log(
					`${keys} API key(s) live in the restored data: a key revoked after the backup was made is live again; review them at /admin/api`
				);
			return;
		}
		case 'user': {
			if (rest[0] !== 'add') throw new UsageError('usage: user add --username NAME --role ROLE --password-stdin');
			if (!values['password-stdin'])
				throw new UsageError('give the password on standard input with --password-stdin (never on the command line)');
			const db = openDatabase(config.databaseUrl);
			seedIfEmpty(db, { dataset: config.dataset });
			const unitId = values.unit ? (db.select({ id: unit.id }).from(unit).where(eq(unit.code, values.unit)).get()?.id ?? -1) : null;
			if (unitId === -1) throw new UsageError(`no unit with code "${values.unit}"`);
			const input = newUserSchema.safeParse({
				username: values.username,
				role: values.role,
				displayName: values.name ?? values.username,
				unitId: unitId === null ? '' : String(unitId),
				password: await readStdin()
			});
			if (!input.success) {
				throw new UsageError(input.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('\n'));
			}
			try {
				const created = await createUser(
					db,
					input.data,
					{ at: new Date().toISOString(), actorId: null, actorLabel: 'cli', actor: { system: 'cli' } },
					{ mustChange: false }
				);
				console.log(`created user ${created.username} (${created.role})`);
			} catch (error) {
				if (error instanceof UserChangeError) throw new UsageError(`${error.field}: ${error.message}`);
				throw error;
			}
			return;
		}
		default:
			throw new UsageError(`unknown command "${command}"`);
	}
}

try {
	await run(process.argv.slice(2));
} catch (error) {
	if (
		error instanceof DatabaseOpenError ||
		error instanceof CatalogueError ||
		error instanceof BackupError ||
		error instanceof WorkflowError ||
		error instanceof ExtractError
	) {
		console.error(error.message);
		process.exit(1);
	}
	const argError = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
	if (error instanceof UsageError || error instanceof IntakeUsageError || argError) {
		console.error(`${(error as Error).message}\n\n${usage}`);
		process.exit(2);
	}
	throw error;
}
