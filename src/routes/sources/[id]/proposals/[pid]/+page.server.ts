import { error } from '@sveltejs/kit';
import { m } from '$lib/i18n';
import { appDb } from '$lib/server/app-db';
import { requirePermission } from '$lib/server/auth/guard';
import { itemFormOptions } from '$lib/server/catalogue-options';
import { formAction } from '$lib/server/form-action';
import { acceptProposal, acceptSchema, getProposal } from '$lib/server/intake/intake';
import { getSource } from '$lib/server/sources';
import { nextItemCode } from '$lib/server/workflow/items';
import type { Actions, PageServerLoad } from './$types';

function ids(params: { id: string; pid: string }) {
	const id = /^\d{1,9}$/.test(params.id) ? Number(params.id) : null;
	const pid = /^\d{1,9}$/.test(params.pid) ? Number(params.pid) : null;
	const source = id === null ? null : getSource(appDb(), id);
	const proposal = source && pid !== null ? getProposal(appDb(), source.id, pid) : null;
	if (!source || !proposal) error(404, m.proposal_gone());
	return { source, proposal };
}

export const load = (({ locals, params }) => {
	requirePermission(locals, 'manageItems');
	const { source, proposal } = ids(params);
	const db = appDb();
	const options = itemFormOptions(db);
	const codes = Object.fromEntries(options.themes.map((t) => [t.id, nextItemCode(db, t.id) ?? '']));
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
				const { source, proposal } = ids(event.params);
				return acceptProposal(db, source.id, proposal.id, data, change);
			},
			next: (item) => `/sources/${event.params.id}/review?done=accepted&code=${encodeURIComponent(item.code)}`
		})
} satisfies Actions;
