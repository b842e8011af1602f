/**
 * `npm run drills`: the reliability drills, against the production build on temporary databases,
 * traffic to 127.0.0.1 only. Prints one table and writes it to RELIABILITY.md; exits 1 when a
 * drill found a problem. `npm run drills -- --only crash,hostile` runs some of them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { seededRandom } from '$lib/server/demo/random';
import { backupDrill } from './backup';
import { concurrencyDrill } from './concurrency';
import { crashDrill } from './crash';
import type { Drill, DrillResult } from './drill';
import { buildTemplate } from './fixtures';
import { hostileDrill } from './hostile';
import { notificationsDrill } from './notifications';
import { shutdownDrill } from './shutdown';
import { upgradeDrill } from './upgrade';
import { uploadsDrill } from './uploads';

const drills: Record<string, Drill> = {
	crash: crashDrill,
	concurrency: concurrencyDrill,
	hostile: hostileDrill,
	uploads: uploadsDrill,
	backup: backupDrill,
	upgrade: upgradeDrill,
	shutdown: shutdownDrill,
	notifications: notificationsDrill
};
const PORT = 4185;

const { values } = parseArgs({ options: { only: { type: 'string' }, seed: { type: 'string' } } });
const chosen = values.only ? values.only.split(',') : Object.keys(drills);
const unknown = chosen.filter((name) => !(name in drills));
if (unknown.length) {
	console.error(`Unknown drill: ${unknown.join(', ')}. Drills: ${Object.keys(drills).join(', ')}`);
	process.exit(2);
}
const seed = Number(values.seed ?? Date.now() % 1e9);

console.log('Building the app (vite build)…');
if (spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' }).status !== 0) process.exit(1);

const work = mkdtempSync(join(tmpdir(), 'drills-'));
const results: DrillResult[] = [];
try {
	const template = buildTemplate(work);
	for (const name of chosen) {
		const dir = mkdtempSync(join(work, `${name}-`));
		const started = performance.now();
		console.log(`Drill ${name}…`);
		let result: DrillResult;
		try {
			result = await drills[name]({ template, dir, port: PORT, random: seededRandom(seed) });
		} catch (error) {
			result = { drill: name, runs: 0, problems: [`the drill itself failed: ${(error as Error).stack ?? String(error)}`], figures: '' };
		}
		result.figures += `; ${((performance.now() - started) / 1000).toFixed(0)} s`;
		results.push(result);
		console.log(`  ${result.problems.length ? 'FAILED' : 'passed'}: ${result.figures}`);
		for (const problem of result.problems.slice(0, 20)) console.log(`  - ${problem}`);
	}
} finally {
	rmSync(work, { recursive: true, force: true });
}

const failures = results.reduce((n, r) => n + r.problems.length, 0);
const table = [
	'| Drill | Runs | Failures | Figures |',
	'| --- | ---: | ---: | --- |',
	...results.map((r) => `| ${r.drill} | ${r.runs} | ${r.problems.length} | ${r.figures} |`)
].join('\n');
console.log(`\n${table}\n`);
if (chosen.length === Object.keys(drills).length) {
	const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
	writeFileSync('RELIABILITY.md', reliabilityReport(table, machine, seed, results));
	console.log('Written to RELIABILITY.md');
}
process.exit(failures ? 1 : 0);

function reliabilityReport(table: string, machine: string, seed: number, results: DrillResult[]): string {
	const problems = results.flatMap((r) => r.problems.map((p) => `- ${r.drill}: ${p}`));
	return `# Reliability drills

Written by \`npm run drills\` (tests/drills/): every drill runs against the production build
(\`npm start\`'s own entry) on a temporary copy of the demo data with a hundred drill items (DRL-…),
with traffic to 127.0.0.1 only. The README says what each drill does and checks.

Durability: SQLite in WAL mode with \`synchronous = FULL\` (src/lib/server/db/index.ts). WAL alone
with NORMAL survives a killed process but may lose the last commits on a power loss; FULL syncs the
WAL at every commit, so a write the server acknowledged survives both. The price (one fsync per
commit) is small beside the value of a unit's report.

Last run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}, seed ${seed}
(\`npm run drills -- --seed ${seed}\` repeats its random choices).

${table}
${problems.length ? `\n## Problems found\n\n${problems.join('\n')}\n` : ''}`;
}
