/**
 * Proposed commitments (拟立项事项) of a source: the sentences and clauses that assign work, each with
 * its verbatim quote and offsets, a short title, the lead and co-units, the deadline resolved against
 * the source's date, dated steps as milestones, the items it may repeat (查重), and why it was
 * proposed. Nothing here writes; a person accepts, edits or rejects each proposal.
 */
import type { CalendarDate } from '$lib/dates';
import { addMonthsKeepingDay, findDeadlines, taskDeadline, type Deadline } from '$lib/intake/deadline';
import { cells, clauses, sentences, trimmed, type Sentence } from '$lib/intake/sentences';
import { narrative, obligation, OPEN_ENDED, openingVerb, resultVerb, type Cue } from '$lib/intake/tasking';
import { findUnits, unitNames, unitRoles, type KnownUnit, type UnitMention, type UnitName } from '$lib/intake/units';
import { readsClauses, type SourceKind } from '$lib/source-kinds';
import type { Span } from '$lib/source-text';
import { addWorkingDays, type WorkingCalendar } from '$lib/working-days';
import { contentWords, overlap, segmenter } from './segmenter';

export type ProposedUnit = { name: string; unitId: number | null };

export type Proposal = Span & {
	quote: string;
	title: string;
	lead: ProposedUnit | null;
	co: ProposedUnit[];
	deadline: CalendarDate | null;
	milestones: { title: string; dueOn: CalendarDate }[];
	why: Cue[];
	/** An existing item this one may repeat: the same words of the same source, or a very similar task. */
	duplicateOf: { code: string; title: string; same: boolean } | null;
};

export type ExistingItem = {
	code: string;
	title: string;
	quote: string;
	sourceId: number;
	start: number;
	end: number;
	leadUnitId: number | null;
};

export type IntakeInput = { body: string; kind: SourceKind; date: CalendarDate; sourceId?: number };

export type IntakeContext = {
	units: KnownUnit[];
	calendar?: WorkingCalendar;
	items?: ExistingItem[];
	/** Spans of the text already decided (accepted or rejected): nothing overlapping them is offered again. */
	decided?: Span[];
	/** The office's rule for a kind whose task names no deadline (批示件: N working days; 建议提案: N months). */
	replyWithin?: Partial<Record<SourceKind, { workingDays: number } | { months: number }>>;
};

const TITLE_MAX = 30;
/** The most proposals one source gets (a 100-page speech gives about 3,000; a longer text is split by the office). */
export const PROPOSALS_MAX = 3000;
/**
 * The most dated steps (milestones) one proposal offers, the first in its text: as many as the 立项 form
 * takes (`acceptSchema`). A clause list of thousands of dates in one sentence is no item's plan.
 */
export const STEPS_MAX = 50;
/**
 * The most clauses one split makes: a sentence of more is a list pasted without its full stops,
 * better divided in the source. Splitting 20,000 clauses held the server 11 s.
 */
export const SPLIT_MAX = 100;

