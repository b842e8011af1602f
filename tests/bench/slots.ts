/** Reports staff may submit now on a benchmark database: months of active items without a submitted report. */
import type Database from 'better-sqlite3';
import { addMonthsToMonth, monthOf, monthsFrom, type CalendarDate } from '$lib/dates';

export type Slot = { code: string; month: string; version: string };

/** Up to `sessions` staff accounts (one per unit, those with most to report) and their slots. */
export function submissionSlots(client: Database.Database, today: CalendarDate, sessions: number): Map<string, Slot[]> {
	const first = addMonthsToMonth(monthOf(today), -23);
	const items = client
		.prepare(
			`SELECT i.id, i.code, i.start_on AS startOn, u.username
			 FROM initiative i JOIN user u ON u.unit_id = i.lead_unit_id AND u.role = 'staff'
			 WHERE i.status = 'active' AND i.start_on IS NOT NULL`
		)
		.all() as { id: number; code: string; startOn: string; username: string }[];
	const reports = client.prepare(`SELECT initiative_id AS id, month, status, version FROM progress_report WHERE month >= ?`).all(first) as {
		id: number;
		month: string;
		status: string;
		version: number;
	}[];
	const byKey = new Map(reports.map((r) => [`${r.id} ${r.month}`, r]));
	const slots = new Map<string, Slot[]>();
	for (const item of items) {
		const from = monthOf(item.startOn) > first ? monthOf(item.startOn) : first;
		for (const month of monthsFrom(from, monthOf(today))) {
			const report = byKey.get(`${item.id} ${month}`);
			if (report && report.status !== 'draft' && report.status !== 'returned') continue;
			const list = slots.get(item.username) ?? [];
			list.push({ code: item.code, month, version: report ? String(report.version) : '' });
			slots.set(item.username, list);
		}
	}
	return new Map([...slots].sort((a, b) => b[1].length - a[1].length).slice(0, sessions));
}
