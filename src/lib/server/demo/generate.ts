/**
 * The demo dataset: units, users, and for every catalogue item a lead unit, milestones and monthly
 * reports from 2021-07 up to `today`, written through the tracked writes so that the history tells
 * the same story as the tables. Every row it invents is marked `demo`.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { isCalendarDate, monthOf, suzhouInstant, suzhouToday, type CalendarDate } from '$lib/dates';
import { defaultRuleSettings } from '$lib/settings';
import type { Tx } from '../db';
import { hashPasswordSync } from '../auth/password';
import {
	coUnitContribution,
	credential,
	initiative,
	milestone,
	progressReport,
	supervisionSlip,
	unit,
	user,
	type UserRole
} from '../db/schema';
import { itemState } from '../item-state';
import { issueSlipIn } from '../workflow/slips';
import { insertTracked, setCoUnits, updateTracked, type ChangeContext } from '../history';
import { demoProfiles, planItem, type ItemPlan } from './plan';
import { seededRandom, seedOf } from './random';
import { demoContributionText, demoReportText, returnComments } from './texts';

const unitEntry = z.object({
	code: z.string().regex(/^[a-z]+$/),
	name: z.string().min(1),
	kind: z.enum(['department', 'district']),
	shortNames: z.string().optional()
});

const date = z.string().refine(isCalendarDate, 'not a date');
const assignmentEntry = z.object({
	code: z.string(),
	lead: z.string(),
	co: z.array(z.string()),
	leader: z.string().min(1),
	start: date,
	due: date,
	profile: z.enum(demoProfiles),
	subject: z.string().min(1)
});
export type Assignment = z.infer<typeof assignmentEntry>;

function addMinutes(instant: string, minutes: number): string {
	return new Date(Date.parse(instant) + minutes * 60_000).toISOString();
}

/** The password of every demo account; shown on the login page in demo mode only. */
export const DEMO_PASSWORD = 'suzhou-demo-2021';
/** The unit of the demo `staff` account: it leads several items. */
export const DEMO_STAFF_UNIT = 'fgw';

/** The folder of the demo dataset's inputs. */
export function demoPath(file: string): string {
	return join(resolve(process.env.DEMO_DIR ?? 'drizzle/demo'), file);
}

function readDemoFile<T>(file: string, schema: z.ZodType<T>): T[] {
	return z.array(schema).parse(JSON.parse(readFileSync(demoPath(file), 'utf8')));
}

type Clock = (day: CalendarDate, hour: number, minute?: number) => string;

/** Demo events happen at plausible office hours, but never after the instant of the load. */
export function demoClock(now: Date): Clock {
	const last = now.toISOString();
	return (day, hour, minute = 0) => {
		const instant = suzhouInstant(day, hour, minute);
		return instant < last ? instant : last;
	};
}

/** What every item's story is written with. */
export type Stage = {
	units: Map<string, number>;
	people: People;
	at: Clock;
	/** Registration (立项) follows the catalogue load, even for an item that starts the same day. */
	registeredAfter: string;
	/** Whether the co-units with staff write their 协办意见 to each report (the demo; not the scale dataset). */
	contributions?: boolean;
};

type People = { supervisor: number; staffOf: Map<number, number> };

/** Adds demo accounts; one hash serves them all, as they share the published demo password. */
export function demoAccounts(tx: Tx, ctx: ChangeContext) {
	const passwordHash = hashPasswordSync(DEMO_PASSWORD);
	return (username: string, displayName: string, role: UserRole, unitId: number | null) => {
		const id = insertTracked(tx, user, { username, displayName, role, unitId, demo: true, createdAt: ctx.at }, ctx).id;
		tx.insert(credential).values({ userId: id, passwordHash, mustChange: false, changedAt: ctx.at }).run();
		return id;
	};
}

