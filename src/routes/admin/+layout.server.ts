import { requirePermission } from '$lib/server/auth/guard';
import type { LayoutServerLoad } from './$types';

// Reading admin pages needs the admin role; every action checks again on its own.
export const load = (({ locals }) => {
	requirePermission(locals, 'manageUsers');
}) satisfies LayoutServerLoad;
