/**
 * The server's notification services: the sender and the daily reminders, started with the server
 * (hooks `init`) and stopped on shutdown. The command line and the unit tests start neither.
 */
import { beforeDatabaseCloses } from '../app-db';
import type { Db } from '../db';
import { startReminders } from './reminders';
import { startSender } from './sender';

let running: { stopSender: () => Promise<void>; reminders: ReturnType<typeof startReminders> } | null = null;

export function startNotifications(db: Db): void {
	if (running) return;
	running = { stopSender: startSender(db), reminders: startReminders(db) };
	beforeDatabaseCloses(stopNotifications);
}

export async function stopNotifications(): Promise<void> {
	const was = running;
	running = null;
	was?.reminders.stop();
	await was?.stopSender();
}

/** After the administrator changed the reminders' time. */
export function rescheduleReminders(): void {
	running?.reminders.reschedule();
}
