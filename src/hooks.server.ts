import { error, json, type Handle, type HandleServerError, type RequestEvent, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { appDb, startDatabase } from '$lib/server/app-db';
import { isCrossSiteForm } from '$lib/server/auth/cross-site';
import { allowedBeforePasswordChange, isStaticFile, seeOther, toLogin } from '$lib/server/auth/guard';
import { recordRefusal } from '$lib/server/auth/refusal-log';
import { refusal, refusalPage } from '$lib/server/auth/refusal-page';
import { accessOf, mayOpen } from '$lib/server/auth/route-access';
import { recordSecurityEvent } from '$lib/server/auth/security-log';
import { SESSION_COOKIE, validateSession } from '$lib/server/auth/sessions';
import { readSecuritySettings } from '$lib/server/auth/settings';
import { CatalogueError } from '$lib/server/catalogue';
import { DatabaseOpenError } from '$lib/server/db';
import { startNotifications } from '$lib/server/notifications/service';
import { readConfig } from '$lib/server/config';
import { refusedCall } from '$lib/server/api/handler';
import { pageCache } from '$lib/server/page-cache';
import { warmAfterWrite } from '$lib/server/dashboard';
import { contentSecurityPolicyHeader } from '$lib/server/content-security-policy';
import { loadRouteCode } from '$lib/server/warm-up';
import { countRequests } from '$lib/server/requests-in-flight';
import { clientAddress } from '$lib/server/request';
import { m } from '$lib/i18n';
import { inLanguage, languageOf } from '$lib/server/language';

const security = readSecuritySettings();

export const init: ServerInit = async () => {
	try {
		console.log(startDatabase());
		startNotifications(appDb());
		// Imported here, not above: their modules are the files their workers run, kept apart from the server's own.
		const { startMonthKeeper } = await import('$lib/server/monthly/month-keeper');
		startMonthKeeper(appDb(), readConfig().databaseUrl);
		const { startPastViews } = await import('$lib/server/portfolio/past-worker');
		startPastViews(readConfig().databaseUrl);
		const { startExportWorker } = await import('$lib/server/monthly/export-worker');
		startExportWorker();
		// Before the server listens: the first requests then never wait behind the routes' code loading.
		await loadRouteCode();
	} catch (error) {
		// A start that cannot open its database or read its catalogue stops with one clear line.
		if (error instanceof DatabaseOpenError || error instanceof CatalogueError) {
			console.error(error.message);
			process.exit(1);
		}
		throw error;
	}
};

/**
 * An error nobody expected (or an address that matches no page) is shown with a plain message in
 * the person's language; the error itself goes to the log, never to the page.
 */
export const handleError: HandleServerError = ({ error, status }) => {
	if (status >= 500) console.error(error);
	// SvelteKit's own refusals come here too (a form posted to a page without one: 405; a form in a
	// format forms are not sent in: 415): they are the request's fault, not a passing failure.
	if (status === 404) return { message: m.error_not_found_text() };
	if (status === 405) return { message: m.error_method_text() };
	return { message: status >= 400 && status < 500 ? m.error_bad_request_text() : m.error_text() };
};

const disabledPage = () =>
	refusalPage(m.disabled_title(), m.disabled_heading(), m.disabled_text(), { href: '/login', label: m.back_to_login() });

/** A form sent from another site (`cross-site.ts`): refused before it is read or anyone is signed in. */
const refuseCrossSiteForms: Handle = async ({ event, resolve }) => {
	if (!isCrossSiteForm(event.request, event.url)) return resolve(event);
	const message = m.cross_site_text();
	if (event.request.headers.get('accept') === 'application/json') return json({ message }, { status: 403 });
	return refusal(refusalPage(m.cross_site_title(), m.cross_site_heading(), message, { href: '/', label: m.back_home() }));
};

const authenticate: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.sessionId = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (!token) return resolve(event);
	const db = appDb();
	const now = new Date();
	const check = validateSession(db, token, now, security);
	if (check.state === 'valid') {
		event.locals.user = check.user;
		event.locals.sessionId = check.sessionId;
		return resolve(event);
	}
	event.cookies.delete(SESSION_COOKIE, { path: '/' });
	const address = event.getClientAddress();
	if (check.state === 'expired') {
		recordSecurityEvent(db, {
			kind: 'session_expired',
			at: now.toISOString(),
			username: check.username,
			address,
			detail: { reason: check.reason }
		});
	}
	if (check.state === 'disabled') {
		recordSecurityEvent(db, {
			kind: 'access_denied',
			at: now.toISOString(),
			username: check.username,
			address,
			detail: { reason: 'disabled' }
		});
		return refusal(disabledPage(), { 'set-cookie': `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax` });
	}
	return resolve(event);
};

/**
 * A form action's name from `?/name`, when the request names one. SvelteKit looks it up as a plain
 * property, so `__proto__`, `constructor` or `toString` would reach Object's own members (a 500):
 * only identifiers that are not Object's are action names; anything else is a 404 here.
 */
function unknownActionName(url: URL): boolean {
	for (const [key] of url.searchParams) {
		if (!key.startsWith('/')) continue;
		const name = key.slice(1);
		return !/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name) || name === 'default' || name in Object.prototype;
	}
	return false;
}

