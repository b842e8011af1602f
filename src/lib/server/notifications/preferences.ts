/**
 * A person's own notice settings: their e-mail address (kept on `user`, in the history like the rest
 * of the directory) and which events are e-mailed, singly or as a daily digest.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { m } from '$lib/i18n';
import { emailedByDefault, notificationEvents, type NotificationEvent } from '$lib/notification-events';
import type { Db, Tx } from '../db';
import { notificationPreference, user } from '../db/schema';
import { checkboxList } from '../forms';
import { updateTracked, type ChangeContext } from '../history';

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

export function savePreferences(db: Db, userId: number, input: z.infer<typeof preferencesSchema>, ctx: ChangeContext): void {
	db.transaction((tx) => {
		if (preferencesOf(tx, userId).email !== input.email) updateTracked(tx, user, userId, { email: input.email }, ctx);
		const value = { emailEvents: input.events, digest: input.digest };
		tx.insert(notificationPreference)
			.values({ userId, ...value })
			.onConflictDoUpdate({ target: notificationPreference.userId, set: value })
			.run();
	});
}
