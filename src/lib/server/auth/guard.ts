/**
 * Signed-in checks for loads and actions. Who may open which route is decided for every request in
 * `route-access.ts` (the hook); actions and endpoints check their own permission again with
 * `requirePermission`.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/i18n';
import { can, type Permission } from '$lib/roles';
import type { SessionUser } from './sessions';

/** Static files that match no route but must load before anyone signs in. */
const STATIC_FILES = ['/favicon.svg', '/robots.txt'];

export function isStaticFile(pathname: string): boolean {
	return STATIC_FILES.includes(pathname) || pathname.startsWith('/_app/');
}

/** Paths a user who must change their password may still use. */
export function allowedBeforePasswordChange(pathname: string): boolean {
	return pathname === '/account/password' || pathname === '/logout';
}

/**
 * The answer to an anonymous request for a page: to the login page, coming back to a page.
 * A form the browser sent itself (JavaScript off, or sent before the page's scripts ran) goes on to
 * the login page whole (307 keeps the method and the body), marked `LOST_FORM` so that the login
 * never reads it as a sign-in (a user form carries a username and a password too); the page shows
 * its texts to copy, since without scripts nothing kept them in the tab. A form sent by the page's
 * script (`x-sveltekit-action`) is followed there by a GET; the text areas kept its texts in the tab
 * and give them back on return.
 */
export function toLogin(event: RequestEvent): Response {
	const request = event.request;
	if (request.method === 'GET') {
		const back = event.url.pathname + event.url.search;
		return seeOther(back === '/' ? '/login' : `/login?redirectTo=${encodeURIComponent(back)}`);
	}
	// A form sent without a session (it ran out while the form was filled in) leads back to the form's
	// page, not to its action; the login page says the form was not saved (`unsaved`).
	// (`unsaved` on the way back too: there the text areas give back what the lost form held.)
	const login = `/login?unsaved&redirectTo=${encodeURIComponent(`${event.url.pathname}?unsaved`)}`;
	const browserForm =
		request.method === 'POST' &&
		!request.headers.has('x-sveltekit-action') &&
		/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(request.headers.get('content-type') ?? '');
	return browserForm ? new Response(null, { status: 307, headers: { location: `${login}&${LOST_FORM}` } }) : seeOther(login);
}

/** The mark of a form passed on to the login page by `toLogin`: never a sign-in. */
export const LOST_FORM = 'lostForm';

export const seeOther = (location: string) => new Response(null, { status: 303, headers: { location } });

/**
 * A place to go back to (after login, after choosing the language): resolved against our own origin
 * as a browser would resolve it, and kept only when it stays there. Anything else (another host,
 * `//host`, `/\\host`, tabs or line breaks that browsers drop, a scheme) goes to `/`. The answer is
 * the resolved path, query and fragment, percent-encoded, so it is always a valid Location header.
 */
export function safeRedirectTarget(value: string | null, origin: string): string {
	if (!value || value.length > 2000 || !value.startsWith('/')) return '/';
	let target: URL;
	try {
		target = new URL(value, origin);
	} catch {
		return '/';
	}
	if (target.origin !== new URL(origin).origin || target.pathname === '/login') return '/';
	return target.pathname + target.search + target.hash;
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