/** Writes a refused attempt to the security log (rate-limited per person or address). */
function logRefusal(event: RequestEvent, status: number) {
	const user = event.locals.user;
	recordRefusal(appDb(), {
		actorId: user?.id ?? null,
		username: user?.username ?? null,
		address: clientAddress(event),
		method: event.request.method,
		path: event.url.pathname + event.url.search,
		status
	});
}

/** Whether a request asks for a page (a browser), not data (a script, a calendar program). */
const acceptsHtml = (request: Request) => (request.headers.get('accept') ?? '').includes('text/html');

/**
 * Who may reach what, for every request before any load or action runs (`route-access.ts`): page
 * data (`__data.json`, where SvelteKit may skip the layouts), pages, actions and endpoints alike.
 * A refusal made further in (an action's permission, another unit's item) is logged too.
 */
const guard: Handle = async ({ event, resolve }) => {
	const path = event.url.pathname;
	if (event.request.method === 'POST' && unknownActionName(event.url)) error(404, m.error_not_found_text());
	// An address under /api/ that matched no route: the API says so in its own format, before asking
	// for a key it would not need. Under /api/v1/ every address that decodes is the API's route, so
	// one that matched none holds a part that does not decode (%E0%A4); elsewhere it is no endpoint.
	if (event.route.id === null && path.startsWith('/api/')) return refusedCall(path.startsWith('/api/v1/') ? 'address' : 'endpoint');
	const access = accessOf(event.route.id);
	if (access === 'public' || (event.route.id === null && isStaticFile(path))) return resolve(event);
	const user = event.locals.user;
	if (!user) {
		if (event.request.method !== 'GET') logRefusal(event, 401);
		const wantsHtml = event.request.method !== 'GET' || acceptsHtml(event.request);
		if (wantsHtml && !event.isDataRequest) return toLogin(event);
		return new Response(JSON.stringify({ message: m.sign_in_first() }), { status: 401, headers: { 'content-type': 'application/json' } });
	}
	if (user.mustChangePassword && !allowedBeforePasswordChange(path)) return seeOther('/account/password');
	if (!mayOpen(user, access)) {
		logRefusal(event, 403);
		// Opening a page (a GET) is not "doing" something: the refusal says what it is and whom to ask,
		// as a page in the person's language (SvelteKit's page for an error of this hook is one fixed file).
		if (event.request.method === 'GET' && !event.isDataRequest && acceptsHtml(event.request))
			return refusal(
				refusalPage(`${m.no_permission_title()} · ${m.app_name()}`, m.no_permission_title(), m.no_permission_page(), {
					href: '/',
					label: m.back_to_dashboard()
				})
			);
		error(403, event.request.method === 'GET' ? m.no_permission_page() : m.no_permission());
	}
	const response = await resolve(event);
	if (response.status === 403) logRefusal(event, 403);
	return response;
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const headers = response.headers;
	// The pages say their charset in a <meta> too; a tool that reads only the header then reads them right.
	if (headers.get('content-type') === 'text/html') headers.set('content-type', 'text/html; charset=utf-8');
	headers.set('X-Content-Type-Options', 'nosniff');
	headers.set('Referrer-Policy', 'same-origin');
	headers.set('X-Frame-Options', 'DENY');
	headers.set('Cross-Origin-Opener-Policy', 'same-origin');
	headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	// Pages of a signed-in user hold data that must not stay in shared caches.
	if (event.locals.user && !event.url.pathname.startsWith('/_app/')) headers.set('Cache-Control', 'no-store');
	return response;
};

/**
 * A request refused before its form is read (no permission, a page without actions) leaves its body
 * unread: adapter-node has paused the upload, Node does not discard it, and the connection then
 * hangs for the next request a client sends on it. Once answered, read the rest and discard it
 * (at most BODY_SIZE_LIMIT; past it the stream ends in an error, which is ignored here).
 */
const discardUnreadBody: Handle = async ({ event, resolve }) => {
	try {
		return await resolve(event);
	} finally {
		// Also when a later hook refused by throwing (the route guard, an unknown action name).
		const body = event.request.body;
		if (body && !event.request.bodyUsed) body.pipeTo(new WritableStream()).catch(() => {});
	}
};

/**
 * The interface language of the request (the cookie /language sets, else Chinese): messages and
 * dates rendered on the server follow it, and the page's <html lang> says it.
 */
const language: Handle = ({ event, resolve }) => {
	const locale = languageOf(event.request);
	return inLanguage(locale, () => resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', locale) }));
};

/** A write answered (any request but a read, not refused): the city's present view is computed for the next look. */
const warmViewsAfterWrites: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const method = event.request.method;
	if (method !== 'GET' && method !== 'HEAD' && response.status < 400) warmAfterWrite(appDb());
	return response;
};

// The security headers go on every answer, the cross-site refusal's too; a cross-site form is refused
// before the session is read (a refusal there would otherwise be a sign-in page or a guard's answer).
// A page is kept with its Content-Security-Policy (set inside pageCache, computed once per rendering).
export const handle = sequence(
	countRequests,
	language,
	discardUnreadBody,
	securityHeaders,
	refuseCrossSiteForms,
	authenticate,
	guard,
	warmViewsAfterWrites,
	pageCache,
	contentSecurityPolicyHeader
);
