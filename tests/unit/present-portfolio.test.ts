/**
 * The present portfolio kept up to date one change at a time (`portfolio/present.ts`) gives what a
 * fresh computation gives, after every write of a random sequence of the workflow's writes: reports
 * saved, submitted, approved and returned; milestones added, moved, met and removed; items renamed
 * and their co-units changed; extensions and closures decided; a unit renamed; a threshold changed.
 * The fresh answer comes from a second connection to the same file, which has kept nothing. The
 * views built on it (the dashboard, the month's summary, an as-of view) are compared the same way.
 */
import { and, eq, getTableName, inArray, isNotNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endOfSuzhouDay, lastDayOf, suzhouToday, type CalendarDate } from '$lib/dates';
import { parseFilters } from '$lib/dashboard-filters';
import { dashboard } from '$lib/server/dashboard';
import { generateSynthetic } from '$lib/server/demo/synthetic';
import { openDatabase, type Db } from '$lib/server/db';
import { fieldsAsOfEach, monthReportStatusesAsOfEach, rowsAsOf, rowsAsOfEach } from '$lib/server/as-of';
import {
	attachment,
	closureRequest,
	coUnitContribution,
	extensionRequest,
	initiative,
	initiativeCoUnit,
	milestone,
	progressReport,
	reportMilestone,
	setting,
	supervisionSlip,
	unit
} from '$lib/server/db/schema';
import { itemState } from '$lib/server/item-state';
import { trackedTables, updateTracked } from '$lib/server/history';
import { monthlySummary } from '$lib/server/monthly/summary';
import { evaluatedPortfolio, portfoliosAsOf, type EvaluatedCity } from '$lib/server/portfolio';
import { readRuleSettings, saveRuleSettings, settingsVersion } from '$lib/server/rule-settings';
import { WorkflowError } from '$lib/server/workflow/errors';
import { addMilestone, removeMilestone, updateItem, updateMilestone } from '$lib/server/workflow/items';
import { approveReport, returnReport, saveReport } from '$lib/server/workflow/reports';
import { decideClosure, decideExtension, requestClosure, requestExtension } from '$lib/server/workflow/requests';
import { reportInput, sessionUser, staffOf } from '../helpers/people';
import { picked, textAndNumberFields } from '../helpers/fields';
import { FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';

const TODAY: CalendarDate = '2026-11-27';
const MONTH = '2026-11';
const STEPS = 120;

let t: TempDb;
let tick = 0;
/** Each write a minute after the last, from the fixtures' fixed instant. */
const at = () => new Date(FIXED_NOW.getTime() + ++tick * 60_000).toISOString();

/** A small deterministic generator (mulberry32): the same sequence of writes on every run. */
function random(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
		return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
	};
}

/** The portfolio as a connection that has kept nothing computes it. */
function fresh<T>(compute: (db: Db) => T): T {
	const db = openDatabase(t.path);
	try {
		return compute(db);
	} finally {
		db.$client.close();
	}
}

/** What a portfolio says: every item's evaluation, the names and thresholds, and the tally's every sum. */
const said = (p: EvaluatedCity) => ({ items: p.items, shared: p.shared, tally: p.tally });

beforeAll(() => {
	t = tempDatabase();
	generateSynthetic(t.db, { items: 80, milestonesPerItem: 4, since: '2025-06' }, FIXED_NOW);
}, 60_000);
afterAll(() => t.close());