/** The proposals of a text, in the order of the text. */
export function propose(input: IntakeInput, ctx: IntakeContext): Proposal[] {
	const names = unitNames(ctx.units);
	const seg = segmenter(names.map((n) => n.text));
	const { body } = input;
	const found: Omit<Proposal, 'duplicateOf'>[] = [];
	let header: TableHeader | null = null;
	let previous: { sentence: Sentence; index: number } | null = null;
	for (const sentence of sentences(body)) {
		const text = body.slice(sentence.start, sentence.end);
		if (sentence.row) {
			// The first row naming the columns is the table's header; the rows after it are read by it.
			if (!header) header = tableHeader(body, sentence);
			const row = header && header.start !== sentence.start ? fromRow(body, sentence, header, input, ctx, names) : null;
			if (row) found.push(row);
			previous = null;
			continue;
		}
		header = null; // a line of text ends the table
		// “要抓好以下几项工作：” introduces the tasks that follow; it is none.
		if (sentence.leadIn) {
			previous = null;
			continue;
		}
		const mentions = findUnits(text, names).map((u) => shift(u, sentence.start));
		const roles = unitRoles(body, mentions);
		const deadline = taskDeadline(text, input.date, ctx.calendar);
		const plain = blank(
			text,
			mentions.map((u) => ({ start: u.start - sentence.start, end: u.end - sentence.start }))
		);
		const verb = resultVerb(plain);
		const must = obligation(plain);
		const told = narrative(text);
		const assigned = roles.lead !== null && (roles.cues.length > 0 || verb !== null);
		const dated = deadline !== null && verb !== null;
		const enumerated = sentence.marker !== null && (verb !== null || must !== null) && text.length >= 8;
		// A heading (一、关于…; 二、聚焦重点，全力…) names a part, it assigns nothing.
		const heading =
			deadline === null &&
			(/^关于/.test(text) || (sentence.marker !== null && !/[。；;！!]/.test(body[sentence.end] ?? '') && text.length < 40));
		if ((told && !roles.cues.length && !must) || (heading && !roles.cues.length)) {
			previous = null;
			continue;
		}
		// A speech or a work report assigns by clause; a sentence of it is one task only when it names who leads.
		const bySentence = readsClauses(input.kind) ? assigned && roles.cues.length > 0 : assigned || dated || enumerated;
		if (bySentence) {
			// A sentence with no unit of its own that follows an assigned one in the same paragraph is
			// its next step (“……。力争2027年6月底前建成通车。”): one task, not two.
			const last = found[found.length - 1];
			if (
				previous &&
				previous.index === found.length - 1 &&
				!readsClauses(input.kind) &&
				!roles.lead &&
				!sentence.marker &&
				last.lead &&
				!body.slice(previous.sentence.end, sentence.start).includes('\n')
			) {
				found[found.length - 1] = build(body, { start: last.start, end: sentence.end }, input, ctx, names, [...last.why]);
				previous = { sentence, index: found.length - 1 };
				continue;
			}
			const why: Cue[] = [];
			if (sentence.marker) why.push({ kind: 'marker', words: sentence.marker });
			found.push(build(body, sentence, input, ctx, names, why));
			previous = { sentence, index: found.length - 1 };
			continue;
		}
		previous = null;
		if (!readsClauses(input.kind)) continue;
		for (const clause of clauses(body, sentence)) {
			const words = body.slice(clause.start, clause.end);
			const opening = openingVerb(words) ?? (findDeadlines(words, input.date, ctx.calendar).length ? resultVerb(words) : null);
			if (!opening || words.length < 5 || narrative(words)) continue;
			found.push(build(body, clause, input, ctx, names, []));
		}
	}
	// Words a person already decided on (accepted, rejected, or a part of what was merged or split) are not
	// offered again; with the decided ones, a source holds at most PROPOSALS_MAX proposals.
	const decided = ctx.decided ?? [];
	const offered = found
		.filter((p) => !decided.some((d) => p.start < d.end && p.end > d.start))
		.slice(0, Math.max(0, PROPOSALS_MAX - decided.length));
	return withDuplicates(offered, input, ctx, seg);
}

/** Proposals over spans a person chose (a merge, a split): their units, deadlines, titles and duplicates. */
export function proposeSpans(input: IntakeInput, ctx: IntakeContext, spans: Span[]): Proposal[] {
	const names = unitNames(ctx.units);
	const seg = segmenter(names.map((n) => n.text));
	return withDuplicates(
		spans.map((span) => build(input.body, span, input, ctx, names, [])),
		input,
		ctx,
		seg
	);
}

/** `text` with the spans blanked out (□, one for each UTF-16 unit), in one pass over the spans. */
function blank(text: string, spans: Span[]): string {
	let out = '';
	let at = 0;
	for (const s of [...spans].sort((a, b) => a.start - b.start)) {
		const from = Math.max(at, s.start);
		if (s.end <= from) continue;
		out += text.slice(at, from) + '□'.repeat(s.end - from);
		at = s.end;
	}
	return out + text.slice(at);
}

function shift(u: UnitMention, by: number): UnitMention {
	return { ...u, start: u.start + by, end: u.end + by };
}

function asUnit(u: UnitMention | null): ProposedUnit | null {
	return u ? { name: u.name, unitId: u.unitId } : null;
}

/** A proposal over `span`: its units, deadline, steps, title and reasons. */
function build(
	body: string,
	span: Span,
	input: IntakeInput,
	ctx: IntakeContext,
	names: UnitName[],
	why: Cue[]
): Omit<Proposal, 'duplicateOf'> {
	const quote = body.slice(span.start, span.end);
	const mentions = findUnits(quote, names);
	const roles = unitRoles(quote, mentions);
	const deadlines = OPEN_ENDED.test(quote) ? [] : findDeadlines(quote, input.date, ctx.calendar);
	const deadline = deadlines.length ? deadlines.reduce((a, b) => (b.date > a.date ? b : a)) : null;
	const reasons = [...why];
	for (const words of roles.cues) reasons.push({ kind: 'assign', words });
	if (deadline) reasons.push({ kind: 'deadline', words: deadline.phrase });
	const byRule = deadline || OPEN_ENDED.test(quote) ? null : replyBy(input, ctx);
	if (byRule) reasons.push({ kind: 'rule', words: byRule.words });
	// The verbs are looked for with the units' names blanked (建设 in 市住房城乡建设局 is no task).
	const words = blank(quote, mentions);
	const opening = openingVerb(words);
	const verb = opening ?? resultVerb(words);
	const must = obligation(words);
	if (must && !reasons.some((r) => r.words === must.words)) reasons.push(must);
	if (verb) reasons.push(verb);
	return {
		...span,
		quote,
		title: titleOf(quote, mentions, deadlines),
		lead: asUnit(roles.lead),
		co: roles.co.map((u) => asUnit(u)!),
		deadline: deadline?.date ?? byRule?.date ?? null,
		milestones: steps(quote, deadlines, mentions),
		why: reasons.filter((r, i) => reasons.findIndex((o) => o.kind === r.kind && o.words === r.words) === i)
	};
}

