import { error } from '@sveltejs/kit';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { can } from '$lib/roles';
import { getSource } from '$lib/server/sources';
import type { PageServerLoad } from './$types';
import { m } from '$lib/i18n';

export const load = (({ locals, params }) => {
	const user = requireUser(locals);
	const id = /^\d{1,9}$/.test(params.id) ? Number(params.id) : null;
	const source = id === null ? null : getSource(appDb(), id);
	if (!source) error(404, m.source_not_found({ id: params.id.slice(0, 20) }));
	return { source, managesItems: can(user.role, 'manageItems') };
}) satisfies PageServerLoad;
