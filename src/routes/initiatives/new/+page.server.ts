import { appDb } from '$lib/server/app-db';
import { requirePermission } from '$lib/server/auth/guard';
import { itemFormOptions } from '$lib/server/catalogue-options';
import { getSource } from '$lib/server/sources';
import { formAction } from '$lib/server/form-action';
import { createItem, newItemSchema, QUOTE_MAX } from '$lib/server/workflow/items';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals, url }) => {
	requirePermission(locals, 'manageItems');
	return { ...itemFormOptions(appDb()), chosen: chosenQuote(url) };
}) satisfies PageServerLoad;

/** Words chosen in a source's text (/sources/[id]/review): the source, the quote and where it starts. */
function chosenQuote(url: URL) {
	const [id, start, end] = ['source', 'start', 'end'].map((k) => url.searchParams.get(k) ?? '');
	if (![id, start, end].every((v) => /^\d{1,9}$/.test(v))) return null;
	const source = getSource(appDb(), Number(id));
	const quote = source?.body.slice(Number(start), Number(end));
	// Never cut short: a span longer than an item's quote is not offered (the review page says so).
	return source && quote?.trim() && quote.length <= QUOTE_MAX ? { sourceId: String(source.id), quote, quoteStart: start } : null;
}

export const actions = {
	create: (event) =>
		formAction(event, {
			permission: 'manageItems',
			parse: newItemSchema,
			run: ({ db, change }, data) => createItem(db, data, change),
			next: (item) => `/initiatives/${item.code}/edit?done=created`
		})
} satisfies Actions;
