/** Queries about sources: a document's full text with the spans its items quote, and the list of sources with their coverage. */
import { error } from '@sveltejs/kit';
import { asc, eq, sql } from 'drizzle-orm';
import { m } from '$lib/i18n';
import type { Light } from '$lib/lights';
import type { CalendarDate } from '$lib/dates';
import { groupBy } from '$lib/group-by';
import type { Tx } from './db';
import { initiative, proposal, source } from './db/schema';
import { presentPortfolio } from './portfolio/present';

/** The id of the source an address names (`/sources/<id>`), or a 404 that says no such source exists. */
export function sourceIdIn(param: string): number {
	return /^\d{1,9}$/.test(param) ? Number(param) : noSuchSource(param);
}

/** The source an address names, or the same 404. */
export function sourceIn(db: Tx, param: string): NonNullable<ReturnType<typeof getSource>> {
	return getSource(db, sourceIdIn(param)) ?? noSuchSource(param);
}

const noSuchSource = (param: string) => error(404, m.source_not_found({ id: param.slice(0, 20) }));

export function getSource(db: Tx, id: number) {
	const doc = db.select().from(source).where(eq(source.id, id)).get();
	if (!doc) return null;
	const quotes = db
		.select({ code: initiative.code, title: initiative.title, start: initiative.quoteStart, end: initiative.quoteEnd })
		.from(initiative)
		.where(eq(initiative.sourceId, id))
		.orderBy(asc(initiative.quoteStart))
		.all();
	return { ...doc, quotes, coverage: coverage(doc.body.length, quotes) };
}

/** The share of a text its items quote (spans may overlap: each character counts once), 0–1. */
export function coverage(length: number, spans: { start: number; end: number }[]): number {
	if (length === 0) return 0;
	let covered = 0;
	let reach = 0;
	for (const s of [...spans].sort((a, b) => a.start - b.start)) {
		const from = Math.max(s.start, reach);
		if (s.end > from) covered += s.end - from;
		reach = Math.max(reach, s.end);
	}
	return covered / length;
}

export type SourceOverview = Pick<typeof source.$inferSelect, 'id' | 'title' | 'speaker' | 'deliveredOn' | 'kind'> & {
	length: number;
	items: number;
	coverage: number;
	lights: Record<Light, number>;
	closed: number;
	openProposals: number;
};

/** Every source, newest first, with how much of it is tracked, its items' lights today and the proposals waiting. */
export function sourceOverview(db: Tx, today: CalendarDate): SourceOverview[] {
	const docs = db
		.select({
			id: source.id,
			title: source.title,
			speaker: source.speaker,
			deliveredOn: source.deliveredOn,
			kind: source.kind,
			length: sql<number>`length(${source.body})`
		})
		.from(source)
		.all();
	const spans = db.select({ sourceId: initiative.sourceId, start: initiative.quoteStart, end: initiative.quoteEnd }).from(initiative).all();
	const waiting = new Map(
		db
			.select({ sourceId: proposal.sourceId, n: sql<number>`count(*)` })
			.from(proposal)
			.where(eq(proposal.status, 'open'))
			.groupBy(proposal.sourceId)
			.all()
			.map((r) => [r.sourceId, r.n])
	);
	const itemsOf = groupBy(presentPortfolio(db, today).items, (i) => i.sourceId);
	const spansOf = groupBy(spans, (s) => s.sourceId);
	return docs
		.map((doc) => {
			const own = itemsOf.get(doc.id) ?? [];
			const lights: Record<Light, number> = { green: 0, yellow: 0, red: 0 };
			let closed = 0;
			for (const i of own) {
				if (i.status !== 'active') closed += 1;
				else lights[i.light] += 1;
			}
			return {
				...doc,
				items: own.length,
				coverage: coverage(doc.length, spansOf.get(doc.id) ?? []),
				lights,
				closed,
				openProposals: waiting.get(doc.id) ?? 0
			};
		})
		.sort((a, b) => b.deliveredOn.localeCompare(a.deliveredOn) || b.id - a.id);
}
