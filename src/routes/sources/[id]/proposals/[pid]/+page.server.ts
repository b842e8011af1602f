import { error } from '@sveltejs/kit';
import { m } from '$lib/i18n';
import { appDb } from '$lib/server/app-db';
import { requirePermission } from '$lib/server/auth/guard';
import { itemFormOptions } from '$lib/server/catalogue-options';
import { formAction } from '$lib/server/form-action';
import { acceptProposal, acceptSchema, getProposal } from '$lib/server/intake/intake';
import { getSource } from '$lib/server/sources';
import { nextItemCodes } from '$lib/server/workflow/items';
import type { Actions, PageServerLoad } from './$types';

/** The source's and the proposal's ids in the address (acceptProposal finds the proposal of that source, or answers 404). */
function ids(params: { id: string; pid: string }) {
	if (!/^\d{1,9}$/.test(params.id) || !/^\d{1,9}$/.test(params.pid)) error(404, m.proposal_gone());
	return { sourceId: Number(params.id), proposalId: Number(params.pid) };
}

export const load = (({ locals, params }) => {
	requirePermission(locals, 'manageItems');
	const { sourceId, proposalId } = ids(params);
	const db = appDb();
	const source = getSource(db, sourceId);
	const proposal = source && getProposal(db, source.id, proposalId);
	if (!source || !proposal) error(404, m.proposal_gone());
	const options = itemFormOptions(db);
	const codes = nextItemCodes(db);
	return {
		source: { id: source.id, title: source.title, body: source.body },
		proposal,
		themes: options.themes,
		units: options.units,
		codes
	};
}) satisfies PageServerLoad;

export const actions = {
	accept: (event) =>
		formAction(event, {
			permission: 'manageItems',
			parse: acceptSchema,
			run: ({ db, change }, data) => {
				const { sourceId, proposalId } = ids(event.params);
				return acceptProposal(db, sourceId, proposalId, data, change);
			},
			next: (item) => `/sources/${event.params.id}/review?done=accepted&code=${encodeURIComponent(item.code)}`
		})
} satisfies Actions;
