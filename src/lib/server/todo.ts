/**
 * 待办: what waits for one person today. Staff see their unit's items: the reports their unit owes as
 * lead unit (牵头单位) and the contributions (协办意见) it owes as co-unit; the office sees what waits
 * for review and who has not reported; leaders see their instructions; everyone sees what is due
 * soon and what is overdue in their scope. Staff answer the slips (督办单) addressed to their unit;
 * the office sees the slips whose reply is overdue.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { addCalendarDays, monthOf, type CalendarDate } from '$lib/dates';
import { reportDueOn, reportSent } from '$lib/reporting-calendar';
import type { SessionUser } from './auth/sessions';
import type { Tx } from './db';
import { coUnitContribution, initiative, initiativeCoUnit, instruction, milestone, progressReport } from './db/schema';
import { pendingRequests, submittedReports } from './reviews';
import { readRuleSettings } from './rule-settings';
import { unansweredSlips } from './slip-register';
import { m } from '$lib/i18n';

export const DUE_SOON_DAYS = 14;

type ItemRef = { code: string; title: string };

export type Todo = {
	month: string;
	reportDueOn: CalendarDate;
	/** Past the due day of the month: unreported items are flagged (系统催报). */
	pastDueDay: boolean;
	/** Items the staff's unit leads whose report for the month is not yet sent. */
	toReport: (ItemRef & { status: string | null })[];
	/** Items the staff's unit co-owns whose report is not yet sent and that lack the unit's contribution. */
	toContribute: ItemRef[];
	returned: (ItemRef & { month: string; comment: string | null })[];
	toReview: (ItemRef & { id: number; month: string })[];
	requests: { kind: 'extension' | 'closure'; code: string; title: string }[];
	instructions: (ItemRef & { id: number; body: string; answered: boolean })[];
	dueSoon: (ItemRef & { milestone: string; dueOn: string })[];
	overdue: (ItemRef & { what: string; dueOn: string })[];
	unreported: (ItemRef & { status: string | null })[];
	/** For the office: items no unit leads, which therefore nobody reports on (the lights see nothing late). */
	unassigned: ItemRef[];
	/** 督办单: for staff, those addressed to their unit awaiting its reply; for the office, those past their reply date. */
	slips: (ItemRef & { id: number; number: string; replyBy: string; overdue: boolean })[];
};

function scopeItems(db: Tx, user: SessionUser) {
	const active = db
		.select({
			id: initiative.id,
			code: initiative.code,
			title: initiative.title,
			dueOn: initiative.dueOn,
			startOn: initiative.startOn,
			leadUnitId: initiative.leadUnitId
		})
		.from(initiative)
		.where(eq(initiative.status, 'active'))
		.all();
	if (user.role !== 'staff') return active;
	const co = new Set(
		db
			.select({ id: initiativeCoUnit.initiativeId })
			.from(initiativeCoUnit)
			.where(eq(initiativeCoUnit.unitId, user.unitId ?? -1))
			.all()
			.map((r) => r.id)
	);
	return active.filter((i) => i.leadUnitId === user.unitId || co.has(i.id));
}

function slipsToAnswer(db: Tx, user: SessionUser, today: CalendarDate): Todo['slips'] {
	const rows =
		user.role === 'staff'
			? unansweredSlips(db, user.unitId ?? -1, today)
			: user.role === 'supervisor'
				? unansweredSlips(db, null, today)
				: [];
	return rows
		.filter((s) => user.role === 'staff' || s.state === 'overdue')
		.sort((a, b) => a.replyBy.localeCompare(b.replyBy))
		.map((s) => ({ code: s.code, title: s.title, id: s.id, number: s.number, replyBy: s.replyBy, overdue: s.state === 'overdue' }));
}