function createPeople(
	tx: Tx,
	units: Map<string, number>,
	unitNames: Map<string, string>,
	leadUnits: Set<string>,
	ctx: ChangeContext
): People {
	const add = demoAccounts(tx, ctx);
	add('admin', '系统管理员', 'admin', null);
	const supervisor = add('supervisor', '市委督查室', 'supervisor', null);
	add('leader', '市领导', 'leader', null);
	const staffOf = new Map<number, number>();
	for (const [code, unitId] of units) {
		if (!leadUnits.has(code)) continue;
		const username = code === DEMO_STAFF_UNIT ? 'staff' : `staff-${code}`;
		staffOf.set(unitId, add(username, `${unitNames.get(code)}填报员`, 'staff', unitId));
	}
	return { supervisor, staffOf };
}

/** Writes one item's story (lead unit, milestones, reports, completions, closure) as tracked writes. */
export function writeItem(tx: Tx, itemId: number, a: Assignment, plan: ItemPlan, seed: number, stage: Stage) {
	const { units, people, at } = stage;
	const rng = seededRandom(seed);
	const leadUnitId = units.get(a.lead)!;
	const staff = people.staffOf.get(leadUnitId)!;
	const registeredAt = [at(a.start, 10), stage.registeredAfter].sort()[1];
	const office: ChangeContext = { at: registeredAt, actorId: people.supervisor, note: '立项' };
	updateTracked(tx, initiative, itemId, { leadUnitId, leader: a.leader, startOn: a.start, dueOn: a.due, demo: true }, office);
	setCoUnits(
		tx,
		itemId,
		a.co.map((c) => units.get(c)!),
		office
	);
	const milestoneIds = plan.milestones.map(
		(m, position) =>
			insertTracked(tx, milestone, { initiativeId: itemId, title: m.title, dueOn: m.dueOn, weight: m.weight, position, demo: true }, office)
				.id
	);
	const lagging = a.profile === 'behind' || a.profile === 'overdue';
	// A separate stream, so that the reports read the same with or without contributions.
	const coRng = seededRandom(seed + 7);
	const coStaff = a.co.map((c) => units.get(c)!).filter((u) => u !== leadUnitId && people.staffOf.has(u));

	for (const r of plan.reports) {
		const met = plan.milestones.filter((m) => m.completedOn && monthOf(m.completedOn) === r.month);
		const next = plan.milestones.find((m) => !m.completedOn || monthOf(m.completedOn) > r.month);
		const text = demoReportText(rng, a.subject, r.month, met, next, lagging);
		const firstDay = r.submittedOn ?? `${r.month}-01`;
		// Co-units send their part that morning, before the lead unit writes (this month, not all of them yet).
		for (const unitId of stage.contributions ? coStaff : []) {
			if (!r.submittedOn && coRng.chance(0.5)) continue;
			const writtenAt = at(firstDay, 8, coRng.int(0, 59));
			const writer = people.staffOf.get(unitId)!;
			insertTracked(
				tx,
				coUnitContribution,
				{ initiativeId: itemId, month: r.month, unitId, opinion: demoContributionText(coRng, a.subject), writtenBy: writer, writtenAt },
				{ at: writtenAt, actorId: writer }
			);
		}
		const report = insertTracked(
			tx,
			progressReport,
			{ initiativeId: itemId, month: r.month, ...text, status: 'draft', reportedBy: staff, demo: true },
			{ at: at(firstDay, 9), actorId: staff }
		);
		// Each step is stamped as the workflow stamps it: submittedAt and reviewedAt are the instant of
		// the change itself.
		const step = (
			day: CalendarDate,
			hour: number,
			actorId: number,
			patch: (when: string) => Partial<typeof progressReport.$inferInsert>
		) => {
			const when = at(day, hour, rng.int(0, 59));
			return updateTracked(tx, progressReport, report.id, patch(when), { at: when, actorId });
		};
		if (!r.submittedOn) continue;
		step(r.submittedOn, 10, staff, (when) => ({ status: 'submitted', submittedAt: when }));
		if (r.returnedOn) {
			const comment = rng.pick(returnComments);
			step(r.returnedOn, 15, people.supervisor, (when) => ({
				status: 'returned',
				reviewedBy: people.supervisor,
				reviewedAt: when,
				reviewComment: comment
			}));
			if (!r.resubmittedOn) continue;
			step(r.resubmittedOn, 11, staff, (when) => ({
				status: 'submitted',
				submittedAt: when,
				progress: `${text.progress}（已按要求补充完善）`
			}));
		}
		if (r.approvedOn) {
			step(r.approvedOn, 16, people.supervisor, (when) => ({
				status: 'approved',
				reviewedBy: people.supervisor,
				reviewedAt: when,
				reviewComment: null
			}));
		}
	}

	plan.milestones.forEach((m, k) => {
		if (!m.completedOn) return;
		updateTracked(
			tx,
			milestone,
			milestoneIds[k],
			{ completedOn: m.completedOn, evidence: `${m.title}相关文件及图片资料` },
			{ at: at(m.completedOn, 17), actorId: people.supervisor, note: '节点完成' }
		);
	});
	if (plan.closedOn) {
		updateTracked(
			tx,
			initiative,
			itemId,
			{ status: 'completed', completedOn: plan.closedOn },
			{ at: at(plan.closedOn, 16), actorId: people.supervisor, note: '销号' }
		);
	}
}

