/**
 * The channels' settings, as the administrator sets them (/admin/notifications): the mail relay and
 * the time of the daily reminders. Kept in `notifier_setting`, outside the history: the relay's
 * password must never be copied into change_log, and it is never sent back to a page.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../db';
import { notifierSetting } from '../db/schema';

export type SmtpSettings = {
	host: string;
	port: number;
	/** TLS from the first byte (port 465); otherwise STARTTLS when the relay offers it. */
	secure: boolean;
	username: string | null;
	password: string | null;
	from: string;
};

export type ReminderSettings = {
	enabled: boolean;
	/** Hour and minute in Suzhou time, `HH:mm`. */
	time: string;
	/** Remind of a month's report this many working days before its due day. */
	daysBefore: number;
};

export const defaultReminders: ReminderSettings = { enabled: true, time: '09:00', daysBefore: 3 };

export const reminderSchema = z.object({
	enabled: z.boolean(),
	time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
	daysBefore: z.number().int().min(0).max(20)
});

function read<T>(db: Tx, key: string): T | null {
	return (db.select().from(notifierSetting).where(eq(notifierSetting.key, key)).get()?.value as T | undefined) ?? null;
}

function write(db: Tx, key: string, value: unknown): void {
	db.insert(notifierSetting).values({ key, value }).onConflictDoUpdate({ target: notifierSetting.key, set: { value } }).run();
}

/** The mail relay, or null when e-mail is not set up (notices then stay in the inbox). */
export function readSmtp(db: Tx): SmtpSettings | null {
	return read<SmtpSettings>(db, 'smtp');
}

export function saveSmtp(db: Tx, settings: SmtpSettings | null): void {
	if (settings === null) db.delete(notifierSetting).where(eq(notifierSetting.key, 'smtp')).run();
	else write(db, 'smtp', settings);
}

export function readReminders(db: Tx): ReminderSettings {
	const saved = reminderSchema.safeParse(read(db, 'reminders'));
	return saved.success ? saved.data : defaultReminders;
}

export function saveReminders(db: Tx, settings: ReminderSettings): void {
	write(db, 'reminders', reminderSchema.parse(settings));
}
