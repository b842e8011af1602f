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

export const load = (({ locals, params }) => {
	requirePermission(locals, 'manageItems');
	const db = appDb();
	const source = sourceIn(db, params.id);
	return {
		source,
		sameText: sourcesOfSameText(db, source.id),
		proposals: proposalsOf(db, source.id),
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
			next: () => `/sources/${event.params.id}/review`
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