/** The deadline the office's rule gives a task of this kind that names none, with the rule in words. */
function replyBy(input: IntakeInput, ctx: IntakeContext): { date: CalendarDate; words: string } | null {
	const rule = ctx.replyWithin?.[input.kind];
	if (!rule) return null;
	if ('months' in rule) return { date: addMonthsKeepingDay(input.date, rule.months), words: `${rule.months}个月内` };
	if (!ctx.calendar) return null;
	return { date: addWorkingDays(ctx.calendar, input.date, rule.workingDays), words: `${rule.workingDays}个工作日内` };
}

const FILLER_START =
	/^(?:[由请要并于在须应将及和、，,\s]|要求|责成|务必|必须|确保|力争|争取|抓紧|负责|牵头|会同|配合|协同|联合|同时|切实|认真|前)+/;
const FILLER_END_CHARS = new Set([...'的等和及、，, \t\n\u3000。；']);

/** `text` without the filler at its end (的, 等, 工作, spaces…), in one pass from the end (a regex anchored at $ would rescan). */
function withoutFillerEnd(text: string): string {
	let end = text.length;
	for (;;) {
		if (end > 0 && FILLER_END_CHARS.has(text[end - 1])) end -= 1;
		else if (end > 1 && text.slice(end - 2, end) === '工作') end -= 2;
		else return text.slice(0, end);
	}
}

/** A short title: the quote without its units, cue words and deadlines, cut at a word's end. */
function titleOf(quote: string, mentions: UnitMention[], deadlines: Deadline[]): string {
	const cut = [...mentions, ...deadlines].sort((a, b) => a.start - b.start);
	let text = '';
	let at = 0;
	for (const c of cut) {
		text += quote.slice(at, Math.max(at, c.start)) + '，';
		at = Math.max(at, c.end);
	}
	text += quote.slice(at);
	// The clauses that remain, without those left with only cue words (牵头，会同，于…前).
	const parts = text
		.split(/[，,；;：:。！？]/)
		.map((p) => withoutFillerEnd(p.replace(FILLER_START, '')).replace(/^(?:牵头|负责|配合|协助)$/, ''))
		.filter((p) => p.length >= 2 && !/^(?:牵头|负责|配合|协助|参与|前|内)$/.test(p));
	let title = parts.find((p) => resultVerb(p)) ?? parts[0] ?? quote;
	if (title.length > TITLE_MAX) {
		let cutAt = 0;
		for (const w of segmenter().cut(title, false)) {
			if (cutAt + w.length > TITLE_MAX) break;
			cutAt += w.length;
		}
		title = title.slice(0, cutAt || TITLE_MAX);
	}
	return title;
}

/** Dated steps: with two dates or more, each date and the words before it up to the previous one. */
function steps(quote: string, deadlines: Deadline[], mentions: UnitMention[]): { title: string; dueOn: CalendarDate }[] {
	const distinct = new Set(deadlines.map((d) => d.date));
	if (distinct.size < 2) return [];
	return deadlines.slice(0, STEPS_MAX).map((d, i) => {
		const from = i === 0 ? 0 : deadlines[i - 1].end;
		// The step's words are around its date: up to the next comma after it, or before it.
		const end = quote.slice(d.end).search(/[，,；;。]/);
		const after = quote.slice(d.end, end < 0 ? quote.length : d.end + end);
		const before =
			quote
				.slice(from, d.start)
				.split(/[，,；;。]/)
				.pop() ?? '';
		const words = withoutFillerEnd((after.replace(FILLER_START, '').length >= 2 ? after : before).replace(FILLER_START, ''));
		return { title: titleOf(words, findUnitsIn(words, mentions), []).slice(0, 40) || d.phrase, dueOn: d.date };
	});
}

function findUnitsIn(words: string, mentions: UnitMention[]): UnitMention[] {
	const out: UnitMention[] = [];
	for (const m of mentions) {
		const at = words.indexOf(m.name);
		if (at >= 0) out.push({ ...m, start: at, end: at + m.name.length });
	}
	return out;
}

