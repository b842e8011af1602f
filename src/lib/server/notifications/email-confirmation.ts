/**
 * A new e-mail address is used only once its person proves it is theirs (邮箱确认). Notices carry an
 * item's texts, a unit's return comments, deadlines: an address mistyped by one letter would send them
 * to a stranger for months. So a new address waits (`email_confirmation`) while a six-digit code goes
 * to it, and becomes the person's (`user.email`, in the history) when they type the code back on their
 * own notice settings, signed in: a stranger who receives the code cannot use it. Meanwhile notices go
 * to the address confirmed before, or stay in the app. Removing an address needs no code.
 *
 * A code lasts a day and allows five wrong tries (then a new one must be sent); a new one is sent at
 * most once a minute. Only its hash is kept. The code's e-mail is sent like every other, through the
 * outbox, and only while that address is still the one waiting (`awaitsConfirmation`).
 */
import { createHash, randomInt } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import { m } from '$lib/i18n';
import type { Db, Tx } from '../db';
import { emailConfirmation, user } from '../db/schema';
import { updateTracked, type ChangeContext } from '../history';
import { WorkflowError } from '../workflow/errors';
import { queue } from './notify';
import { wakeSender } from './sender-signal';

const CODE_LASTS_MS = 24 * 60 * 60_000;
const TRIES = 5;
const RESEND_AFTER_MS = 60_000;

/** An address waiting for its code, as its person's settings show it. */
export type PendingAddress = { address: string; sentAt: string; expiresAt: string; expired: boolean };

const hashOf = (userId: number, code: string) => createHash('sha256').update(`${userId}|${code}`).digest('hex');

/** The address `userId` gave and has not confirmed yet, if any. */
export function pendingAddress(db: Tx, userId: number, now: string): PendingAddress | null {
	const row = db.select().from(emailConfirmation).where(eq(emailConfirmation.userId, userId)).get();
	return row ? { address: row.address, sentAt: row.sentAt, expiresAt: row.expiresAt, expired: row.expiresAt <= now } : null;
}

/** Whether `address` is still the one `userId` is confirming, its code still valid (the outbox sends the code only then). */
export function awaitsConfirmation(db: Tx, userId: number, address: string, now: string): boolean {
	return !!db
		.select({ userId: emailConfirmation.userId })
		.from(emailConfirmation)
		.innerJoin(user, eq(user.id, emailConfirmation.userId))
		.where(
			and(
				eq(emailConfirmation.userId, userId),
				eq(emailConfirmation.address, address),
				gt(emailConfirmation.expiresAt, now),
				eq(user.disabled, false)
			)
		)
		.get();
}

/** Makes `address` the one `userId` is confirming, with a new code sent to it (in `tx`, the save's transaction). */
export function askToConfirm(tx: Tx, userId: number, address: string, at: string): void {
	const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
	const expiresAt = new Date(Date.parse(at) + CODE_LASTS_MS).toISOString();
	const row = { userId, address, codeHash: hashOf(userId, code), attempts: 0, sentAt: at, expiresAt };
	tx.insert(emailConfirmation).values(row).onConflictDoUpdate({ target: emailConfirmation.userId, set: row }).run();
	// The code in the body only: the outbox's list on /admin/notifications shows titles.
	queue(
		tx,
		'email',
		address,
		{
			event: 'confirm',
			key: `confirm|${userId}|${at}`,
			title: m.email_confirm_title(),
			body: m.email_confirm_body({ code }),
			link: '/account/notifications'
		},
		at,
		{ userId, unitId: null }
	);
	wakeSender();
}

/** Drops the address `userId` was confirming (they removed it, gave another, or typed back the one in use). */
export function dropPending(tx: Tx, userId: number): void {
	tx.delete(emailConfirmation).where(eq(emailConfirmation.userId, userId)).run();
}

/** A new code for the address waiting, at most once a minute. */
export function resendCode(db: Db, userId: number, at: string): void {
	db.transaction((tx) => {
		const pending = pendingAddress(tx, userId, at);
		if (!pending) throw new WorkflowError('form', m.email_confirm_none());
		if (Date.parse(at) - Date.parse(pending.sentAt) < RESEND_AFTER_MS) throw new WorkflowError('form', m.email_confirm_wait());
		askToConfirm(tx, userId, pending.address, at);
	});
}

/** Confirms the address waiting with the code typed back: it becomes the person's address. Returns it. */
export function confirmAddress(db: Db, userId: number, typed: string, ctx: ChangeContext): string {
	const code = typed.normalize('NFKC').replace(/\s/g, '');
	// A refusal counts a wrong try, so it is written, not rolled back with the error.
	const outcome = db.transaction((tx): { address: string } | { refused: string } => {
		const row = tx.select().from(emailConfirmation).where(eq(emailConfirmation.userId, userId)).get();
		if (!row) return { refused: m.email_confirm_none() };
		if (row.expiresAt <= ctx.at) return { refused: m.email_confirm_expired() };
		if (!/^\d{6}$/.test(code) || hashOf(userId, code) !== row.codeHash) {
			if (row.attempts + 1 >= TRIES) {
				dropPending(tx, userId);
				return { refused: m.email_confirm_too_many() };
			}
			tx.update(emailConfirmation)
				.set({ attempts: row.attempts + 1 })
				.where(eq(emailConfirmation.userId, userId))
				.run();
			return { refused: m.email_confirm_wrong({ left: TRIES - row.attempts - 1 }) };
		}
		updateTracked(tx, user, userId, { email: row.address }, ctx);
		dropPending(tx, userId);
		return { address: row.address };
	});
	if ('refused' in outcome) throw new WorkflowError('code', outcome.refused);
	return outcome.address;
}
