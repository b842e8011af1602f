/**
 * Refused attempts (a 403: a page, its data, an action or an endpoint the person may not use; an
 * evidence file refused as if missing, a 404) go to the security log, as 等保 audits expect. A forger
 * can send thousands, so each account (or address, for requests without one) logs at most
 * `PER_WINDOW` refusals a window; the rest are counted and the count rides on the next refusal
 * logged, so the log says how many there were without holding each.
 */
import type { Tx } from '../db';
import { recordSecurityEvent } from './security-log';

const WINDOW_MS = 10 * 60_000;
const PER_WINDOW = 20;
/** Past this many distinct keys the oldest windows are dropped (memory stays bounded under a flood). */
const MAX_KEYS = 10_000;

type Window = { start: number; logged: number; suppressed: number };
const windows = new Map<string, Window>();

export type Refusal = {
	actorId: number | null;
	username: string | null;
	address: string | null;
	method: string;
	path: string;
	status: number;
	/** Why, when the answer does not say it (a file refused is answered as missing: 404). */
	reason?: string;
};

/** Logs a refusal unless its key has used up this window; returns whether it was written. */
export function recordRefusal(db: Tx, refusal: Refusal, now = new Date()): boolean {
	const key = refusal.actorId !== null ? `user:${refusal.actorId}` : `address:${refusal.address ?? '?'}`;
	const t = now.getTime();
	let window = windows.get(key);
	if (!window || t - window.start >= WINDOW_MS) {
		window = { start: t, logged: 0, suppressed: window?.suppressed ?? 0 };
		windows.delete(key);
		windows.set(key, window);
		if (windows.size > MAX_KEYS) windows.delete(windows.keys().next().value!);
	}
	if (window.logged >= PER_WINDOW) {
		window.suppressed += 1;
		return false;
	}
	window.logged += 1;
	const suppressed = window.suppressed;
	window.suppressed = 0;
	recordSecurityEvent(db, {
		kind: 'access_denied',
		at: now.toISOString(),
		actorId: refusal.actorId,
		username: refusal.username,
		address: refusal.address,
		detail: {
			method: refusal.method,
			path: refusal.path.slice(0, 200),
			status: refusal.status,
			...(refusal.reason ? { reason: refusal.reason } : {}),
			...(suppressed ? { notLogged: suppressed } : {})
		}
	});
	return true;
}
