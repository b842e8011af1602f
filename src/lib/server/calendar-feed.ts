/**
 * Calendar feeds (日历订阅): the deadlines that concern a person, or their unit, as an iCalendar
 * feed (`/calendar/<secret>.ics`) that Outlook, Thunderbird and phone calendars subscribe to. The
 * address is the only credential (calendar programs send no cookie), so it is a 256-bit secret of
 * which only the SHA-256 is kept; it is shown once when made, and resetting it makes a new one.
 * Written with ical-generator (maintained, RFC 5545: all-day events, line folding, escaping).
 *
 * What a feed holds, from 30 days back to a year ahead:
 * - each month's report due day (进展报送截止), for those who report or review;
 * - the deadlines (完成时限) of the items in scope: staff their unit's (lead or co-unit), others all;
 * - the open milestones (时间节点) of those items, for staff (the office's and leaders' feeds would
 *   be tens of thousands of events at province scale: their pages list them instead);
 * - the reply dates of open slips (督办单): staff those addressed to their unit, the office all.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import ical from 'ical-generator';
import { addCalendarDays, addMonthsToMonth, formatMonth, monthOf, suzhouToday, type CalendarDate } from '$lib/dates';
import { m } from '$lib/i18n';
import { reportDueOn } from '$lib/reporting-calendar';
import type { UserRole } from '$lib/roles';
import type { Tx } from './db';
import { calendarFeed, initiative, initiativeCoUnit, milestone, user } from './db/schema';
import { unitName } from './units';
import { inDocumentLanguage } from './document-language';
import { absoluteLink } from './notifications/sender';
import { readRuleSettings } from './rule-settings';
import { unansweredSlips } from './slip-register';

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export type FeedKind = 'personal' | 'unit';

/** Makes (or replaces) a feed; returns its secret, to be shown once. A unit's feed needs a unit. */
export function resetFeed(db: Tx, person: { id: number; unitId: number | null }, kind: FeedKind, at: string): string | null {
	if (kind === 'unit' && person.unitId === null) return null;
	const token = randomBytes(32).toString('base64url');
	db.transaction((tx) => {
		if (kind === 'unit') tx.delete(calendarFeed).where(eq(calendarFeed.unitId, person.unitId!)).run();
		else
			tx.delete(calendarFeed)
				.where(and(eq(calendarFeed.userId, person.id), isNull(calendarFeed.unitId)))
				.run();
		tx.insert(calendarFeed)
			.values({ tokenHash: hashOf(token), userId: person.id, unitId: kind === 'unit' ? person.unitId : null, createdAt: at })
			.run();
	});
	return token;
}

/**
 * Closes the feeds a person made, for good (`users.ts`'s `endAccess`: disabled, a new role or unit, a
 * password changed or reset). A feed only checked at reading (its maker disabled, in another unit)
 * opened again when they were enabled or came back, at an address that may have gone round
 * meanwhile; now they make a new one.
 */
export function closeFeedsOf(db: Tx, userId: number): void {
	db.delete(calendarFeed).where(eq(calendarFeed.userId, userId)).run();
}

/** The feeds a person has made (their own, their unit's): when made and last read. */
export function feedsOf(db: Tx, person: { id: number; unitId: number | null }) {
	const rows = db
		.select()
		.from(calendarFeed)
		.where(
			or(
				and(eq(calendarFeed.userId, person.id), isNull(calendarFeed.unitId)),
				person.unitId === null ? undefined : eq(calendarFeed.unitId, person.unitId)
			)
		)
		.all();
	const view = (r: (typeof rows)[number] | undefined) => r && { createdAt: r.createdAt, lastReadAt: r.lastReadAt };
	return { personal: view(rows.find((r) => r.unitId === null)), unit: view(rows.find((r) => r.unitId !== null)) };
}

type Scope = { role: UserRole; unitId: number | null; name: string };

/** Whose deadlines a secret opens, or null (unknown, or its person disabled). Notes when it was read. */
export function feedScope(db: Tx, token: string, now: Date): Scope | null {
	if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
	const row = db
		.select({
			id: calendarFeed.id,
			unitId: calendarFeed.unitId,
			lastReadAt: calendarFeed.lastReadAt,
			role: user.role,
			userUnit: user.unitId,
			disabled: user.disabled,
			name: user.displayName
		})
		.from(calendarFeed)
		.innerJoin(user, eq(user.id, calendarFeed.userId))
		.where(eq(calendarFeed.tokenHash, hashOf(token)))
		.get();
	if (!row || row.disabled) return null;
	// A staff member moved to another unit no longer opens the old unit's feed.
	if (row.unitId !== null && row.unitId !== row.userUnit) return null;
	const at = now.toISOString();
	if (!row.lastReadAt || Date.parse(row.lastReadAt) < now.getTime() - 3600_000)
		db.update(calendarFeed).set({ lastReadAt: at }).where(eq(calendarFeed.id, row.id)).run();
	if (row.unitId !== null) {
		return { role: 'staff', unitId: row.unitId, name: unitName(db, row.unitId) ?? '' };
	}
	return { role: row.role, unitId: row.userUnit, name: row.name };
}

