/**
 * The intake's measure: documents written in the formats offices receive (minutes with 交办事项, a
 * leader's speech, a set of instructions, a work report's task table), each with its answer key, and
 * the lecture against the catalogue. Used by `npm run bench:intake` (published in BENCHMARKS.md) and
 * by the unit test that keeps the targets.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readCatalogue } from '$lib/server/catalogue';
import { propose, type Proposal } from '$lib/server/intake/propose';
import { shippedCalendar } from '$lib/server/working-calendar';
import { shortNamesOf, type KnownUnit } from '$lib/intake/units';
import { isSourceKind, type SourceKind } from '$lib/source-kinds';

/** Documents written while the rules were made, and documents written apart by someone who never saw the rules. */
export const corpusDirs = { tuned: 'tests/fixtures/intake', heldOut: 'tests/fixtures/intake/heldout' };

type Task = { anchor: string; lead: string | null; deadline: string | null };
/** `text`: where the document is when it is not beside its key (the demo's minutes are in drizzle/demo/). */
type Key = { kind: SourceKind; date: string; tasks: Task[]; text?: string };

export type DocumentScore = {
	name: string;
	kind: SourceKind;
	tasks: number;
	found: number;
	proposals: number;
	notTasks: string[];
	missed: string[];
	deadlinesRight: number;
	deadlinesKeyed: number;
	deadlineErrors: string[];
	leadsRight: number;
	leadsKeyed: number;
	leadErrors: string[];
};

/** The figures the targets are set on: every document but the speech (minutes-style), added up. */
export function minutesStyleTotals(scores: DocumentScore[]) {
	const total = { tasks: 0, found: 0, proposals: 0, notTasks: 0, deadlines: 0, deadlinesRight: 0, leads: 0, leadsRight: 0 };
	for (const s of scores) {
		if (s.kind === 'speech') continue;
		total.tasks += s.tasks;
		total.found += s.found;
		total.proposals += s.proposals;
		total.notTasks += s.notTasks.length;
		total.deadlines += s.deadlinesKeyed;
		total.deadlinesRight += s.deadlinesRight;
		total.leads += s.leadsKeyed;
		total.leadsRight += s.leadsRight;
	}
	return total;
}

/** The demo's unit list with its short names: the units a Suzhou office has. */
export function demoUnits(): KnownUnit[] {
	const entries = JSON.parse(readFileSync('drizzle/demo/units.json', 'utf8')) as { name: string; shortNames?: string }[];
	return entries.map((u, i) => ({ id: i + 1, name: u.name, shortNames: shortNamesOf(u.shortNames ?? '') }));
}

export function corpusDocuments(dir: string): { name: string; text: string; key: Key }[] {
	return readdirSync(dir)
		.filter((f) => f.endsWith('.key.json'))
		.sort()
		.map((f) => {
			const name = f.replace(/\.key\.json$/, '');
			const key = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Key;
			if (!isSourceKind(key.kind)) throw new Error(`${f}: kind ${key.kind}`);
			return { name, text: readFileSync(key.text ?? join(dir, `${name}.txt`), 'utf8'), key };
		});
}

export function scoreDocument(name: string, text: string, key: Key, units = demoUnits()): DocumentScore {
	const proposals = propose({ body: text, kind: key.kind, date: key.date }, { units, calendar: shippedCalendar() });
	const spans = key.tasks.map((t) => {
		const at = text.indexOf(t.anchor);
		if (at < 0) throw new Error(`${name}: anchor not in the text: ${t.anchor}`);
		return { ...t, start: at, end: at + t.anchor.length };
	});
	const matchOf = (p: Proposal) => spans.filter((t) => p.start <= t.start && p.end >= t.end);
	const score: DocumentScore = {
		name,
		kind: key.kind,
		tasks: spans.length,
		found: 0,
		proposals: proposals.length,
		notTasks: [],
		missed: [],
		deadlinesRight: 0,
		deadlinesKeyed: 0,
		deadlineErrors: [],
		leadsRight: 0,
		leadsKeyed: 0,
		leadErrors: []
	};
	for (const p of proposals) {
		const tasks = matchOf(p);
		if (tasks.length === 0) score.notTasks.push(p.quote);
		const task = tasks[0];
		if (!task) continue;
		// A proposal that has a deadline, or whose task has one, is judged on it.
		if (task.deadline !== null || p.deadline !== null) {
			score.deadlinesKeyed += 1;
			if (p.deadline === task.deadline) score.deadlinesRight += 1;
			else score.deadlineErrors.push(`${task.anchor}: ${p.deadline} ≠ ${task.deadline}`);
		}
		if (task.lead !== null || p.lead !== null) {
			score.leadsKeyed += 1;
			if (p.lead?.name === task.lead) score.leadsRight += 1;
			else score.leadErrors.push(`${task.anchor}: ${p.lead?.name ?? '—'} ≠ ${task.lead ?? '—'}`);
		}
	}
	for (const t of spans) {
		if (proposals.some((p) => p.start <= t.start && p.end >= t.end)) score.found += 1;
		else score.missed.push(t.anchor);
	}
	return score;
}

/** The lecture against the catalogue: a catalogue item is found when a proposal holds at least half of its quote. */
export function scoreLecture(units = demoUnits()) {
	const catalogue = readCatalogue();
	const lecture = catalogue.sources[0];
	const proposals = propose({ body: lecture.body, kind: 'speech', date: lecture.deliveredOn }, { units, calendar: shippedCalendar() });
	const missed: string[] = [];
	let found = 0;
	for (const item of catalogue.initiatives) {
		const { start, end } = item.quoteSpan;
		// Held by the proposals over it together: a quote of several clauses is proposed clause by clause (merged on review).
		let covered = 0;
		for (let at = start; at < end; at++) if (proposals.some((p) => p.start <= at && at < p.end)) covered += 1;
		const held = covered >= (end - start) / 2;
		if (held) found += 1;
		else missed.push(`${item.code} ${item.quote}`);
	}
	return { items: catalogue.initiatives.length, found, proposals: proposals.length, missed };
}
