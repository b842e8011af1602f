import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { can } from '$lib/roles';
import { sourceIn } from '$lib/server/sources';
import type { PageServerLoad } from './$types';

export const load = (({ locals, params }) => {
	const user = requireUser(locals);
	const source = sourceIn(appDb(), params.id);
	return { source, managesItems: can(user.role, 'manageItems') };
}) satisfies PageServerLoad;