/**
 * Writes the demo dataset over the catalogue items (`itemIds` by code, loaded at `catalogueAt`) as
 * it stands at `now`. Runs inside the caller's transaction.
 */
export function generateDemo(tx: Tx, itemIds: Map<string, number>, catalogueAt: string, now: Date): void {
	const today = suzhouToday(now);
	const at = demoClock(now);
	const assignments = readDemoFile('assignments.json', assignmentEntry);
	const unitEntries = readDemoFile('units.json', unitEntry);
	const system: ChangeContext = { at: catalogueAt, actorId: null, actorLabel: 'demo' };
	const units = new Map(unitEntries.map((u, position) => [u.code, insertTracked(tx, unit, { ...u, position, demo: true }, system).id]));
	for (const a of assignments) {
		for (const code of [a.lead, ...a.co]) {
			if (!units.has(code)) throw new Error(`demo assignment ${a.code}: unknown unit ${code}`);
		}
		if (!itemIds.has(a.code)) throw new Error(`demo assignment ${a.code}: no such catalogue item`);
	}
	const unitNames = new Map(unitEntries.map((u) => [u.code, u.name]));
	const people = createPeople(tx, units, unitNames, new Set(assignments.map((a) => a.lead)), system);
	const stage: Stage = { units, people, at, registeredAfter: addMinutes(catalogueAt, 30), contributions: true };
	for (const a of assignments) {
		const seed = seedOf(a.code);
		const plan = planItem(seededRandom(seed), a, today, defaultRuleSettings.reportDueDay);
		writeItem(tx, itemIds.get(a.code)!, a, plan, seed + 1, stage);
	}
	demoSlips(tx, itemIds, stage, today);
}

/**
 * Two slips (督办单) issued this morning: one awaiting the demo staff's unit (YRD-01), one another unit
 * has already answered (PTY-09), so the register, the to-do and the item pages have something to show.
 */
function demoSlips(tx: Tx, itemIds: Map<string, number>, stage: Stage, today: CalendarDate) {
	const office = { actorId: stage.people.supervisor, actorLabel: 'demo', actor: { system: 'demo' } };
	const issue = (code: string, minute: number) =>
		issueSlipIn(tx, itemState(tx, itemIds.get(code)!, null)!, {}, { ...office, at: stage.at(today, 9, minute) }, today);
	issue('YRD-01', 0);
	const answered = issue('PTY-09', 10);
	const by = stage.people.staffOf.get(answered.unitId) ?? null;
	const at = stage.at(today, 11);
	const reply = '已召开专题会议研究整改措施，明确责任人和完成时限，确保下月底前完成逾期节点。';
	updateTracked(tx, supervisionSlip, answered.id, { reply, repliedBy: by, repliedAt: at }, { at, actorId: by, actorLabel: 'demo' });
}
