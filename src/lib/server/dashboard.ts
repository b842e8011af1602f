/** The dashboard (一页全览): every item evaluated on a date, and the figures over them. */
import type { CalendarDate } from '$lib/dates';
import { summarise } from '$lib/summary';
import type { Tx } from './db';
import { listInitiatives } from './initiatives';

export function dashboard(db: Tx, date: CalendarDate) {
	const items = listInitiatives(db, date);
	return { items, summary: summarise(items) };
}
