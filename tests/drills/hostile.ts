/**
 * Hostile input: ten thousand generated requests across every form action (the authorization
 * matrix) and the pages and endpoints that read parameters: wrong types, missing and extra fields,
 * 1 MB strings, invalid and extreme dates, odd Unicode, invalid UTF-8, broken multipart bodies and
 * oversized uploads, from every role and from nobody. Nothing may answer 5xx, and no refused
 * request may change a record (the security log may note it; that is its purpose).
 */
import type Database from 'better-sqlite3';
import { monthOf, suzhouToday } from '$lib/dates';
import type { Random } from '$lib/server/demo/random';
import { accounts, actors, matrix, type Actor } from '../e2e/authorization-matrix';
import { formFields, hostileValues } from '../helpers/hostile';
import { copyOfTemplate } from './fixtures';
import { databaseProblems, openReadOnly } from './checks';
import type { Drill } from './drill';
import { AppServer, Client, type Answer } from './server';

const REQUESTS = 10_000;
const MB = 1024 * 1024;

const values = [
	...Object.values(hostileValues),
	'',
	' ',
	'0',
	'-1',
	'999999999',
	'1e309',
	'NaN',
	'1.5',
	'0x1F',
	'９',
	'2147483648',
	'9007199254740993',
	'true',
	'null',
	'[]',
	'0000-00-00',
	'9999-12-31',
	'275760-09-13',
	'-000001-01-01',
	'2026-13-01',
	'1900-02-29',
	'2026-11-27T25:61:00Z',
	'\ufeff\u200b\u200d',
	'e\u0301'.repeat(500),
	'\u0000'.repeat(64),
	'𠀀𪚥'.repeat(100),
	'../../etc/passwd',
	"' OR 1=1 --",
	'submit',
	'draft',
	'approve',
	'on'
];
const dates = ['2026-02-30', '0000-00-00', '9999-12-31', '2021-07-06', '1970-01-01', 'yesterday', '2026-1-1'];
const codes = ['YRD-02', 'DRL-001', 'NOPE-99', '%00', '..%2F..', 'A'.repeat(300), '%F0%9F%99%82', '%ED%A0%80'];
const ids = ['999999', '0', '-1', 'abc', '1e9', '%20'];

type Target = { method: 'GET' | 'POST'; path: string; actor: Actor | 'anonymous' };

export const hostileDrill: Drill = async ({ template, dir, port, random }) => {
	const server = new AppServer(copyOfTemplate(template, dir, 'hostile'), port);
	await server.start();
	const clients = new Map<Actor, Client>([['anonymous', new Client(server)]]);
	for (const [actor, username] of Object.entries(accounts)) clients.set(actor as Actor, await new Client(server).signIn(username));
	const reader = openReadOnly(server.databasePath);
	const fingerprint = recordsFingerprint(reader);
	const months = [monthOf(suzhouToday()), '2021-07', '9999-12', '0000-00', '2026-13', 'x'];

	const problems: string[] = [];
	const statuses = new Map<string, number>();
	let changedByRefusal = 0;
	let before = fingerprint();
	for (let i = 0; i < REQUESTS; i++) {
		const target = pickTarget(random, months);
		const client = clients.get(target.actor as Actor)!;
		let answer: Answer;
		try {
			answer = target.method === 'GET' ? await client.get(target.path) : await sendHostileForm(client, target.path, random);
		} catch (error) {
			// With what the server said last: an answer missing is most often the process ended.
			const cause = String((error as Error & { cause?: unknown }).cause ?? '');
			problems.push(
				`${target.method} ${target.path.slice(0, 80)}: no answer (${(error as Error).message}${cause ? `; ${cause}` : ''}) ${server.stderr.slice(-600)}`
			);
			continue;
		}
		const kind = answer.status === 413 ? '413' : `${String(answer.status)[0]}xx`;
		statuses.set(kind, (statuses.get(kind) ?? 0) + 1);
		if (answer.status >= 500) problems.push(`${answer.status} for ${target.actor} ${target.method} ${target.path.slice(0, 80)}`);
		const after = fingerprint();
		if (answer.status >= 400 && after !== before) {
			changedByRefusal++;
			problems.push(`refused ${target.method} ${target.path.slice(0, 80)} changed records`);
		}
		before = after;
		// An account the drill changed (a reset password, a lockout) is signed in again.
		if (answer.location?.startsWith('/account/password') || answer.location?.startsWith('/login')) {
			if (target.actor !== 'anonymous') await client.signIn(accounts[target.actor as keyof typeof accounts]).catch(() => {});
		}
	}
	reader.close();
	await server.stop('SIGTERM');
	problems.push(...databaseProblems(server.databasePath));
	return {
		drill: 'Hostile input',
		runs: REQUESTS,
		problems,
		figures: `${[...statuses]
			.sort()
			.map(([k, n]) => `${n} × ${k}`)
			.join(', ')}; refused requests that changed a record: ${changedByRefusal}`
	};
};

/** Changes whenever any record changes: every write appends to the history, and rows are counted. */
function recordsFingerprint(client: Database.Database): () => string {
	const tables = [
		'initiative',
		'milestone',
		'progress_report',
		'report_milestone',
		'user',
		'instruction',
		'extension_request',
		'closure_request',
		'setting'
	];
	const query = client
		.prepare(`SELECT (SELECT max(id) FROM change_log) || ${tables.map((t) => `'/' || (SELECT count(*) FROM "${t}")`).join(' || ')}`)
		.pluck();
	return () => query.get() as string;
}