type TableHeader = Span & { task: number; lead: number | null; co: number | null; due: number | null };

/** A row naming the columns (任务/内容/事项, 牵头/责任单位, 配合单位, 时限/时间), or null. */
function tableHeader(body: string, row: Sentence): TableHeader | null {
	const texts = cells(body, row).map((c) => body.slice(c.start, c.end));
	const find = (re: RegExp) => {
		const i = texts.findIndex((t) => re.test(t) && t.length <= 12);
		return i < 0 ? null : i;
	};
	const task = find(/任务|内容|事项|工作/);
	if (task === null) return null;
	return {
		start: row.start,
		end: row.end,
		task,
		lead: find(/牵头|责任单位|主办/),
		co: find(/配合|协办|参与/),
		due: find(/时限|时间|完成/)
	};
}

function fromRow(
	body: string,
	row: Sentence,
	header: TableHeader,
	input: IntakeInput,
	ctx: IntakeContext,
	names: UnitName[]
): Omit<Proposal, 'duplicateOf'> | null {
	const all = cells(body, row);
	const task = all[header.task];
	if (!task || task.end - task.start < 4) return null;
	const text = (i: number | null) => (i === null || !all[i] ? '' : body.slice(all[i].start, all[i].end));
	const taskSpan = trimmed(body, task.start, task.end) ?? task;
	const proposal = build(body, taskSpan, input, ctx, names, [{ kind: 'row', words: text(header.task).slice(0, 12) }]);
	const leads = findUnits(text(header.lead), names);
	const co = findUnits(text(header.co), names);
	// The deadline column means "by": 2026年12月 is the month's end.
	const due = OPEN_ENDED.test(text(header.due)) ? null : taskDeadline(`${text(header.due)}前`, input.date, ctx.calendar);
	const why = [...proposal.why];
	if (leads.length) why.push({ kind: 'assign', words: leads[0].name });
	if (due) why.push({ kind: 'deadline', words: text(header.due) });
	return {
		...proposal,
		lead: asUnit(leads[0] ?? null) ?? proposal.lead,
		co: [...leads.slice(1), ...co].map((u) => asUnit(u)!),
		deadline: due?.date ?? proposal.deadline,
		why
	};
}

/** Marks each proposal that repeats an item: the same words of the same source, or a very similar task for the same unit. */
function withDuplicates(
	found: Omit<Proposal, 'duplicateOf'>[],
	input: IntakeInput,
	ctx: IntakeContext,
	seg: ReturnType<typeof segmenter>
): Proposal[] {
	const repeated = repeatedItems(
		found.map((p) => ({ ...p, leadUnitId: p.lead?.unitId ?? null, sourceId: input.sourceId })),
		ctx.items ?? [],
		seg
	);
	return found.map((p, i) => ({ ...p, duplicateOf: repeated[i] }));
}

/** What a proposal is compared by: its span of its source, its words, its lead unit. */
export type ProposedTask = { start: number; end: number; title: string; quote: string; leadUnitId: number | null; sourceId?: number };

/**
 * The item each proposal may repeat, or null: an item made from the same words of the same source
 * (`same`), or a very similar task (half its content words or more) for the same unit.
 */
export function repeatedItems(found: ProposedTask[], existing: ExistingItem[], seg = segmenter()): Proposal['duplicateOf'][] {
	const items = existing.map((item) => ({ item, words: contentWords(`${item.title} ${item.quote}`, seg) }));
	const byWord = new Map<string, number[]>();
	items.forEach(({ words }, i) => {
		for (const w of words) byWord.set(w, [...(byWord.get(w) ?? []), i]);
	});
	return found.map((p) => {
		const same = items.find(
			({ item }) => p.sourceId !== undefined && item.sourceId === p.sourceId && p.start < item.end && p.end > item.start
		);
		if (same) return { code: same.item.code, title: same.item.title, same: true };
		const words = contentWords(`${p.title} ${p.quote}`, seg);
		const candidates = new Set<number>();
		for (const w of words) for (const i of byWord.get(w) ?? []) candidates.add(i);
		let best: { i: number; score: number } | null = null;
		for (const i of candidates) {
			const { item, words: theirs } = items[i];
			const sameUnit = p.leadUnitId === null || item.leadUnitId === null || item.leadUnitId === p.leadUnitId;
			const score = overlap(words, theirs);
			if (sameUnit && score >= 0.5 && (!best || score > best.score)) best = { i, score };
		}
		return best ? { code: items[best.i].item.code, title: items[best.i].item.title, same: false } : null;
	});
}
