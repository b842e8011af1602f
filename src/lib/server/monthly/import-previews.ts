/**
 * A ledger's rows as its preview read them from the file, kept on the server until they are applied.
 * The confirmation sends only the preview's key: what is applied is what the file said and the
 * preview showed. (The rows travelled in the form once: edited between the two, they were applied
 * past every check of the file (its length limits, its text cleaning), and a province's ledger,
 * posted back whole, was refused as too large.)
 *
 * Kept in memory, for a while and within a bound: a preview not confirmed in time, or lost to a
 * restart, asks for the file again; nothing the person typed is lost (it is in their file).
 */
import { randomBytes } from 'node:crypto';
import type { Month } from '$lib/dates';
import type { ImportRow } from './import';

type Kept = { userId: number; month: Month; fileName: string; rows: ImportRow[]; size: number; at: number };

/** How long a preview waits for its confirmation. */
const KEPT_MS = 2 * 3600_000;
/** At most this many characters of rows are kept, the oldest previews let go first (a ledger's preview may hold 10 million). */
const MAX_CHARACTERS = 50_000_000;

const previews = new Map<string, Kept>();
let characters = 0;

function forget(key: string) {
	const kept = previews.get(key);
	if (!kept) return;
	characters -= kept.size;
	previews.delete(key);
}

function forgetOld(now: number) {
	for (const [key, kept] of previews) if (now - kept.at > KEPT_MS || characters > MAX_CHARACTERS) forget(key);
}

const sizeOf = (rows: ImportRow[]) =>
	rows.reduce((sum, r) => sum + r.progress.length + r.problems.length + r.nextSteps.length + r.evidence.length + 100, 0);

/** Keeps the rows `userId` previewed for `month`; returns the key the confirmation sends. */
export function keepPreview(userId: number, month: Month, fileName: string, rows: ImportRow[], now = Date.now()): string {
	const key = randomBytes(18).toString('base64url');
	const size = sizeOf(rows);
	previews.set(key, { userId, month, fileName, rows, size, at: now });
	characters += size;
	// A Map keeps its keys in the order they were set: the oldest are let go first.
	forgetOld(now);
	return key;
}

/** The rows of the preview `key`, if `userId` made it for `month` and it is still kept; null otherwise. */
export function previewedRows(key: string, userId: number, month: Month, now = Date.now()): { fileName: string; rows: ImportRow[] } | null {
	forgetOld(now);
	const kept = previews.get(key);
	return kept && kept.userId === userId && kept.month === month ? { fileName: kept.fileName, rows: kept.rows } : null;
}

/** Previews applied, for a while: a second confirmation (a double click, a second tab) is told it was imported. */
const applied = new Map<string, { userId: number; month: Month; count: number; at: number }>();

/** Lets a preview go once it is applied (`count` reports): confirming it twice imports nothing twice. */
export function forgetPreview(key: string, userId: number, month: Month, count: number, now = Date.now()): void {
	const kept = previews.get(key);
	forget(key);
	if (kept) applied.set(key, { userId, month, count, at: now });
	for (const [old, done] of applied) if (now - done.at > KEPT_MS) applied.delete(old);
}

/** How many reports the preview `key` of `userId` for `month` imported, if it was applied (lately); null otherwise. */
export function appliedCount(key: string, userId: number, month: Month): number | null {
	const done = applied.get(key);
	return done && done.userId === userId && done.month === month ? done.count : null;
}
