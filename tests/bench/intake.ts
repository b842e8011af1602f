/**
 * `npm run bench:intake`: how good the proposals are, and how fast. Accuracy on the corpus
 * (tests/fixtures/intake): documents written while the rules were made, and documents written apart
 * by someone who never saw the rules (held out); the lecture against the catalogue. Speed: a
 * 100-page document (minutes and a speech repeated to ~100 pages of ~800 characters) proposed on one
 * core, each timed twice (jieba's dictionary already loaded by the scoring above; extraction from a file is not in this figure). Writes its section of
 * BENCHMARKS.md. Not a test: the unit test keeps the accuracy targets.
 */
import { cpus } from 'node:os';
import { propose } from '$lib/server/intake/propose';
import { shippedCalendar } from '$lib/server/working-calendar';
import { writeBenchmarkSection } from '../../scripts/benchmarks-file.js';
import {
	corpusDirs,
	corpusDocuments,
	demoUnits,
	minutesStyleTotals,
	scoreDocument,
	scoreLecture,
	type DocumentScore
} from '../intake/corpus';

const pct = (a: number, b: number) => (b === 0 ? '—' : `${((a / b) * 100).toFixed(0)}% (${a}/${b})`);
const lines: string[] = ['## Source intake (`npm run bench:intake`)', ''];

function table(title: string, scores: DocumentScore[]) {
	lines.push(
		`**${title}**`,
		'',
		'| document | kind | tasks found | proposals not a task | deadlines right | lead unit right |',
		'|---|---|---|---|---|---|'
	);
	for (const s of scores) {
		lines.push(
			`| ${s.name} | ${s.kind} | ${pct(s.found, s.tasks)} | ${pct(s.notTasks.length, s.proposals)} | ${pct(s.deadlinesRight, s.deadlinesKeyed)} | ${pct(s.leadsRight, s.leadsKeyed)} |`
		);
	}
	const t = minutesStyleTotals(scores);
	lines.push(
		`| **minutes-style (all but the speech)** | | **${pct(t.found, t.tasks)}** (≥ 90%) | **${pct(t.notTasks, t.proposals)}** (≤ 20%) | **${pct(t.deadlinesRight, t.deadlines)}** (≥ 90%) | **${pct(t.leadsRight, t.leads)}** (≥ 85%) |`,
		''
	);
	const misses = scores.flatMap((s) => [
		...s.missed.map((x) => `missed: ${x}`),
		...s.notTasks.map((x) => `not a task: ${x.slice(0, 40)}`),
		...s.deadlineErrors,
		...s.leadErrors
	]);
	if (misses.length) lines.push('<details><summary>What it got wrong</summary>', '', ...misses.map((x) => `- ${x}`), '', '</details>', '');
}

const units = demoUnits();
table(
	'Written with the rules (tests/fixtures/intake)',
	corpusDocuments(corpusDirs.tuned).map((d) => scoreDocument(d.name, d.text, d.key, units))
);
table(
	'Held out (tests/fixtures/intake/heldout, written apart)',
	corpusDocuments(corpusDirs.heldOut).map((d) => scoreDocument(d.name, d.text, d.key, units))
);
const lecture = scoreLecture(units);
lines.push(
	`**The lecture against the catalogue**: ${pct(lecture.found, lecture.items)} of the catalogue's items found (≥ 90%), in ${lecture.proposals} proposals (a quote of several clauses is proposed clause by clause and merged on review).`,
	''
);

const docs = corpusDocuments(corpusDirs.tuned);
for (const kind of ['minutes', 'speech'] as const) {
	const one = docs.find((d) => d.key.kind === kind)!;
	let body = '';
	while (body.length < 80_000) body += `${one.text}\n`;
	const runs: string[] = [];
	let count = 0;
	for (let run = 0; run < 2; run++) {
		const started = performance.now();
		count = propose({ body, kind, date: one.key.date }, { units, calendar: shippedCalendar() }).length;
		runs.push(`${((performance.now() - started) / 1000).toFixed(2)} s`);
	}
	lines.push(
		`**100 pages of ${kind}** (${body.length.toLocaleString('en')} characters, ${count} proposals), one core: ${runs.join(', then ')} (target < 10 s).`,
		''
	);
}
lines.push(
	`Run with \`npm run bench:intake\` on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 16)} UTC.`
);
const section = lines.join('\n');
console.log(section);
writeBenchmarkSection('Source intake', section);
