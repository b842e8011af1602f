import { suzhouToday } from '$lib/dates';
import { can } from '$lib/roles';
import { appDb, isDemo } from '$lib/server/app-db';
import { headerInbox } from '$lib/server/notifications/inbox';
import type { LayoutServerLoad } from './$types';

export const load = (({ locals }) => {
	const user = locals.user;
	return {
		demo: isDemo(),
		today: suzhouToday(),
		// Only what the header needs of the signed-in user (and its id, which keys the text kept unsaved in the tab: TextArea).
		user: user && {
			id: user.id,
			displayName: user.displayName,
			role: user.role,
			isAdmin: can(user.role, 'manageUsers'),
			reviews: can(user.role, 'reviewReports'),
			managesItems: can(user.role, 'manageItems'),
			unread: headerInbox(locals, appDb(), user).unread
		}
	};
}) satisfies LayoutServerLoad;
