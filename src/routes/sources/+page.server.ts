import { suzhouToday } from '$lib/dates';
import { can } from '$lib/roles';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { sourceOverview } from '$lib/server/sources';
import type { PageServerLoad } from './$types';

export const load = (({ locals }) => {
	const user = requireUser(locals);
	return { sources: sourceOverview(appDb(), suzhouToday()), managesItems: can(user.role, 'manageItems') };
}) satisfies PageServerLoad;
