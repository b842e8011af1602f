/**
 * Rendered pages kept per user while the data stays the same (页面缓存). A page of this application
 * is a function of the data, the date, who looks (the header and the permissions differ) and the
 * interface language; every write appends to change_log, so the last history id and today's date
 * make the data's version. A leader's repeated look at the dashboard, a unit's page or a month's
 * summary is then served as it was rendered, until anything changes anywhere. At a province's size a page takes a fraction of a
 * second to compute and the same view is asked for again and again.
 *
 * Kept: successful GET pages (and their __data.json) of signed-in users, without a cookie set.
 * Never kept: the administrator's pages (the security log is not versioned by change_log), the
 * account and login pages, downloads (exports) and the health check.
 */
import type { Handle } from '@sveltejs/kit';
import { suzhouToday } from '$lib/dates';
import { getLocale } from '$lib/paraglide/runtime';
import { appDb } from './app-db';
import type { Tx } from './db';
import { lastChangeId } from './history';

type Kept = { body: ArrayBuffer; headers: [string, string][] };

/** At most this much is kept; the least recently used pages go first. */
const MAX_BYTES = 32 * 1024 * 1024;
const NEVER = [/^\/admin(\/|$)/, /^\/account(\/|$)/, /^\/login/, /^\/logout/, /^\/health$/, /\/export\//, /\/import(\/|$)/];

let version = '';
let bytes = 0;
const pages = new Map<string, Kept>();

/** The data's version: the last change to any record, and the date (lights move with the calendar). */
export function dataVersion(db: Tx): string {
	return `${lastChangeId(db)}|${suzhouToday()}`;
}

function keep(key: string, page: Kept) {
	pages.set(key, page);
	bytes += page.body.byteLength;
	for (const [old, p] of pages) {
		if (bytes <= MAX_BYTES) break;
		pages.delete(old);
		bytes -= p.body.byteLength;
	}
}

export const pageCache: Handle = async ({ event, resolve }) => {
	const user = event.locals.user;
	const path = event.url.pathname;
	if (event.request.method !== 'GET' || !user || NEVER.some((p) => p.test(path))) return resolve(event);
	const now = dataVersion(appDb());
	if (now !== version) {
		pages.clear(); // the data changed: nothing kept is true any more
		bytes = 0;
		version = now;
	}
	// The address as sent: SvelteKit's event.url drops the /__data.json of a client-side navigation,
	// and the page's data must not be served for the page (nor the page for its data).
	const sent = new URL(event.request.url);
	const key = `${user.id}\n${getLocale()}\n${sent.pathname}${sent.search}`;
	const hit = pages.get(key);
	if (hit) {
		pages.delete(key); // most recently used last
		pages.set(key, hit);
		return new Response(hit.body, { status: 200, headers: hit.headers });
	}
	const response = await resolve(event);
	const type = response.headers.get('content-type') ?? '';
	if (response.status !== 200 || response.headers.has('set-cookie') || !/^(text\/html|application\/json)/.test(type)) return response;
	const body = await response.arrayBuffer();
	const headers = [...response.headers];
	// Kept only if nothing was written while it was rendered.
	if (dataVersion(appDb()) === version && body.byteLength < MAX_BYTES / 8) keep(key, { body, headers });
	return new Response(body, { status: 200, headers });
};