export function todoFor(db: Tx, user: SessionUser, today: CalendarDate): Todo {
	const settings = readRuleSettings(db);
	const month = monthOf(today);
	const dueOn = reportDueOn(month, settings.reportDueDay);
	const items = scopeItems(db, user);
	const ids = items.map((i) => i.id);
	const ref = (id: number): ItemRef => {
		const i = items.find((x) => x.id === id)!;
		return { code: i.code, title: i.title };
	};
	const reportsThisMonth = new Map(
		(ids.length
			? db
					.select()
					.from(progressReport)
					.where(and(eq(progressReport.month, month), inArray(progressReport.initiativeId, ids)))
					.all()
			: []
		).map((r) => [r.initiativeId, r])
	);
	const started = items.filter((i) => !i.startOn || i.startOn <= today);
	const isStaff = user.role === 'staff';
	const leads = (i: { leadUnitId: number | null }) => !isStaff || i.leadUnitId === user.unitId;
	const contributed = new Set(
		isStaff && ids.length
			? db
					.select({ id: coUnitContribution.initiativeId })
					.from(coUnitContribution)
					.where(
						and(
							eq(coUnitContribution.month, month),
							eq(coUnitContribution.unitId, user.unitId ?? -1),
							inArray(coUnitContribution.initiativeId, ids)
						)
					)
					.all()
					.map((c) => c.id)
			: []
	);
	// An item without a lead unit has nobody to remind: the office finds it among the unassigned.
	const notReported = started
		.filter((i) => i.leadUnitId !== null && leads(i))
		.filter((i) => !reportSent(reportsThisMonth.get(i.id)?.status))
		.map((i) => ({ ...ref(i.id), status: reportsThisMonth.get(i.id)?.status ?? null }));

	const openMilestones = ids.length
		? db
				.select({ initiativeId: milestone.initiativeId, title: milestone.title, dueOn: milestone.dueOn })
				.from(milestone)
				.where(and(inArray(milestone.initiativeId, ids), isNull(milestone.completedOn), isNull(milestone.removedAt)))
				.all()
		: [];
	const soon = addCalendarDays(today, DUE_SOON_DAYS);
	const dueSoon = openMilestones
		.filter((m) => m.dueOn >= today && m.dueOn <= soon)
		.sort((a, b) => a.dueOn.localeCompare(b.dueOn))
		.map((m) => ({ ...ref(m.initiativeId), milestone: m.title, dueOn: m.dueOn }));
	const overdue = [
		...items.filter((i) => i.dueOn && i.dueOn < today).map((i) => ({ ...ref(i.id), what: m.item_deadline(), dueOn: i.dueOn! })),
		...openMilestones.filter((m) => m.dueOn < today).map((m) => ({ ...ref(m.initiativeId), what: m.title, dueOn: m.dueOn }))
	].sort((a, b) => a.dueOn.localeCompare(b.dueOn));

	const toContribute = started
		.filter((i) => !leads(i) && !contributed.has(i.id))
		.filter((i) => !reportSent(reportsThisMonth.get(i.id)?.status))
		.map((i) => ref(i.id));
	const isOffice = user.role === 'supervisor';
	const instructionRows = ids.length
		? db
				.select()
				.from(instruction)
				.where(inArray(instruction.initiativeId, ids))
				.all()
				// Staff: those their unit answers, as the lead (a co-unit reads them on the item's page).
				.filter((i) =>
					isStaff ? !i.answer && leads(items.find((x) => x.id === i.initiativeId)!) : user.role === 'leader' && i.authorId === user.id
				)
		: [];
	const returned = isStaff
		? (ids.length
				? db
						.select()
						.from(progressReport)
						.where(and(eq(progressReport.status, 'returned'), inArray(progressReport.initiativeId, ids)))
						.all()
				: []
			)
				.filter((r) => leads(items.find((i) => i.id === r.initiativeId)!))
				.map((r) => ({ ...ref(r.initiativeId), month: r.month, comment: r.reviewComment }))
		: [];
	const requests = isOffice ? pendingRequests(db) : { extensions: [], closures: [] };
	return {
		month,
		reportDueOn: dueOn,
		pastDueDay: today > dueOn,
		toReport: isStaff ? notReported : [],
		toContribute,
		returned,
		toReview: isOffice ? submittedReports(db).map((r) => ({ id: r.report.id, code: r.code, title: r.title, month: r.report.month })) : [],
		requests: [
			...requests.extensions.map((e) => ({ kind: 'extension' as const, code: e.code, title: e.title })),
			...requests.closures.map((c) => ({ kind: 'closure' as const, code: c.code, title: c.title }))
		],
		instructions: instructionRows.map((i) => ({ ...ref(i.initiativeId), id: i.id, body: i.body, answered: !!i.answer })),
		dueSoon,
		overdue,
		unreported: today > dueOn && !isStaff ? notReported : [],
		unassigned: isOffice ? items.filter((i) => i.leadUnitId === null).map((i) => ref(i.id)) : [],
		slips: slipsToAnswer(db, user, today)
	};
}
