/**
 * Who may open which route at all: the one table the request hook checks for every request (pages,
 * their `__data.json`, form actions and endpoints) before any load runs. SvelteKit runs a page's load
 * beside its layouts' and may skip the layouts entirely (`x-sveltekit-invalidated`), so a guard in a
 * layout protects nothing; this table does. A route missing from it is refused (fail closed), and a
 * test keeps it in step with `src/routes`.
 *
 * Reading is decided here; what a person may change (an action's permission, their own unit's
 * items) is checked again by each command.
 */
import { can, type Permission } from '$lib/roles';
import type { SessionUser } from './sessions';

/** `public`: no sign-in; `signedIn`: anyone signed in; otherwise the permission needed. */
export type RouteAccess = 'public' | 'signedIn' | Permission;

export const routeAccess: Record<string, RouteAccess> = {
	'/login': 'public',
	'/language': 'public',
	'/health': 'public',
	// The secret in the address is the credential: calendar programs send no cookie (calendar-feed.ts).
	'/calendar/[feed]': 'public',
	// The read API checks its own keys (Authorization: Bearer), scope and rate limit (api/handler.ts).
	'/api/v1/[...path]': 'public',
	'/logout': 'signedIn',
	'/': 'signedIn',
	'/todo': 'signedIn',
	'/help': 'signedIn',
	'/account/password': 'signedIn',
	'/account/notifications': 'signedIn',
	'/notifications': 'signedIn',
	'/initiatives/[code]': 'signedIn',
	'/sources': 'signedIn',
	'/sources/[id]': 'signedIn',
	'/sources/new': 'manageItems',
	'/sources/[id]/review': 'manageItems',
	'/sources/[id]/proposals/[pid]': 'manageItems',
	'/themes/[id]': 'signedIn',
	'/units/[id]': 'signedIn',
	'/reports': 'signedIn',
	'/reports/[month]': 'signedIn',
	'/reports/[month]/export/[format]': 'exportSummaries',
	'/reports/[month]/import': 'importReports',
	'/reports/[month]/circular': 'issueSlips',
	'/reports/[month]/circular/docx': 'issueSlips',
	'/initiatives/[code]/report/[month]': 'writeReports',
	'/initiatives/[code]/contribution/[month]': 'writeReports',
	'/initiatives/[code]/edit': 'manageItems',
	'/initiatives/new': 'manageItems',
	'/reviews': 'reviewReports',
	'/files/[id]': 'signedIn',
	'/slips': 'signedIn',
	'/slips/export': 'signedIn',
	'/slips/[id]': 'signedIn',
	'/slips/[id]/docx': 'signedIn',
	'/admin/users': 'manageUsers',
	'/admin/users/[id]': 'manageUsers',
	'/admin/audit': 'viewAudit',
	'/admin/settings': 'manageSettings',
	'/admin/notifications': 'manageSettings',
	'/admin/calendar': 'manageSettings',
	'/admin/api': 'manageSettings',
	'/help/api': 'signedIn'
};

/** The rule for a route id; `null` (no route matched: a 404 to come) needs a signed-in user. */
export function accessOf(routeId: string | null): RouteAccess | 'unlisted' {
	if (routeId === null) return 'signedIn';
	return Object.hasOwn(routeAccess, routeId) ? routeAccess[routeId] : 'unlisted';
}

export function mayOpen(user: SessionUser | null, access: RouteAccess | 'unlisted'): boolean {
	if (access === 'public') return true;
	if (!user || access === 'unlisted') return false;
	return access === 'signedIn' || can(user.role, access);
}
