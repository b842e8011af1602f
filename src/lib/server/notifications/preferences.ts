/**
 * A person's own notice settings: their e-mail address (kept on `user`, in the history like the rest
 * of the directory, once confirmed: `email-confirmation.ts`) and which events are e-mailed, singly or
 * as a daily digest.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { m } from '$lib/i18n';
import { emailedByDefault, notificationEvents, type NotificationEvent } from '$lib/notification-events';
import type { Db, Tx } from '../db';
import { notificationPreference, user } from '../db/schema';
import { checkboxList } from '../forms';
import { updateTracked, type ChangeContext } from '../history';
import { askToConfirm, dropPending, pendingAddress } from './email-confirmation';

export type Preferences = { email: string | null; emailEvents: NotificationEvent[]; digest: boolean };

export function preferencesOf(db: Tx, userId: number): Preferences {
	const row = db
		.select({ email: user.email, emailEvents: notificationPreference.emailEvents, digest: notificationPreference.digest })
		.from(user)
		.leftJoin(notificationPreference, eq(notificationPreference.userId, user.id))
		.where(eq(user.id, userId))
		.get();
	return { email: row?.email ?? null, emailEvents: row?.emailEvents ?? [...emailedByDefault], digest: row?.digest ?? false };
}

/** An address as people type it: trimmed; a plain `local@domain.tld` (no display name, no spaces). */
export const emailAddress = z
	.string()
	.trim()
	.max(254, { error: () => m.preferences_email_invalid() })
	.refine((v) => v === '' || /^[^\s@<>()"]+@[^\s@<>()"]+\.[^\s@<>()"]+$/.test(v), { error: () => m.preferences_email_invalid() })
	.transform((v) => v || null);

const eventList = checkboxList(z.array(z.enum(notificationEvents)));

export const preferencesSchema = z.object({
	email: emailAddress,
	events: eventList,
	digest: z
		.string()
		.optional()
		.transform((v) => v === 'on')
});

/**
 * Saves a person's notice settings. A new address is not used until confirmed (`email-confirmation.ts`):
 * it waits, with a code sent to it, and the address confirmed before stays in use meanwhile. Returns the
 * address waiting for its code, if one was given now.
 */
export function savePreferences(db: Db, userId: number, input: z.infer<typeof preferencesSchema>, ctx: ChangeContext): string | null {
	return db.transaction((tx) => {
		const value = { emailEvents: input.events, digest: input.digest };
		tx.insert(notificationPreference)
			.values({ userId, ...value })
			.onConflictDoUpdate({ target: notificationPreference.userId, set: value })
			.run();
		const inUse = preferencesOf(tx, userId).email;
		if (input.email === null || input.email === inUse) {
			// No address, or the one in use typed back: nothing to confirm.
			if (inUse !== input.email) updateTracked(tx, user, userId, { email: null }, ctx);
			dropPending(tx, userId);
			return null;
		}
		// The address already waiting, its code still valid, goes on waiting (a new code: `resendCode`).
		const waiting = pendingAddress(tx, userId, ctx.at);
		if (waiting?.address === input.email && !waiting.expired) return null;
		askToConfirm(tx, userId, input.email, ctx.at);
		return input.email;
	});
}
