/** Queries about sources: a document's full text with the spans its items quote. */
import { asc, eq } from 'drizzle-orm';
import type { Tx } from './db';
import { initiative, source } from './db/schema';

export function getSource(db: Tx, id: number) {
	const doc = db.select().from(source).where(eq(source.id, id)).get();
	if (!doc) return null;
	const quotes = db
		.select({ code: initiative.code, title: initiative.title, start: initiative.quoteStart, end: initiative.quoteEnd })
		.from(initiative)
		.where(eq(initiative.sourceId, id))
		.orderBy(asc(initiative.quoteStart))
		.all();
	return { ...doc, quotes };
}

export function listSources(db: Tx) {
	return db
		.select({ id: source.id, title: source.title, speaker: source.speaker, deliveredOn: source.deliveredOn })
		.from(source)
		.orderBy(asc(source.deliveredOn))
		.all();
}
