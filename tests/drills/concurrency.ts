/**
 * Concurrency: fifty writers on the same few reports and milestones for thirty seconds. Staff save
 * drafts of ten reports (five items, two months); the office edits the milestones of those items.
 * Each writer reads the version it edits, as an open form does, and sends it back. Nothing may
 * answer 5xx or "database is locked", and every accepted write must have been made on the version
 * it was read at (no silent overwrite); the rest are refused as stale and counted.
 */
import { monthOf, addMonthsToMonth, suzhouToday } from '$lib/dates';
import { copyOfTemplate, drillItems, type DrillItem } from './fixtures';
import { databaseProblems, openReadOnly } from './checks';
import type { Drill } from './drill';
import { AppServer, Client, type Answer } from './server';

const WRITERS = 50;
const OFFICE_WRITERS = 5;
const SECONDS = 30;

type Accepted = { entity: 'progress_report' | 'milestone'; token: string; readVersion: number | null };

export const concurrencyDrill: Drill = async ({ template, dir, port, random }) => {
	const server = new AppServer(copyOfTemplate(template, dir, 'concurrency'), port);
	await server.start();
	const reader = openReadOnly(server.databasePath);
	const items = drillItems(reader).slice(0, 5);
	const thisMonth = monthOf(suzhouToday());
	const months = [addMonthsToMonth(thisMonth, -1), thisMonth];
	const startLog = reader.prepare('SELECT max(id) FROM change_log').pluck().get() as number;
	const reportAt = reader.prepare('SELECT version FROM progress_report WHERE initiative_id = ? AND month = ?').pluck();
	const milestoneById = reader.prepare('SELECT version, title, due_on AS dueOn, weight, position FROM milestone WHERE id = ?');

	const accepted: Accepted[] = [];
	const problems: string[] = [];
	const refused = new Map<number, number>();
	let requests = 0;
	const deadline = performance.now() + SECONDS * 1000;

	const record = (answer: Answer | Error, write: Accepted) => {
		requests++;
		if (answer instanceof Error) problems.push(`request failed: ${answer.message}`);
		else if (answer.status === 303) accepted.push(write);
		else if (answer.status >= 500 || /database is locked|SQLITE_BUSY/i.test(answer.body))
			problems.push(`${answer.status}: ${answer.body.replace(/\s+/g, ' ').slice(0, 160)}`);
		else refused.set(answer.status, (refused.get(answer.status) ?? 0) + 1);
	};

	const staffWriter = async (n: number, item: DrillItem, client: Client) => {
		for (let seq = 0; performance.now() < deadline; seq++) {
			const month = random.pick(months);
			const version = (reportAt.get(item.id, month) as number | undefined) ?? null;
			const token = `cc ${n}-${seq}`;
			const form = { intent: 'draft', version: version === null ? '' : String(version), progress: token, problems: '', nextSteps: '' };
			record(await client.post(`/initiatives/${item.code}/report/${month}`, form).catch((e: Error) => e), {
				entity: 'progress_report',
				token,
				readVersion: version
			});
		}
	};

	const officeWriter = async (n: number, client: Client) => {
		for (let seq = 0; performance.now() < deadline; seq++) {
			const item = random.pick(items);
			const milestoneId = random.pick(item.milestoneIds.slice(0, 3));
			const m = milestoneById.get(milestoneId) as { version: number; dueOn: string; weight: number; position: number };
			const token = `cc ${n}-${seq}`;
			const form = {
				milestoneId: String(milestoneId),
				version: String(m.version),
				title: token,
				dueOn: m.dueOn,
				weight: String(m.weight),
				position: String(m.position)
			};
			record(await client.post(`/initiatives/${item.code}/edit?/updateMilestone`, form).catch((e: Error) => e), {
				entity: 'milestone',
				token,
				readVersion: m.version
			});
		}
	};

	const writers: Promise<void>[] = [];
	for (let n = 0; n < WRITERS; n++) {
		if (n < OFFICE_WRITERS) writers.push(new Client(server).signIn('supervisor').then((c) => officeWriter(n, c)));
		else {
			const item = items[n % items.length];
			writers.push(new Client(server).signIn(item.staff).then((c) => staffWriter(n, item, c)));
		}
	}
	await Promise.all(writers);
	reader.close();
	await server.stop('SIGTERM');

	const overwrites = silentOverwrites(server.databasePath, startLog, accepted);
	problems.push(...overwrites, ...databaseProblems(server.databasePath));
	return {
		drill: `Concurrency (${WRITERS} writers, ${SECONDS} s)`,
		runs: requests,
		problems,
		figures:
			`${requests} writes: ${accepted.length} accepted, refused ${[...refused].map(([status, n]) => `${n} × ${status}`).join(', ') || 'none'}; ` +
			`${overwrites.length ? `${overwrites.length} silent overwrites` : 'every accepted write was made on the version it read'}`
	};
};

/**
 * Each accepted write must appear once in the history, made on the version its writer read, and
 * nothing else may have been written to these records meanwhile.
 */
function silentOverwrites(path: string, startLog: number, accepted: Accepted[]): string[] {
	const client = openReadOnly(path);
	try {
		const changes = client
			.prepare(
				`SELECT entity, action, json_extract(before, '$.version') AS beforeVersion,
				        coalesce(json_extract(after, '$.progress'), json_extract(after, '$.title')) AS token
				 FROM change_log WHERE id > ? AND entity IN ('progress_report', 'milestone')`
			)
			.all(startLog) as { entity: string; action: string; beforeVersion: number | null; token: string }[];
		const byToken = new Map(changes.map((c) => [c.token, c]));
		const problems: string[] = [];
		if (changes.length !== accepted.length) problems.push(`${changes.length} writes in the history for ${accepted.length} accepted`);
		for (const write of accepted) {
			const change = byToken.get(write.token);
			if (!change) problems.push(`accepted write ${write.token} not in the history`);
			else if (change.beforeVersion !== write.readVersion)
				problems.push(`${write.token} was read at version ${write.readVersion} but written over version ${change.beforeVersion}`);
		}
		return problems;
	} finally {
		client.close();
	}
}