function pickTarget(random: Random, months: string[]): Target {
	const fill = (route: string) =>
		route
			.replace('[code]', random.pick(codes))
			.replace('[id]', random.pick(ids))
			.replace('[month]', random.pick(months))
			.replace('[format]', random.pick(['xlsx', 'docx', 'csv', 'json', 'pdf', '%00']));
	const anyActor = () => random.pick([...actors]);
	if (random.chance(0.2)) {
		const page = random.pick([
			'/',
			'/?theme=[x]&unit=[x]&light=[x]&pace=[x]&leader=[x]&asOf=[x]',
			'/initiatives/[code]?asOf=[x]',
			'/initiatives/[code]/report/[month]',
			'/initiatives/[code]/edit',
			'/reports/[month]?group=[x]',
			'/reports/[month]/export/[format]?group=[x]',
			'/reports/[month]/import',
			'/units/[x]',
			'/themes/[x]',
			'/sources/[x]',
			'/admin/users/[id]',
			'/admin/audit?page=[x]',
			'/login?next=[x]',
			'/todo',
			'/reviews'
		]);
		const x = () => encodeURIComponent(random.pick([...values.filter((v) => v.length < 2000 && !/[\ud800-\udfff]/.test(v)), ...dates]));
		return { method: 'GET', path: fill(page).replace(/\[x\]/g, x), actor: anyActor() };
	}
	const row = random.pick(matrix.filter((r) => r.route !== '/logout'));
	const path = row.action === 'default' ? fill(row.route) : `${fill(row.route)}?/${row.action}`;
	// Mostly someone allowed to act, so that the input gets past the permission check.
	const allowed = row.allowed.filter((a) => a !== 'anonymous');
	const actor = row.route === '/login' ? 'anonymous' : random.chance(0.8) && allowed.length ? random.pick(allowed) : anyActor();
	return { method: 'POST', path, actor };
}

async function sendHostileForm(client: Client, path: string, random: Random): Promise<Answer> {
	const roll = random.next();
	if (roll < 0.003) return client.post(path, { comment: 'x'.repeat(7 * MB) }); // past the body limit
	if (roll < 0.05) return client.send(path, { method: 'POST', ...brokenMultipart(random) });
	if (roll < 0.08) return client.send(path, { method: 'POST', ...uploadedFile(random) });
	if (roll < 0.12)
		return client.send(path, {
			method: 'POST',
			body: invalidUtf8(random),
			headers: { 'content-type': 'application/x-www-form-urlencoded' }
		});
	if (roll < 0.14) return client.send(path, { method: 'POST', body: '{"progress":1}', headers: { 'content-type': 'application/json' } });
	const form: Record<string, string | string[]> = {};
	for (const field of formFields) if (random.chance(0.4)) form[field] = random.pick(values);
	if (random.chance(0.3))
		form[random.pick(['reportDueDay', 'coUnitIds', 'version', 'intent'])] = [random.pick(values), random.pick(values)];
	if (random.chance(0.3)) Object.assign(form, { ['date-' + random.int(1, 400)]: random.pick(dates), ['met-' + random.int(1, 400)]: 'on' });
	if (random.chance(0.2)) Object.assign(form, { __proto__x: '1', constructor: '{}', ['f'.repeat(random.int(1, 5000))]: 'extra' });
	if (random.chance(0.15)) for (const field of ['startOn', 'dueOn', 'requestedDue', 'date-1']) form[field] = random.pick(dates);
	if (random.chance(0.02)) form[random.pick(formFields)] = 'y'.repeat(MB);
	return client.post(path, form);
}

function brokenMultipart(random: Random): { body: Uint8Array<ArrayBuffer>; headers: Record<string, string> } {
	const bodies = [
		'--b\r\nContent-Disposition: form-data; name="file"; filename="x.xlsx"\r\n\r\nnot an end',
		'--b\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--b--',
		'garbage without a boundary',
		'--b\r\nContent-Disposition: form-data; name="progress"\r\nContent-Type: text/plain; charset=utf-16\r\n\r\n\xff\xfe\r\n--b--',
		''
	];
	const types = [
		'multipart/form-data; boundary=b',
		'multipart/form-data',
		'multipart/form-data; boundary=',
		'multipart/form-data; boundary=zzz'
	];
	return { body: new Uint8Array(Buffer.from(random.pick(bodies), 'latin1')), headers: { 'content-type': random.pick(types) } };
}

/** A multipart upload of a file that is not what it claims (or is too large to be a ledger). */
function uploadedFile(random: Random): { body: FormData } {
	const body = new FormData();
	const contents = [
		Buffer.from('PK\u0003\u0004 not really a zip'),
		Buffer.from('\ufeff任务编号,月份\n"unclosed'),
		Buffer.alloc(random.int(0, 5 * MB), 0x41)
	];
	body.append('file', new Blob([random.pick(contents)]), random.pick(['ledger.xlsx', 'ledger.csv', '../../x.xlsx', '月报.exe', '']));
	body.append('intent', random.pick(values));
	return { body };
}

/** A form body with bytes that are not UTF-8: lone surrogates, overlong forms, raw 0xFF. */
function invalidUtf8(random: Random): Uint8Array<ArrayBuffer> {
	const field = random.pick(formFields);
	const bad = random.pick(['%ED%A0%80', '%C0%AF', '%FF%FE', '%E6%B5', '%00%00', '%']);
	return new Uint8Array(
		Buffer.concat([
			Buffer.from(`${field}=`),
			random.chance(0.5) ? Buffer.from(bad) : Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80]),
			Buffer.from('&intent=submit')
		])
	);
}
