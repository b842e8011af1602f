/**
 * 系统催报: every day at the time the administrator set (Suzhou time), the units that still owe a
 * month's report hear of it: once when its due day is `daysBefore` working days ahead or nearer, and once a
 * week from the day after it has passed. People who chose a daily digest get it at the same time.
 * Each reminder's key names its month, unit and (past the due day) its week, by the week's first day,
 * so a second run (a restart at 9:00, a run at start-up after a night the server was off) gives
 * nothing twice, and a run missed on a week's first day (the server off that day) is made up by the
 * next day's: the week's reminder goes with the first run of the week.
 */
import { Cron } from 'croner';
import { and, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import {
	addCalendarDays,
	daysBetween,
	formatDate,
	formatMonth,
	monthOf,
	suzhouInstant,
	suzhouToday,
	type CalendarDate,
	type Month
} from '$lib/dates';
import { m } from '$lib/i18n';
import { isSent, lastDueMonth, reportDueOn } from '$lib/reporting-calendar';
import type { Db, Tx } from '../db';
import { initiative, notification, notificationPreference, notifierSetting, progressReport, user } from '../db/schema';
import { inDocumentLanguage } from '../document-language';
import { readRuleSettings } from '../rule-settings';
import { workingDaysBetween } from '$lib/working-days';
import { workingCalendar } from '../working-calendar';
import { readReminders } from './channels';
import { notify, queue } from './notify';
import { noticesOf } from './inbox';

/** Units owing the month's report on `today`, with how many of their started, active items owe it. */
function unitsOwing(tx: Tx, month: string, today: CalendarDate): Map<number, number> {
	const items = tx
		.select({ id: initiative.id, unitId: initiative.leadUnitId })
		.from(initiative)
		.where(and(eq(initiative.status, 'active'), or(isNull(initiative.startOn), lte(initiative.startOn, today))))
		.all();
	const sent = new Set(
		tx
			.select({ id: progressReport.initiativeId, status: progressReport.status })
			.from(progressReport)
			.where(eq(progressReport.month, month))
			.all()
			.filter((r) => isSent(r.status))
			.map((r) => r.id)
	);
	const owing = new Map<number, number>();
	for (const item of items) if (item.unitId !== null && !sent.has(item.id)) owing.set(item.unitId, (owing.get(item.unitId) ?? 0) + 1);
	return owing;
}

/**
 * The reminders due on `today`: this month's report, from `daysBefore` days before its due day; the
 * last month whose due day has passed, the day after it and weekly after that while a unit owes it.
 */
function remindersOn(
	db: Tx,
	today: CalendarDate
): { event: 'report_due' | 'report_overdue'; month: Month; dueOn: CalendarDate; week?: CalendarDate }[] {
	const dueDay = readRuleSettings(db).reportDueDay;
	const reminders: ReturnType<typeof remindersOn> = [];
	const month = monthOf(today);
	const dueOn = reportDueOn(month, dueDay);
	// "3 days before" counts working days (docs/domain.md, "Working days"): a due day after a holiday is announced before it.
	if (today <= dueOn && workingDaysBetween(workingCalendar(db), today, dueOn) <= readReminders(db).daysBefore)
		reminders.push({ event: 'report_due', month, dueOn });
	const late = lastDueMonth(today, dueDay);
	const lateDue = reportDueOn(late, dueDay);
	const daysLate = daysBetween(lateDue, today);
	if (daysLate >= 1)
		reminders.push({
			event: 'report_overdue',
			month: late,
			dueOn: lateDue,
			week: addCalendarDays(lateDue, 1 + 7 * Math.floor((daysLate - 1) / 7))
		});
	return reminders;
}

/** The reminders of `today`; returns how many people were reminded anew. */
export function remindUnits(db: Db, today: CalendarDate, at: string): number {
	return db.transaction((tx) => {
		let reached = 0;
		for (const { event, month, dueOn, week } of remindersOn(tx, today)) {
			const params = { month: inDocumentLanguage(() => formatMonth(month)), dueOn: inDocumentLanguage(() => formatDate(dueOn)) };
			const due = event === 'report_due';
			for (const [unitId, count] of unitsOwing(tx, month, today)) {
				reached += notify(
					tx,
					{
						event,
						key: due ? `report_due|${month}|${unitId}` : `report_overdue|${month}|${unitId}|${week}`,
						title: inDocumentLanguage(() => (due ? m.notice_report_due_title : m.notice_report_overdue_title)(params)),
						body: inDocumentLanguage(() => (due ? m.notice_report_due_body : m.notice_report_overdue_body)({ ...params, count })),
						link: '/todo',
						unitId
					},
					{ staffOf: unitId },
					at
				);
			}
		}
		return reached;
	});
}

/** 每日汇总: one e-mail to each person who chose it, listing the notices since the daily run before. */
export function sendDigests(db: Db, today: CalendarDate, at: string): number {
	// Since the run before (what its digests covered), not the 24 hours before this one: a run late
	// (the server off at the time, the time moved later) left the notices between out of every digest.
	const last = lastDailyRun(db);
	const since = last !== null && last < at ? last : new Date(Date.parse(at) - 24 * 3600_000).toISOString();
	return db.transaction((tx) => {
		const people = tx
			.select({ id: user.id, role: user.role, unitId: user.unitId, email: user.email })
			.from(user)
			.innerJoin(notificationPreference, eq(notificationPreference.userId, user.id))
			.where(and(eq(notificationPreference.digest, true), eq(user.disabled, false), sql`${user.email} IS NOT NULL`))
			.all();
		let queued = 0;
		for (const person of people) {
			const notices = tx
				.select({ title: notification.title, link: notification.link })
				.from(notification)
				.where(and(noticesOf(person), gt(notification.createdAt, since), lte(notification.createdAt, at)))
				.orderBy(notification.id)
				.all();
			if (!notices.length) continue;
			const date = inDocumentLanguage(() => formatDate(today));
			const body = [inDocumentLanguage(() => m.notice_digest_intro({ count: notices.length })), ...notices.map((n) => `· ${n.title}`)].join(
				'\n'
			);
			queue(
				tx,
				'email',
				person.email!,
				{
					event: 'digest',
					// One a run: a second run the same day (the time moved) sends what came since the first.
					key: `digest|${at}`,
					title: inDocumentLanguage(() => m.notice_digest_title({ date })),
					body,
					link: '/notifications'
				},
				at,
				{ userId: person.id, unitId: null }
			);
			queued++;
		}
		return queued;
	});
}

/** The day's run: the reminders, then the digests (which then include them). Records when it ran. */
export function runDaily(db: Db, now = new Date()): { reminded: number; digests: number } {
	const today = suzhouToday(now);
	const at = now.toISOString();
	const reminded = remindUnits(db, today, at);
	const digests = sendDigests(db, today, at);
	db.insert(notifierSetting)
		.values({ key: 'last_daily_run', value: at })
		.onConflictDoUpdate({ target: notifierSetting.key, set: { value: at } })
		.run();
	return { reminded, digests };
}

export function lastDailyRun(db: Tx): string | null {
	return (db.select().from(notifierSetting).where(eq(notifierSetting.key, 'last_daily_run')).get()?.value as string | undefined) ?? null;
}

/**
 * Schedules the daily run at the set time (croner: a maintained scheduler that keeps time zones).
 * At start-up, when today's time has passed and today has not run (the server was off at 9:00), it
 * runs at once. Returns the way to stop; `reschedule` after the administrator changes the time.
 */
export function startReminders(db: Db): { stop: () => void; reschedule: () => void } {
	let job: Cron | null = null;
	const schedule = () => {
		job?.stop();
		job = null;
		const settings = readReminders(db);
		if (!settings.enabled) return;
		const [hour, minute] = settings.time.split(':').map(Number);
		job = new Cron(
			`${minute} ${hour} * * *`,
			{ timezone: 'Asia/Shanghai', protect: true, catch: (e) => console.error('daily reminders:', e) },
			() => {
				runDaily(db);
			}
		);
		const today = suzhouToday();
		const last = lastDailyRun(db);
		const dueAt = suzhouInstant(today, hour, minute);
		if (new Date().toISOString() >= dueAt && (!last || last < dueAt)) runDaily(db);
	};
	schedule();
	return { stop: () => job?.stop(), reschedule: schedule };
}
