/**
 * Rendered pages kept per user (页面缓存). A page of this application is a function of the data, the
 * date, who looks (the header and the permissions differ) and the interface language. What it shows
 * decides how long it is kept:
 *
 * - Most pages show the present: they are kept until anything is written. A write to a record with a
 *   history appends to change_log; a write to a table without one (an intake proposal rejected or
 *   merged) leaves no trace there, but comes, as every write of the server does, by a request that is
 *   not a GET (and not refused: a 4xx has written nothing). So the data's version is change_log's
 *   last id (which also sees the command line's writes), the count of such requests answered, and
 *   today's date.
 * - A page that shows only the past that can no longer change (a closed month's summary, the
 *   dashboard as of a final day: the load says so with `keepAcrossWrites`) is kept across writes, until
 *   what every page shows beside its view changes: the date, the sources in the menu, the people.
 *
 * A leader's repeated look at the dashboard or a month's summary is then served as it was rendered.
 * Kept: successful GET pages (and their __data.json) of signed-in users, without a cookie set, as one
 * byte array never written to, served without a copy in one chunk (see `served`). The header's
 * unread count (通知) is the person's: the key holds their inbox's state. Never kept: the administrator's pages (the security log is not versioned by
 * change_log), the account, inbox and login pages, downloads (exports) and the health check.
 */
import type { Handle } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import { suzhouToday } from '$lib/dates';
import { getLocale } from '$lib/paraglide/runtime';
import { appDb } from './app-db';
import { preparedOnce, type Tx } from './db';
import { changeLog } from './db/schema';
import { lastChangeId } from './history';
import { headerInbox } from './notifications/inbox';

type Kept = { body: Uint8Array; headers: [string, string][]; past: boolean };

/** At most this much is kept; the least recently used pages go first. */
const MAX_BYTES = 32 * 1024 * 1024;
const NEVER = [
	/^\/admin(\/|$)/,
	/^\/account(\/|$)/,
	/^\/notifications(\/|$)/,
	/^\/login/,
	/^\/logout/,
	/^\/health$/,
	/\/export\//,
	/\/import(\/|$)/
];

let version = '';
let frame = '';
let bytes = 0;
const pages = new Map<string, Kept>();

/** Requests other than GET and HEAD answered, but for refusals: any of them may have written. */
let writesAnswered = 0;

/** The last change to the sources or the people, and the last change to anything when it was read. */
let frameChange = 0;
let frameReadAt = -1;

/**
 * The versions a kept page is checked against, on every request for one. The data's: the last change
 * to any record, and the date (lights move with the calendar). The frame's, what every page shows
 * beside its view: the date, and the last change to the sources (the menu) or the people (the
 * header). Every change has a higher id than any before it, so the frame's change can only be another
 * once the last change is: it is read again only then (reading it cost 35 µs a request, some 7% of
 * serving a kept page, where the last change costs 3 µs).
 */
function versions(db: Tx): { data: string; frame: string } {
	const last = lastChangeId(db);
	if (last !== frameReadAt) {
		frameChange = lastFrameChange(db).get()?.v ?? 0;
		frameReadAt = last;
	}
	const today = suzhouToday();
	return { data: `${last}|${writesAnswered}|${today}`, frame: `${frameChange}|${today}` };
}

const lastFrameChange = preparedOnce((db) =>
	db
		.select({ v: sql<number | null>`max(${changeLog.id})` })
		.from(changeLog)
		.where(sql`${changeLog.entity} IN ('source', 'user')`)
		.prepare()
);

/** Marks the page being rendered as showing only what can no longer change: kept across writes. */
export function keepAcrossWrites(locals: App.Locals): void {
	locals.keptAcrossWrites = true;
}

function drop(stale: (page: Kept) => boolean) {
	for (const [key, page] of pages) {
		if (!stale(page)) continue;
		pages.delete(key);
		bytes -= page.body.byteLength;
	}
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
	const method = event.request.method;
	if (method !== 'GET' && method !== 'HEAD') {
		let status = 500;
		try {
			const response = await resolve(event);
			status = response.status;
			return response;
		} finally {
			// A refusal (4xx: a form with errors, a failed sign-in) has written nothing: a flood of them
			// leaves the kept pages be. Anything else may have written.
			if (status < 400 || status >= 500) writesAnswered++;
		}
	}
	if (method !== 'GET' || !user || NEVER.some((p) => p.test(path))) return resolve(event);
	const db = appDb();
	const now = versions(db);
	if (now.frame !== frame)
		drop(() => true); // the header or the menu changed: nothing kept is true any more
	else if (now.data !== version) drop((page) => !page.past); // the data changed: only views of the past hold
	[version, frame] = [now.data, now.frame];
	// The address as sent: SvelteKit's event.url drops the /__data.json of a client-side navigation,
	// and the page's data must not be served for the page (nor the page for its data).
	const sent = new URL(event.request.url);
	// The header's unread count is the person's own: their inbox's state is part of the key.
	const inbox = headerInbox(event.locals, db, user);
	const key = `${user.id}|${inbox.last}|${inbox.unread}\n${getLocale()}\n${sent.pathname}${sent.search}`;
	const hit = pages.get(key);
	if (hit) {
		pages.delete(key); // most recently used last
		pages.set(key, hit);
		return served(hit);
	}
	const response = await resolve(event);
	const type = response.headers.get('content-type') ?? '';
	if (response.status !== 200 || response.headers.has('set-cookie') || !/^(text\/html|application\/json)/.test(type)) return response;
	const body = new Uint8Array(await response.arrayBuffer());
	const headers: [string, string][] = [...response.headers.entries()].filter(([name]) => name !== 'content-length');
	headers.push(['content-length', String(body.byteLength)]);
	const past = event.locals.keptAcrossWrites === true;
	// Kept only if nothing it depends on was written while it was rendered.
	const after = versions(db);
	const unchanged = after.frame === frame && (past || after.data === version);
	const page = { body, headers, past };
	if (unchanged && body.byteLength < MAX_BYTES / 8) keep(key, page);
	return served(page);
};

/**
 * A kept page as a response: its bytes in one chunk of a plain stream, which neither copies nor
 * detaches them (a Response made of the bytes copies them on every hit; one made of a Blob reads them
 * in pieces, and the socket writes each: together some 40% of serving a kept page at 20 connections,
 * profiled on 2026-12-01). Nothing writes to the bytes once kept, so every response may share them.
 */
function served(page: Kept): Response {
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			controller.enqueue(page.body);
			controller.close();
		}
	});
	return new Response(stream, { status: 200, headers: page.headers });
}