export type FeedEvent = { uid: string; date: CalendarDate; summary: string; description: string; link: string };

/** The events of a scope on `today` (Suzhou), in date order. */
export function feedEvents(db: Tx, scope: Scope, today: CalendarDate = suzhouToday()): FeedEvent[] {
	const from = addCalendarDays(today, -30);
	const to = addCalendarDays(today, 365);
	const staff = scope.role === 'staff';
	if (staff && scope.unitId === null) return [];
	const events: FeedEvent[] = [];
	if (staff || scope.role === 'supervisor') {
		const dueDay = readRuleSettings(db).reportDueDay;
		for (let i = -1; i <= 12; i++) {
			const month = addMonthsToMonth(monthOf(today), i);
			const date = reportDueOn(month, dueDay);
			if (date < from || date > to) continue;
			events.push({
				uid: `report-due-${month}`,
				date,
				summary: m.feed_report_due({ month: formatMonth(month) }),
				description: m.feed_report_due_text(),
				link: '/todo'
			});
		}
	}
	const coItems = staff
		? db
				.select({ id: initiativeCoUnit.initiativeId })
				.from(initiativeCoUnit)
				.where(eq(initiativeCoUnit.unitId, scope.unitId!))
				.all()
				.map((r) => r.id)
		: [];
	const items = db
		.select({ id: initiative.id, code: initiative.code, title: initiative.title, dueOn: initiative.dueOn })
		.from(initiative)
		.where(
			and(
				eq(initiative.status, 'active'),
				staff ? or(eq(initiative.leadUnitId, scope.unitId!), coItems.length ? inArray(initiative.id, coItems) : undefined) : undefined
			)
		)
		.all();
	const link = (code: string) => `/initiatives/${encodeURIComponent(code)}`;
	for (const item of items) {
		if (item.dueOn && item.dueOn >= from && item.dueOn <= to)
			events.push({
				uid: `item-${item.id}-due`,
				date: item.dueOn,
				summary: m.feed_item_due({ code: item.code, title: item.title }),
				description: item.title,
				link: link(item.code)
			});
	}
	if (staff && items.length) {
		const byId = new Map(items.map((i) => [i.id, i]));
		const open = db
			.select({ id: milestone.id, initiativeId: milestone.initiativeId, title: milestone.title, dueOn: milestone.dueOn })
			.from(milestone)
			.where(
				and(
					inArray(milestone.initiativeId, [...byId.keys()]),
					isNull(milestone.completedOn),
					isNull(milestone.removedAt),
					gte(milestone.dueOn, from),
					lte(milestone.dueOn, to)
				)
			)
			.all();
		for (const ms of open) {
			const item = byId.get(ms.initiativeId)!;
			events.push({
				uid: `milestone-${ms.id}`,
				date: ms.dueOn,
				summary: m.feed_milestone({ code: item.code, milestone: ms.title }),
				description: item.title,
				link: link(item.code)
			});
		}
	}
	if (staff || scope.role === 'supervisor') {
		for (const slip of unansweredSlips(db, staff ? scope.unitId : null, today)) {
			if (slip.replyBy < from || slip.replyBy > to) continue;
			events.push({
				uid: `slip-${slip.id}`,
				date: slip.replyBy,
				summary: m.feed_slip({ number: slip.number, code: slip.code }),
				description: slip.title,
				link: `/slips/${slip.id}`
			});
		}
	}
	return events.sort((a, b) => a.date.localeCompare(b.date) || a.uid.localeCompare(b.uid));
}

/** The feed as iCalendar text, in Chinese (like the office's documents). */
export function feedText(db: Tx, scope: Scope, now = new Date()): string {
	return inDocumentLanguage(() => {
		const host = process.env.ORIGIN ? new URL(process.env.ORIGIN).host : 'localhost';
		const calendar = ical({
			name: m.feed_name({ name: scope.name }),
			prodId: { company: 'suzhou-duban', product: 'tracker', language: 'ZH' },
			ttl: 3600
		});
		for (const e of feedEvents(db, scope, suzhouToday(now))) {
			const url = absoluteLink(e.link);
			calendar.createEvent({
				id: `${e.uid}@${host}`,
				start: new Date(`${e.date}T12:00:00Z`),
				allDay: true,
				stamp: now,
				summary: e.summary,
				description: `${e.description}\n${url}`,
				url: /^https?:/.test(url) ? url : undefined
			});
		}
		return calendar.toString();
	});
}
