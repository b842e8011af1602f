/**
 * Who may reach what. Everything but the login page and static files needs a signed-in user;
 * actions and endpoints check their permission again with `requirePermission`.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/i18n';
import { can, type Permission } from '$lib/roles';
import type { SessionUser } from './sessions';

const PUBLIC_PATHS = ['/login', '/language', '/health', '/favicon.svg', '/robots.txt'];

export function isPublic(pathname: string): boolean {
	return PUBLIC_PATHS.includes(pathname) || pathname.startsWith('/_app/');
}

/** Paths a user who must change their password may still use. */
export function allowedBeforePasswordChange(pathname: string): boolean {
	return pathname === '/account/password' || pathname === '/logout';
}

/** Where to send an anonymous request: the login page, coming back to a page (never elsewhere). */
export function loginRedirect(event: RequestEvent): string {
	const back = event.request.method === 'GET' ? event.url.pathname + event.url.search : '/';
	return back === '/' ? '/login' : `/login?redirectTo=${encodeURIComponent(back)}`;
}

/** A path to go back to after login: only a local one. */
export function safeRedirectTarget(value: string | null): string {
	if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
	return value;
}

export function requireUser(locals: App.Locals): SessionUser {
	if (!locals.user) redirect(303, '/login');
	return locals.user;
}

export function requirePermission(locals: App.Locals, permission: Permission): SessionUser {
	const user = requireUser(locals);
	if (!can(user.role, permission)) error(403, m.no_permission());
	return user;
}
