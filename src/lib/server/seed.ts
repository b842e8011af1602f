/**
 * First load of an empty database: the catalogue, and the demo dataset unless a real deployment
 * asked for the lecture's items alone. One transaction: nothing is ever half-loaded.
 */
import { eq } from 'drizzle-orm';
import { suzhouInstant, suzhouToday, type CalendarDate } from '$lib/dates';
import type { Db, Tx } from './db';
import { appMeta, initiative, source, theme } from './db/schema';
import { readCatalogue, type Catalogue } from './catalogue';
import { datasets, type Dataset } from './datasets';
import { generateDemo } from './demo/generate';
import { demoEvidence } from './demo/evidence';
import { demoSource } from './demo/intake';
import { filesDir } from './evidence/store';
import { insertTracked, type ChangeContext } from './history';

export { datasets, type Dataset };

export type SeedOptions = {
	dataset: Dataset;
	/** The instant of the load; the demo story runs up to this day in Suzhou. */
	now?: Date;
	catalogue?: Catalogue;
};

export function seededDataset(db: Tx): Dataset | null {
	const row = db.select().from(appMeta).where(eq(appMeta.key, 'dataset')).get();
	return (row?.value as Dataset | undefined) ?? null;
}

/** Inserts the catalogue's sources, themes and items; returns the items' ids by code. */
function loadCatalogue(tx: Tx, catalogue: Catalogue, ctx: ChangeContext): Map<string, number> {
	const sourceIds = new Map(
		catalogue.sources.map((s) => [
			s.slug,
			insertTracked(tx, source, { slug: s.slug, title: s.title, speaker: s.speaker, deliveredOn: s.deliveredOn, body: s.body }, ctx).id
		])
	);
	const themeIds = new Map(
		catalogue.themes.map((t, position) => [t.code, insertTracked(tx, theme, { code: t.code, name: t.name, position }, ctx).id])
	);
	const positions = new Map<string, number>();
	return new Map(
		catalogue.initiatives.map((i) => {
			const position = positions.get(i.theme) ?? 0;
			positions.set(i.theme, position + 1);
			const row = insertTracked(
				tx,
				initiative,
				{
					code: i.code,
					title: i.title,
					themeId: themeIds.get(i.theme)!,
					sourceId: sourceIds.get(i.source)!,
					sourceQuote: i.quote,
					quoteStart: i.quoteSpan.start,
					quoteEnd: i.quoteSpan.end,
					position
				},
				ctx
			);
			return [i.code, row.id];
		})
	);
}

/**
 * Loads the data into an empty database and returns what was loaded, or null when the database
 * already holds data (it is never loaded twice).
 */
export function seedIfEmpty(db: Db, options: SeedOptions): { dataset: Dataset; items: number } | null {
	const catalogue = options.catalogue ?? readCatalogue();
	const now = options.now ?? new Date();
	const today: CalendarDate = suzhouToday(now);
	return db.transaction((tx) => {
		if (seededDataset(tx) !== null) return null;
		// Demo items were registered (立项) the evening of the lecture; a real load is dated now.
		const at = options.dataset === 'demo' ? suzhouInstant(catalogue.sources[0]?.deliveredOn ?? today, 18) : now.toISOString();
		const itemIds = loadCatalogue(tx, catalogue, { at, actorId: null, actorLabel: 'catalogue' });
		if (options.dataset === 'demo') {
			generateDemo(tx, itemIds, at, now);
			demoSource(tx, now);
			// A database in memory has no folder for files.
			if (db.$client.name !== ':memory:') demoEvidence(tx, filesDir(db), itemIds.get('YRD-02')!, { at, actorId: null, actorLabel: 'demo' });
		}
		tx.insert(appMeta)
			.values([
				{ key: 'dataset', value: options.dataset },
				{ key: 'seeded_at', value: now.toISOString() }
			])
			.run();
		return { dataset: options.dataset, items: itemIds.size };
	});
}
