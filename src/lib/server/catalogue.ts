/**
 * The catalogue: the sources, themes and initiatives kept as reviewable JSON under drizzle/catalogue/.
 * Reading checks every file against a schema and every quote against its source text, so a typo in
 * the catalogue fails the load with the item's code instead of loading a wrong quote.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { isCalendarDate } from '$lib/dates';
import { locateQuote, type Span } from '$lib/source-text';

const sourceEntry = z.object({
	slug: z.string().regex(/^[a-z0-9-]+$/),
	title: z.string().min(1),
	speaker: z.string().min(1),
	deliveredOn: z.string().refine(isCalendarDate, '不是有效日期'),
	file: z.string().min(1)
});

const themeEntry = z.object({
	code: z.string().regex(/^[A-Z]{2,6}$/),
	name: z.string().min(1)
});

const initiativeEntry = z.object({
	code: z.string().regex(/^[A-Z]{2,6}-\d{2,3}$/),
	theme: z.string(),
	title: z.string().min(1).max(80),
	/** The source's slug; may be left out while the catalogue has one source. */
	source: z.string().optional(),
	quote: z.string().min(1)
});

export type CatalogueSource = z.infer<typeof sourceEntry> & { body: string };
export type CatalogueTheme = z.infer<typeof themeEntry>;
export type CatalogueInitiative = z.infer<typeof initiativeEntry> & { source: string; quoteSpan: Span };

export type Catalogue = {
	sources: CatalogueSource[];
	themes: CatalogueTheme[];
	initiatives: CatalogueInitiative[];
};

export class CatalogueError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CatalogueError';
	}
}

export function catalogueDir(): string {
	return resolve(process.env.CATALOGUE_DIR ?? 'drizzle/catalogue');
}

function readJson<T>(dir: string, file: string, schema: z.ZodType<T>): T[] {
	const path = join(dir, file);
	let raw: unknown;
	try {
		raw = JSON.parse(readFileSync(path, 'utf8'));
	} catch (error) {
		throw new CatalogueError(`${path}: ${(error as Error).message}`);
	}
	const parsed = z.array(schema).safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new CatalogueError(`${path} [${issue.path.join('.')}]: ${issue.message}`);
	}
	return parsed.data;
}

function uniqueBy<T>(rows: T[], key: (row: T) => string, what: string) {
	const seen = new Set<string>();
	for (const row of rows) {
		const k = key(row);
		if (seen.has(k)) throw new CatalogueError(`${what} ${k} appears twice in the catalogue`);
		seen.add(k);
	}
}

/** Reads and checks the catalogue in `dir`; throws CatalogueError naming the first problem found. */
export function readCatalogue(dir: string = catalogueDir()): Catalogue {
	const sources = readJson(dir, 'sources.json', sourceEntry).map((s) => ({
		...s,
		// Line endings are normalised so offsets do not depend on how the file was checked out.
		body: readFileSync(join(dir, s.file), 'utf8').replace(/\r\n?/g, '\n').trimEnd()
	}));
	const themes = readJson(dir, 'themes.json', themeEntry);
	const entries = readJson(dir, 'initiatives.json', initiativeEntry);
	uniqueBy(sources, (s) => s.slug, 'source');
	uniqueBy(themes, (t) => t.code, 'theme');
	uniqueBy(entries, (i) => i.code, 'initiative');

	const themeCodes = new Set(themes.map((t) => t.code));
	const initiatives = entries.map((entry): CatalogueInitiative => {
		if (!themeCodes.has(entry.theme)) {
			throw new CatalogueError(`initiative ${entry.code}: unknown theme ${entry.theme}`);
		}
		const slug = entry.source ?? (sources.length === 1 ? sources[0].slug : undefined);
		const src = sources.find((s) => s.slug === slug);
		if (!src) throw new CatalogueError(`initiative ${entry.code}: unknown source ${slug ?? '(none)'}`);
		const location = locateQuote(src.body, entry.quote);
		if (!location.ok) {
			const why = location.reason === 'missing' ? 'is not a verbatim substring of' : 'stands more than once in';
			throw new CatalogueError(`initiative ${entry.code}: its quote ${why} source ${src.slug}`);
		}
		return { ...entry, source: src.slug, quoteSpan: location.span };
	});

	for (const { slug } of sources) {
		const sorted = initiatives.filter((i) => i.source === slug).sort((a, b) => a.quoteSpan.start - b.quoteSpan.start);
		for (let k = 1; k < sorted.length; k++) {
			if (sorted[k].quoteSpan.start < sorted[k - 1].quoteSpan.end) {
				throw new CatalogueError(`initiatives ${sorted[k - 1].code} and ${sorted[k].code} quote overlapping text of ${slug}`);
			}
		}
	}
	return { sources, themes, initiatives };
}
