import { z } from 'zod';
import { m } from '$lib/i18n';
import { appDb } from '$lib/server/app-db';
import { requirePermission } from '$lib/server/auth/guard';
import { formAction } from '$lib/server/form-action';
import { wholeNumber } from '$lib/server/forms';
import { mergeWithNext, proposalsOf, proposeAgain, rejectProposal, sourcesOfSameText, splitProposal } from '$lib/server/intake/intake';
import { sourceIdIn, sourceIn } from '$lib/server/sources';
import { PROPOSALS_MAX } from '$lib/server/intake/propose';
import { QUOTE_MAX } from '$lib/server/workflow/items';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/**
 * Proposals a page carries, open and decided each: a long source's thousands would make a page of
 * megabytes, rendered on the server's one thread at every look (12 MB and 1.4 s for 2,400).
 */
const PAGE_SIZE = 100;

export const load = (({ locals, params, url }) => {
	requirePermission(locals, 'manageItems');
	const db = appDb();
	const source = sourceIn(db, params.id);
	const proposals = proposalsOf(db, source.id);
	const open = proposals.filter((p) => p.status === 'open');
	const decided = proposals.filter((p) => p.status !== 'open');
	const pages = Math.max(1, Math.ceil(open.length / PAGE_SIZE));
	const requested = Number(url.searchParams.get('page') ?? 1);
	const pageNo = Number.isInteger(requested) && requested >= 1 && requested <= pages ? requested : 1;
	return {
		source,
		sameText: sourcesOfSameText(db, source.id),
		// This page's open proposals, numbered from `first` (the marks in the text carry the numbers).
		open: open.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE),
		first: (pageNo - 1) * PAGE_SIZE + 1,
		decided: decided.slice(0, PAGE_SIZE),
		counts: {
			all: proposals.length,
			open: open.length,
			accepted: decided.filter((p) => p.status === 'accepted').length,
			rejected: decided.filter((p) => p.status === 'rejected').length
		},
		pageNo,
		pages,
		quoteMax: QUOTE_MAX,
		proposalsMax: PROPOSALS_MAX
	};
}) satisfies PageServerLoad;

const onProposal = z.object({ proposal: wholeNumber(m.entity_proposal, 1, 1e9) });

/** A decision on one proposal, then back to the review at the next one. */
const decide =
	(run: (db: Parameters<typeof rejectProposal>[0], source: number, proposal: number, ctx: Parameters<typeof rejectProposal>[3]) => void) =>
	(event: RequestEvent) =>
		formAction(event, {
			permission: 'manageItems',
			parse: onProposal,
			run: ({ db, change }, data) => run(db, sourceIdIn(event.params.id), data.proposal, change),
			// Back at the page of proposals the decision was made on (its number as the page wrote it).
			next: () =>
				`/sources/${event.params.id}/review${/^\d{1,6}$/.test(event.url.searchParams.get('page') ?? '') ? `?page=${event.url.searchParams.get('page')}` : ''}`
		});

export const actions = {
	reject: decide(rejectProposal),
	merge: decide(mergeWithNext),
	split: decide(splitProposal),
	again: (event) =>
		formAction(event, {
			permission: 'manageItems',
			parse: z.object({}),
			run: ({ db, change }) => proposeAgain(db, sourceIdIn(event.params.id), change),
			next: () => `/sources/${event.params.id}/review?done=proposed`
		})
} satisfies Actions;