describe('the present portfolio, one change at a time', () => {
	it('re-evaluates only the item a report touched; the others are the same objects', () => {
		const before = evaluatedPortfolio(t.db, null, TODAY);
		const reportOf = (id: number) =>
			t.db
				.select()
				.from(progressReport)
				.where(and(eq(progressReport.initiativeId, id), eq(progressReport.month, MONTH)))
				.get();
		// An item whose report of the month can still be written.
		const item = before.items.find(
			(i) =>
				i.status === 'active' &&
				i.leadUnitId !== null &&
				(!i.startOn || i.startOn <= TODAY) &&
				!['submitted', 'approved'].includes(reportOf(i.id)?.status ?? '')
		)!;
		const staff = staffOf(t.db, item.leadUnitId!)!;
		const row = reportOf(item.id);
		saveReport(
			t.db,
			staff,
			item.id,
			MONTH,
			reportInput({ version: row?.version ?? null, submit: false }),
			{ at: at(), actorId: staff.id },
			TODAY
		);
		const after = evaluatedPortfolio(t.db, null, TODAY);
		expect(after).not.toBe(before);
		const others = after.items.filter((i) => i.id !== item.id);
		expect(others.every((i, n) => i === before.items.filter((b) => b.id !== item.id)[n])).toBe(true);
		expect(said(after)).toEqual(fresh((db) => said(evaluatedPortfolio(db, null, TODAY))));
	});

	it(`equals a fresh computation after each of ${STEPS} random writes, and so do the views built on it`, () => {
		const next = random(20210706);
		const pick = <T>(list: T[]): T | undefined => list[Math.floor(next() * list.length)];
		const office = sessionUser(t.db, 'supervisor');
		const officeCtx = () => ({ at: at(), actorId: office.id, actor: office });
		const active = () => evaluatedPortfolio(t.db, null, TODAY).items.filter((i) => i.status === 'active' && i.leadUnitId !== null);
		const kinds = new Map<string, number>();

		const writes: Record<string, () => void> = {
			report: () => {
				const item = pick(active().filter((i) => !i.startOn || i.startOn <= TODAY))!;
				const staff = staffOf(t.db, item.leadUnitId!)!;
				const row = t.db
					.select()
					.from(progressReport)
					.where(and(eq(progressReport.initiativeId, item.id), eq(progressReport.month, MONTH)))
					.get();
				const open = t.db
					.select()
					.from(milestone)
					.where(eq(milestone.initiativeId, item.id))
					.all()
					.filter((ms) => ms.completedOn === null && ms.removedAt === null);
				const met = next() < 0.5 && open.length ? [{ milestoneId: open[0].id, completedOn: TODAY, evidence: '验收材料。' }] : [];
				saveReport(
					t.db,
					staff,
					item.id,
					MONTH,
					reportInput({ version: row?.version ?? null, submit: next() < 0.7, milestonesMet: met }),
					{ at: at(), actorId: staff.id },
					TODAY
				);
			},
			review: () => {
				const submitted = t.db.select().from(progressReport).where(eq(progressReport.status, 'submitted')).all();
				const report = pick(submitted);
				if (!report) return;
				if (next() < 0.75) approveReport(t.db, report.id, report.version, officeCtx());
				else returnReport(t.db, report.id, report.version, '请补充佐证材料。', officeCtx());
			},
			milestone: () => {
				const item = pick(active())!;
				const mine = t.db
					.select()
					.from(milestone)
					.where(eq(milestone.initiativeId, item.id))
					.all()
					.filter((ms) => ms.removedAt === null);
				const ms = pick(mine);
				const choice = next();
				if (choice < 0.4 || !ms)
					addMilestone(t.db, item.id, { title: '新增节点', dueOn: '2027-03-31', weight: 10, position: 9 }, officeCtx());
				else if (choice < 0.8)
					updateMilestone(
						t.db,
						item.id,
						ms.id,
						{
							title: ms.title,
							dueOn: next() < 0.5 ? '2026-10-31' : '2027-06-30',
							weight: ms.weight,
							position: ms.position,
							version: ms.version
						},
						officeCtx()
					);
				else removeMilestone(t.db, item.id, ms.id, ms.version, '调整计划。', officeCtx());
			},
			item: () => {
				const item = pick(active())!;
				const row = t.db.select().from(initiative).where(eq(initiative.id, item.id)).get()!;
				const units = t.db.select({ id: unit.id }).from(unit).all();
				const coUnitIds = next() < 0.5 ? [] : [pick(units)!.id].filter((id) => id !== row.leadUnitId);
				updateItem(
					t.db,
					item.id,
					{
						version: row.version,
						title: `${row.title.replace(/（改）$/, '')}（改）`,
						themeId: row.themeId,
						leadUnitId: row.leadUnitId,
						coUnitIds,
						leader: row.leader,
						startOn: row.startOn,
						dueOn: row.dueOn
					},
					officeCtx()
				);
			},
			extension: () => {
				const item = pick(active())!;
				const staff = staffOf(t.db, item.leadUnitId!)!;
				const open = t.db
					.select()
					.from(milestone)
					.where(eq(milestone.initiativeId, item.id))
					.all()
					.find((ms) => ms.completedOn === null && ms.removedAt === null && ms.dueOn >= TODAY);
				if (!open) return;
				const request = requestExtension(
					t.db,
					staff,
					{ initiativeId: item.id, milestoneId: open.id, requestedDue: '2027-12-31', reason: '手续延后。' },
					{ at: at(), actorId: staff.id },
					TODAY
				);
				decideExtension(
					t.db,
					{ initiativeId: item.id, requestId: request.id, version: request.version, approve: true, comment: '' },
					officeCtx()
				);
			},
			closure: () => {
				const item = pick(active())!;
				const staff = staffOf(t.db, item.leadUnitId!)!;
				const request = requestClosure(t.db, staff, { initiativeId: item.id, evidence: '全部完成。' }, { at: at(), actorId: staff.id });
				decideClosure(
					t.db,
					{ initiativeId: item.id, requestId: request.id, version: request.version, approve: next() < 0.5, comment: '材料不全。' },
					officeCtx(),
					TODAY
				);
			},
			unitName: () => {
				const u = pick(t.db.select().from(unit).all())!;
				updateTracked(t.db, unit, u.id, { name: `${u.name.replace(/（新）$/, '')}（新）` }, { at: at(), actorId: office.id });
			},
			threshold: () => {
				const s = readRuleSettings(t.db);
				saveRuleSettings(t.db, { ...s, paceYellowPoints: s.paceYellowPoints === 5 ? 8 : 5 }, settingsVersion(t.db), {
					...officeCtx(),
					actor: sessionUser(t.db, 'admin'),
					actorId: sessionUser(t.db, 'admin').id
				});
			}
		};
		const weighted = [
			...Array(6).fill('report'),
			...Array(5).fill('review'),
			'milestone',
			'milestone',
			'item',
			'extension',
			'closure',
			'unitName',
			'threshold'
		];

		for (let step = 0; step < STEPS; step++) {
			const kind = pick(weighted)!;
			try {
				writes[kind]();
				kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
			} catch (e) {
				if (!(e instanceof WorkflowError)) throw e; // a refusal (a report already approved …) writes nothing
			}
			const now = evaluatedPortfolio(t.db, null, TODAY);
			expect(said(now), `step ${step}: ${kind}`).toEqual(fresh((db) => said(evaluatedPortfolio(db, null, TODAY))));
			if (step % 20 === 19) {
				// The views built on it: this month's summary, last month's, an as-of view of a past day.
				for (const month of [MONTH, '2026-10'])
					expect(monthlySummary(t.db, month, TODAY), month).toEqual(fresh((db) => monthlySummary(db, month, TODAY)));
				// The dashboard, for the city and for one unit, now and as of last month's end.
				for (const query of ['', 'unit=3', 'asOf=2026-10-31', 'asOf=2026-10-31&light=red']) {
					const { filters } = parseFilters(new URLSearchParams(query), TODAY);
					expect(dashboard(t.db, filters, TODAY), query).toEqual(fresh((db) => dashboard(db, filters, TODAY)));
					// Kept while nothing is written: a second look is the same answer, not a second computation.
					expect(dashboard(t.db, filters, TODAY), query).toBe(dashboard(t.db, filters, TODAY));
				}
				const instant = endOfSuzhouDay(lastDayOf('2026-10'));
				expect(said(evaluatedPortfolio(t.db, instant, '2026-10-31'))).toEqual(
					fresh((db) => said(evaluatedPortfolio(db, instant, '2026-10-31')))
				);
			}
		}
		// The sequence did write: each kind of write happened.
		for (const kind of Object.keys(writes)) expect(kinds.get(kind) ?? 0, kind).toBeGreaterThan(0);
		const approvedNow = t.db
			.select()
			.from(progressReport)
			.where(inArray(progressReport.status, ['approved']))
			.all()
			.filter((r) => r.month === MONTH);
		expect(approvedNow.length).toBeGreaterThan(3);
	});

	it('reads the past at several instants together exactly as at each alone, after the random writes', () => {
		// Instants between the writes above (a minute apart from FIXED_NOW), and month ends of the generated history.
		const minutes = (n: number) => new Date(FIXED_NOW.getTime() + n * 60_000 + 30_000).toISOString();
		const instants = [
			endOfSuzhouDay('2025-12-31'),
			endOfSuzhouDay('2026-10-31'),
			minutes(0),
			minutes(17),
			minutes(40),
			minutes(41),
			minutes(90),
			minutes(tick)
		];
		const tables = [...Object.values(trackedTables), initiativeCoUnit, setting];
		for (const table of tables) {
			const together = rowsAsOfEach(t.db, table, instants);
			const alone = fresh((db) => instants.map((instant) => rowsAsOf(db, table, instant)));
			expect(together, getTableName(table)).toEqual(alone);
			// Some fields only (as the lights read reports' statuses): the same values as the whole rows.
			const fields = textAndNumberFields(table);
			expect(fieldsAsOfEach(t.db, table, fields as never[], instants), getTableName(table)).toEqual(
				together.map((rows) => picked(rows, fields))
			);
		}
		// The records a subquery selects, as a month's reports are read.
		const ids = { ids: sql`SELECT CAST(id AS TEXT) FROM progress_report WHERE month = ${MONTH}` };
		expect(rowsAsOfEach(t.db, progressReport, instants, ids)).toEqual(
			fresh((db) => instants.map((instant) => rowsAsOf(db, progressReport, instant, ids)))
		);
		// A month's statuses as the lights read them: the history's, in its order, from every first
		// instant, for this month (approved between the instants) and the one before (mostly approved
		// before them).
		const statusFields = ['initiativeId', 'month', 'status'];
		let approvedEarly = 0;
		for (const month of [MONTH, '2026-10'])
			for (let k = 0; k < instants.length; k++) {
				const some = instants.slice(k);
				const history = fresh((db) =>
					some.map((instant) =>
						rowsAsOf(db, progressReport, instant, { ids: sql`SELECT CAST(id AS TEXT) FROM progress_report WHERE month = ${month}` })
					)
				);
				const statuses = fresh((db) => monthReportStatusesAsOfEach(db, month, some));
				expect(
					statuses.map((rows) => picked(rows, statusFields)),
					`${month} from ${some[0]}`
				).toEqual(history.map((rows) => picked(rows, statusFields)));
				approvedEarly += history[0].filter((r) => r.status === 'approved').length;
			}
		expect(approvedEarly).toBeGreaterThan(10);
		// The records whose field had a value: an item's milestones, some of which were added or removed.
		const itemId = t.db.select({ id: milestone.initiativeId }).from(milestone).where(isNotNull(milestone.removedAt)).get()!.id;
		const ofItem = { field: 'initiativeId', equals: itemId };
		const read = rowsAsOfEach(t.db, milestone, instants, ofItem);
		expect(read).toEqual(fresh((db) => instants.map((instant) => rowsAsOf(db, milestone, instant, ofItem))));
		expect(read.at(-1)!.map((m) => m.id)).toEqual(
			t.db
				.select({ id: milestone.id })
				.from(milestone)
				.where(eq(milestone.initiativeId, itemId))
				.orderBy(milestone.id)
				.all()
				.map((m) => m.id)
		);
		// An item as of an instant, read through its own records' history, as picked out of every record's
		// history; and as of the last write, as it is now.
		const items = t.db.select({ id: initiative.id }).from(initiative).all();
		const byId = <R extends { id: number }>(rows: R[]) => [...rows].sort((a, b) => a.id - b.id);
		for (const instant of [instants[1], minutes(40), minutes(tick)]) {
			const all = {
				milestones: rowsAsOf(t.db, milestone, instant).filter((r) => r.removedAt === null),
				reports: rowsAsOf(t.db, progressReport, instant),
				reportMilestones: rowsAsOf(t.db, reportMilestone, instant),
				contributions: rowsAsOf(t.db, coUnitContribution, instant),
				extensions: rowsAsOf(t.db, extensionRequest, instant),
				closures: rowsAsOf(t.db, closureRequest, instant),
				slips: rowsAsOf(t.db, supervisionSlip, instant),
				attachments: rowsAsOf(t.db, attachment, instant),
				coUnits: rowsAsOf(t.db, initiativeCoUnit, instant)
			};
			for (const { id } of items) {
				const state = itemState(t.db, id, instant);
				if (!state) continue;
				const mine = <R extends { initiativeId: number }>(rows: R[]) => rows.filter((r) => r.initiativeId === id);
				const reportIds = new Set(state.reports.map((r) => r.id));
				expect(byId(state.milestones), `${id} ${instant}`).toEqual(byId(mine(all.milestones)));
				expect(byId(state.reports)).toEqual(byId(mine(all.reports)));
				expect(byId(state.reportMilestones)).toEqual(byId(all.reportMilestones.filter((r) => reportIds.has(r.reportId))));
				expect(byId(state.contributions)).toEqual(byId(mine(all.contributions)));
				expect(byId(state.extensions)).toEqual(byId(mine(all.extensions)));
				expect(byId(state.closures)).toEqual(byId(mine(all.closures)));
				expect(byId(state.slips)).toEqual(byId(mine(all.slips)));
				expect(byId(state.attachments)).toEqual(byId(mine(all.attachments)));
				expect([...state.coUnitIds].sort()).toEqual(
					mine(all.coUnits)
						.map((c) => c.unitId)
						.sort()
				);
				// The same item now, but for the co-units' order (the past lists them in the order of the history's
				// record ids as text, as it always has; now, in the table's order).
				const sortedUnits = (s: typeof state | null) => s && { ...s, coUnitIds: [...s.coUnitIds].sort((a, b) => a - b) };
				if (instant === minutes(tick)) expect(sortedUnits(state), `${id} now`).toEqual(sortedUnits(itemState(t.db, id, null)));
			}
		}
		expect(rowsAsOf(t.db, extensionRequest, minutes(tick)).length).toBeGreaterThan(0);
		// The portfolios evaluated together (a month's summary reads two) as each alone.
		const views = instants.slice(1).map((instant) => ({ instant, date: suzhouToday(new Date(instant)) }));
		expect(portfoliosAsOf(t.db, views).map(said)).toEqual(views.map((v) => fresh((db) => said(evaluatedPortfolio(db, v.instant, v.date)))));
	});
});
