/**
 * `intake FILE`: the proposals of a document, printed as JSON, without writing anything (the units
 * and items are read from the database, opened read-only, when there is one); `--save` stores the
 * source and its proposals for review, as the web page does.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { isCalendarDate, suzhouToday } from '$lib/dates';
import { cueLabels } from '$lib/workflow-labels';
import { isSourceKind, type SourceKind } from '$lib/source-kinds';
import { openDatabase, databasePath, type Db } from '$lib/server/db';
import * as schema from '$lib/server/db/schema';
import { extractText } from '$lib/server/intake/extract';
import { addSource, intakeContext } from '$lib/server/intake/intake';
import { propose, type Proposal } from '$lib/server/intake/propose';
import { shippedCalendar } from '$lib/server/working-calendar';
import { seedIfEmpty } from '$lib/server/seed';
import type { ServerConfig as Config } from '$lib/server/config';

export class IntakeUsageError extends Error {}

/** Kinds by their names in the product and the words people type (meeting for minutes). */
const kindAliases: Record<string, SourceKind> = { meeting: 'minutes', report: 'work_report', 'work-report': 'work_report' };

export type IntakeOptions = { kind?: string; date?: string; format?: string; save?: boolean; title?: string; speaker?: string };

export async function intake(file: string | undefined, options: IntakeOptions, config: Config): Promise<string> {
	if (!file)
		throw new IntakeUsageError('usage: intake FILE [--kind KIND] [--date YYYY-MM-DD] --format json [--save --title T --speaker S]');
	if ((options.format ?? 'json') !== 'json') throw new IntakeUsageError('--format must be json');
	const kind = options.kind ? (kindAliases[options.kind] ?? options.kind) : 'speech';
	if (!isSourceKind(kind))
		throw new IntakeUsageError(`--kind must be one of: speech, minutes (meeting), instruction, work_report, proposal, other`);
	const date = options.date ?? suzhouToday();
	if (!isCalendarDate(date)) throw new IntakeUsageError('--date must be a date, YYYY-MM-DD');
	if (!existsSync(file)) throw new IntakeUsageError(`no file ${file}`);
	const text = await extractText(basename(file), readFileSync(file));
	if (options.save) {
		const db = openDatabase(config.databaseUrl);
		seedIfEmpty(db, { dataset: config.dataset });
		const ctx = { at: new Date().toISOString(), actorId: null, actorLabel: 'cli', actor: { system: 'cli' as const } };
		const saved = addSource(
			db,
			{ kind, title: options.title ?? basename(file), speaker: options.speaker ?? '—', deliveredOn: date, body: text },
			ctx
		);
		db.$client.close();
		return `${JSON.stringify({ sourceId: saved.source.id, proposals: saved.proposals })}\n`;
	}
	const proposals = propose({ body: text, kind, date }, readOnlyContext(config));
	return `${JSON.stringify({ text, proposals: proposals.map(asJson) }, null, 2)}\n`;
}

/** The units and items of the database, read without writing (none when there is no database yet). */
function readOnlyContext(config: Config) {
	const path = databasePath(config.databaseUrl);
	if (path === ':memory:' || !existsSync(path)) {
		process.stderr.write(`${config.databaseUrl}: no database, so no units are known; units are reported as written\n`);
		return { units: [], calendar: shippedCalendar() };
	}
	const client = new Database(path, { readonly: true, fileMustExist: true });
	try {
		return intakeContext(drizzle(client, { schema }) as unknown as Db);
	} catch {
		throw new IntakeUsageError(`${config.databaseUrl} is not at the current schema: start the server or run init once`);
	} finally {
		client.close();
	}
}

function asJson(p: Proposal) {
	return {
		quote: p.quote,
		start: p.start,
		end: p.end,
		title: p.title,
		leadUnit: p.lead?.name ?? null,
		coUnits: p.co.map((u) => u.name),
		deadline: p.deadline,
		milestones: p.milestones,
		why: p.why.map((c) => `${cueLabels[c.kind]}：${c.words}`),
		duplicateOf: p.duplicateOf
	};
}
