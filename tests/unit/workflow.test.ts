import { and, eq, isNull } from 'drizzle-orm';
import { valueLabel } from '$lib/field-labels';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endOfSuzhouDay } from '$lib/dates';
import { updateTracked } from '$lib/server/history';
import { rowsAsOf } from '$lib/server/as-of';
import type { SessionUser } from '$lib/server/auth/sessions';
import {
	changeLog,
	extensionRequest,
	initiative,
	initiativeCoUnit,
	instruction,
	milestone,
	progressReport,
	unit
} from '$lib/server/db/schema';
import { getInitiative, initiativeIdByCode } from '$lib/server/initiatives';
import { listInitiatives } from '$lib/server/portfolio';
import { seedIfEmpty } from '$lib/server/seed';
import { todoFor } from '$lib/server/todo';
import { StaleVersionError, WorkflowError } from '$lib/server/workflow/errors';
import { answerInstruction, writeInstruction } from '$lib/server/workflow/instructions';
import { isItemUnitStaff, mayReadInstructions, mayReadReviewComments, staffUnitOf, withholdDrafts } from '$lib/server/workflow/access';
import { itemHistory } from '$lib/server/audit';
import {
	addMilestone,
	createItem,
	newItemSchema,
	milestoneSchema,
	removeMilestone,
	updateItem,
	updateMilestone
} from '$lib/server/workflow/items';
import { approveReport, milestonesReportedMet, parseReportForm, returnReport, saveReport } from '$lib/server/workflow/reports';
import { decideClosure, decideExtension, requestClosure, requestExtension } from '$lib/server/workflow/requests';
import { reportInput, sessionUser as sessionUserOf, staffOf } from '../helpers/people';
import { FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';
import { refusal } from '../helpers/refusal';

const TODAY = '2026-11-27';
let t: TempDb;
let staff: SessionUser, otherStaff: SessionUser, office: SessionUser, leader: SessionUser;
let tick = 0;
/** Each change a minute after the last, so the history has an order. */
const ctx = (actor: SessionUser) => ({ at: new Date(FIXED_NOW.getTime() + ++tick * 60_000).toISOString(), actorId: actor.id, actor });

const sessionUser = (username: string) => sessionUserOf(t.db, username);

/** A staff unit's item with only a draft this month and overdue open milestones: the demo's behind items. */
function behindItemOf(unitId: number) {
	const items = t.db.select().from(initiative).where(eq(initiative.leadUnitId, unitId)).all();
	for (const item of items) {
		const detail = getInitiative(t.db, item.code, TODAY)!;
		const draft = detail.reports.find((r) => r.month === '2026-11' && r.status === 'draft');
		if (detail.pace === 'behind' && draft) return detail;
	}
	throw new Error('no behind item with a draft');
}

const report = reportInput;

/** An active item of a unit with staff, with no report for `month` yet (and `more` of it true), and its writer. */
function unreportedItem(month: string, more: (item: typeof initiative.$inferSelect) => boolean = () => true) {
	const reported = new Set(
		t.db
			.select()
			.from(progressReport)
			.all()
			.filter((r) => r.month === month)
			.map((r) => r.initiativeId)
	);
	const item = t.db
		.select()
		.from(initiative)
		.all()
		.find((i) => i.status === 'active' && i.leadUnitId !== null && !reported.has(i.id) && staffOf(t.db, i.leadUnitId) !== null && more(i))!;
	return { item, writer: staffOf(t.db, item.leadUnitId!)! };
}

beforeAll(() => {
	t = tempDatabase();
	seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW });
	staff = sessionUser('staff');
	otherStaff = sessionUser('staff-gxj');
	office = sessionUser('supervisor');
	leader = sessionUser('leader');
});
afterAll(() => t.close());

describe('the monthly report cycle', () => {
	it('staff submit, the office returns, staff resubmit, the office approves; only then do milestones count', () => {
		const item = behindItemOf(staff.unitId!);
		expect(item.light).toBe('red');
		const overdue = item.milestones.filter((m) => m.completedOn === null && m.dueOn < TODAY);
		expect(overdue.length).toBeGreaterThan(0);
		const draft = item.reports.find((r) => r.month === '2026-11')!;
		const met = overdue.map((m) => ({ milestoneId: m.id, completedOn: '2026-11-20', evidence: '验收报告' }));

		const submitted = saveReport(
			t.db,
			staff,
			item.id,
			'2026-11',
			report({ milestonesMet: met, version: draft.version, submit: true }),
			ctx(staff),
			TODAY
		);
		expect(submitted.status).toBe('submitted');
		expect(getInitiative(t.db, item.code, TODAY)!.milestones.filter((m) => m.completedOn === null && m.dueOn < TODAY)).toHaveLength(
			overdue.length
		);

		expect(() => saveReport(t.db, staff, item.id, '2026-11', report({ version: submitted.version }), ctx(staff), TODAY)).toThrow(
			/等待督查室审核/
		);
		const returned = returnReport(t.db, submitted.id, submitted.version, '请补充佐证材料。', { ...ctx(office), actorId: office.id });
		expect(returned).toMatchObject({ status: 'returned', reviewComment: '请补充佐证材料。' });
		// The return comment is read by the item's units and the office, not by another unit's staff: on the
		// item page, nor in its history, where the return shows without what the office said.
		const returnedItem = getInitiative(t.db, item.code, TODAY)!;
		const onItem = new Set([item.leadUnitId, ...returnedItem.coUnitIds]);
		const outsider = t.db
			.select()
			.from(unit)
			.all()
			.filter((u) => !onItem.has(u.id))
			.map((u) => staffOf(t.db, u.id))
			.find((who) => who !== null);
		expect(outsider).toBeDefined();
		const commentOf = (who: SessionUser) => withholdDrafts(who, returnedItem).reports.find((r) => r.month === '2026-11')!.reviewComment;
		expect([commentOf(staff), commentOf(office), commentOf(leader), commentOf(outsider!)]).toEqual([
			'请补充佐证材料。',
			'请补充佐证材料。',
			'请补充佐证材料。',
			null
		]);
		const historyOf = (who: SessionUser) =>
			JSON.stringify(
				itemHistory(t.db, item.id, 300, {
					readsDrafts: false,
					readsInstructions: true,
					readsReviewComments: mayReadReviewComments(who, returnedItem),
					unitId: staffUnitOf(who)
				})
			);
		expect(historyOf(office)).toContain('请补充佐证材料。');
		expect(historyOf(outsider!)).not.toContain('请补充佐证材料。');
		expect(historyOf(outsider!)).toContain('"withheld":"comment"');

		const again = saveReport(
			t.db,
			staff,
			item.id,
			'2026-11',
			report({ milestonesMet: met, version: returned.version, submit: true, progress: '已补充佐证材料。' }),
			ctx(staff),
			TODAY
		);
		const approved = approveReport(t.db, again.id, again.version, { ...ctx(office), actorId: office.id });
		expect(approved.status).toBe('approved');

		const after = getInitiative(t.db, item.code, TODAY)!;
		expect(after.milestones.filter((m) => overdue.some((o) => o.id === m.id)).every((m) => m.completedOn === '2026-11-20')).toBe(true);
		expect(after.pace).not.toBe('behind');
		expect(after.light).toBe('green');
		const notes = t.db
			.select()
			.from(changeLog)
			.where(and(eq(changeLog.entity, 'milestone'), eq(changeLog.entityId, String(overdue[0].id))))
			.all();
		expect(notes.at(-1)?.note).toContain('审核通过');
	});

	it('a report submitted on time and awaiting review does not leave the item yellow for a missed report', () => {
		// LIV-02 (demo profile "late"): on pace, this month's report still a draft after the due day.
		const before = getInitiative(t.db, 'LIV-02', TODAY)!;
		expect(before.light).toBe('yellow');
		const lead = staffOf(t.db, before.leadUnitId!)!;
		const draft = before.reports.find((r) => r.month === '2026-11')!;
		const sent = saveReport(t.db, lead, before.id, '2026-11', report({ version: draft.version, submit: true }), ctx(lead), TODAY);
		expect(getInitiative(t.db, 'LIV-02', TODAY)!.light).toBe('green');
		expect(listInitiatives(t.db, TODAY).find((i) => i.code === 'LIV-02')!.light).toBe('green');
		// Returned, it is owed again.
		returnReport(t.db, sent.id, sent.version, '请补充。', { ...ctx(office), actorId: office.id });
		expect(getInitiative(t.db, 'LIV-02', TODAY)!.light).toBe('yellow');
	});

	it('refuses a future month, a month before the start, another unit, and impossible dates', () => {
		// YRD-01: led by the staff's unit; staff-gxj's unit is neither its lead nor a co-unit.
		const id = initiativeIdByCode(t.db, 'YRD-01')!;
		expect(() => saveReport(t.db, staff, id, '2026-12', report(), ctx(staff), TODAY)).toThrow(/未来月份/);
		expect(() => saveReport(t.db, staff, id, '2021-01', report(), ctx(staff), TODAY)).toThrow(/不能填报更早月份/);
		expect(() => saveReport(t.db, otherStaff, id, '2026-11', report(), ctx(otherStaff), TODAY)).toThrow(/牵头单位/);
		const form = new FormData();
		form.set('intent', 'submit');
		form.set('progress', '');
		form.set('met-1', 'on');
		form.set('date-1', '2026-02-30');
		const parsed = parseReportForm(form);
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) {
			expect(parsed.errors.progress).toBe('提交前请填写进展情况');
			expect(parsed.errors['date-1']).toMatch(/不是有效日期/);
			// Evidence is a text or files: a milestone met without either is refused on saving, where the
			// files already attached are known (tests/unit/evidence.test.ts).
			expect(parsed.errors['evidence-1']).toBeUndefined();
		}
		// A version that is none (a form not sent as the page made it) is said so, not taken for "someone else began it".
		const forged = new FormData();
		forged.set('intent', 'draft');
		forged.set('progress', '进展');
		forged.set('version', 'abc');
		expect(parseReportForm(forged)).toEqual({ ok: false, errors: { form: '表单已过期，请刷新页面' } });
		forged.set('version', '');
		expect(parseReportForm(forged)).toMatchObject({ ok: true, data: { version: null } });
		forged.set('version', '7');
		expect(parseReportForm(forged)).toMatchObject({ ok: true, data: { version: 7 } });
		// A milestone's box or a file's sent twice (a crafted form), or with an id the page never writes, is one tick.
		for (const key of ['met-3', 'met-3', 'met-03', 'withdraw-8', 'withdraw-8', 'withdraw-08']) forged.append(key, 'on');
		forged.set('date-3', '2026-11-02');
		forged.set('evidence-3', '验收报告');
		expect(parseReportForm(forged)).toMatchObject({
			ok: true,
			data: { milestonesMet: [{ milestoneId: 3, completedOn: '2026-11-02', evidence: '验收报告' }], withdraw: [8] }
		});
	});

	it('refuses the second of two concurrent edits and says what changed', () => {
		const item = t.db.select().from(initiative).where(eq(initiative.code, 'ECO-04')).get()!;
		const detail = getInitiative(t.db, item.code, TODAY)!;
		const draft = detail.reports.find((r) => r.month === '2026-11')!;
		expect(draft.status).toBe('draft');
		saveReport(t.db, staff, item.id, '2026-11', report({ version: draft.version, progress: '甲的修改' }), ctx(staff), TODAY);
		let error: unknown;
		try {
			saveReport(t.db, staff, item.id, '2026-11', report({ version: draft.version, progress: '乙的修改' }), ctx(staff), TODAY);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(StaleVersionError);
		expect((error as StaleVersionError).changes).toContainEqual(expect.objectContaining({ field: 'progress', after: '甲的修改' }));
		expect(t.db.select().from(progressReport).where(eq(progressReport.id, draft.id)).get()?.progress).toBe('甲的修改');

		// The office reviewing that draft, with any version (one guessed, or the page's from before a
		// withdrawal), is told only that it is not awaiting review: never the draft's texts.
		const office = sessionUser('supervisor');
		for (const version of [draft.version, draft.version + 1, 99]) {
			for (const review of [
				() => approveReport(t.db, draft.id, version, { ...ctx(office), actorId: office.id }),
				() => returnReport(t.db, draft.id, version, '请补充。', { ...ctx(office), actorId: office.id })
			]) {
				let refusal: unknown;
				try {
					review();
				} catch (e) {
					refusal = e;
				}
				expect(refusal).toBeInstanceOf(WorkflowError);
				expect(refusal).not.toBeInstanceOf(StaleVersionError);
				expect(JSON.stringify(refusal) + String((refusal as Error).message)).not.toContain('甲的修改');
			}
		}
	});
});

describe('a closed item', () => {
	it('has its report awaiting review approved, not returned to a unit that could no longer correct it', () => {
		const waiting = t.db
			.select()
			.from(progressReport)
			.all()
			.find((r) => r.status === 'submitted')!;
		const office = sessionUser('supervisor');
		const item = t.db.select().from(initiative).where(eq(initiative.id, waiting.initiativeId)).get()!;
		updateTracked(t.db, initiative, item.id, { status: 'completed', completedOn: TODAY }, ctx(office));
		try {
			expect(() => returnReport(t.db, waiting.id, waiting.version, '请补充。', { ...ctx(office), actorId: office.id })).toThrow(
				/已销号或撤销/
			);
			expect(t.db.select().from(progressReport).where(eq(progressReport.id, waiting.id)).get()?.status).toBe('submitted');
		} finally {
			updateTracked(t.db, initiative, item.id, { status: item.status, completedOn: item.completedOn }, ctx(office));
		}
	});
});

describe('a report begun by two people at once', () => {
	it('refuses the second, who opened the form before the report existed, listing what the first wrote', () => {
		const month = '2026-11';
		const { item, writer } = unreportedItem(month);
		const first = saveReport(t.db, writer, item.id, month, report({ version: null, progress: '甲先写的进展' }), ctx(writer), TODAY);
		// The second's form, opened before, sends no version; clicking save again sends none again.
		for (let again = 0; again < 2; again++) {
			let refusal: unknown;
			try {
				saveReport(t.db, writer, item.id, month, report({ version: null, progress: '乙的进展' }), ctx(writer), TODAY);
			} catch (e) {
				refusal = e;
			}
			expect(refusal).toBeInstanceOf(StaleVersionError);
			expect((refusal as StaleVersionError).changes).toContainEqual({ field: 'progress', before: null, after: '甲先写的进展' });
			expect((refusal as StaleVersionError).current).toBe(first.version);
		}
		expect(t.db.select().from(progressReport).where(eq(progressReport.id, first.id)).get()?.progress).toBe('甲先写的进展');
		// Once the second says they have seen it (the version now), theirs is saved.
		saveReport(t.db, writer, item.id, month, report({ version: first.version, progress: '乙看过后的进展' }), ctx(writer), TODAY);
		expect(t.db.select().from(progressReport).where(eq(progressReport.id, first.id)).get()?.progress).toBe('乙看过后的进展');
	});
});

describe('a milestone the office changes while a unit reports it met', () => {
	it('refuses the tick, naming the milestone as it now reads, and takes it once the unit has seen it', () => {
		const month = '2026-11';
		const openOf = (id: number) =>
			t.db
				.select()
				.from(milestone)
				.where(eq(milestone.initiativeId, id))
				.all()
				.find((ms) => ms.completedOn === null && ms.removedAt === null);
		const { item, writer: lead } = unreportedItem(month, (i) => !!openOf(i.id));
		const open = openOf(item.id)!;
		const form = new FormData();
		form.set('intent', 'draft');
		form.set('progress', '完成阶段任务。');
		form.set('version', '');
		form.set(`met-${open.id}`, 'on');
		form.set(`mv-${open.id}`, String(open.version));
		form.set(`date-${open.id}`, '2026-11-20');
		form.set(`evidence-${open.id}`, '阶段任务评估报告');
		const parsed = parseReportForm(form);
		if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
		expect(parsed.data.milestonesMet).toEqual([
			{ milestoneId: open.id, completedOn: '2026-11-20', evidence: '阶段任务评估报告', seenVersion: open.version }
		]);
		// The office renames it and moves it meanwhile.
		updateTracked(t.db, milestone, open.id, { title: '另一项更大的任务', dueOn: '2027-06-30' }, ctx(office));
		expect(() => saveReport(t.db, lead, item.id, month, parsed.data, ctx(lead), TODAY)).toThrow(
			'督查室在您打开本页后修改了该节点，现为“另一项更大的任务”（完成时限 2027年6月30日）'
		);
		expect(t.db.select().from(milestone).where(eq(milestone.id, open.id)).get()?.version).toBe(open.version + 1);
		// Ticked again on the page as it now reads, it is taken.
		const seen = { ...parsed.data, milestonesMet: [{ ...parsed.data.milestonesMet[0], seenVersion: open.version + 1 }] };
		saveReport(t.db, lead, item.id, month, seen, ctx(lead), TODAY);
		// A form without a shown version of a milestone (a crafted one says otherwise) is said to be stale.
		form.set(`mv-${open.id}`, 'x');
		expect(parseReportForm(form)).toEqual({ ok: false, errors: { form: '表单已过期，请刷新页面' } });
	});
});

describe('a milestone reported met that closes before the report is sent', () => {
	it('stays with the draft as the unit typed it through the next save, and the approval does not count it', () => {
		const month = '2026-11';
		const openOf = (id: number) =>
			t.db
				.select()
				.from(milestone)
				.where(and(eq(milestone.initiativeId, id), isNull(milestone.completedOn), isNull(milestone.removedAt)))
				.all();
		const { item, writer } = unreportedItem(month, (i) => openOf(i.id).length >= 2);
		const [gone, kept] = openOf(item.id);
		const draft = saveReport(
			t.db,
			writer,
			item.id,
			month,
			report({
				milestonesMet: [
					{ milestoneId: gone.id, completedOn: '2026-11-20', evidence: '草稿里的佐证' },
					{ milestoneId: kept.id, completedOn: '2026-11-21', evidence: '另一项佐证' }
				]
			}),
			ctx(writer),
			TODAY
		);
		removeMilestone(t.db, item.id, gone.id, gone.version, '重复设置', ctx(office));
		// The form lists open milestones only: saved as shown, it no longer sends the removed one.
		const again = saveReport(
			t.db,
			writer,
			item.id,
			month,
			report({
				version: draft.version,
				milestonesMet: [{ milestoneId: kept.id, completedOn: '2026-11-21', evidence: '另一项佐证（改）' }]
			}),
			ctx(writer),
			TODAY
		);
		const met = () => milestonesReportedMet(t.db, [again.id]).map((r) => [r.milestoneId, r.completedOn, r.evidence, r.removedAt !== null]);
		expect(met()).toEqual([
			[gone.id, '2026-11-20', '草稿里的佐证', true],
			[kept.id, '2026-11-21', '另一项佐证（改）', false]
		]);
		// Nor can the form report the removed one met again.
		expect(() =>
			saveReport(
				t.db,
				writer,
				item.id,
				month,
				report({ version: again.version, milestonesMet: [{ milestoneId: gone.id, completedOn: '2026-11-20', evidence: 'x' }] }),
				ctx(writer),
				TODAY
			)
		).toThrow(WorkflowError);
		const sent = saveReport(
			t.db,
			writer,
			item.id,
			month,
			report({
				version: again.version,
				submit: true,
				milestonesMet: [{ milestoneId: kept.id, completedOn: '2026-11-21', evidence: '另一项佐证（改）' }]
			}),
			ctx(writer),
			TODAY
		);
		expect(met()).toHaveLength(2);
		approveReport(t.db, sent.id, sent.version, ctx(office));
		const after = t.db.select().from(milestone).where(eq(milestone.initiativeId, item.id)).all();
		expect(after.find((m) => m.id === gone.id)!.completedOn).toBeNull();
		expect(after.find((m) => m.id === kept.id)!.completedOn).toBe('2026-11-21');
	});
});

describe('extensions and closures', () => {
	it('extends a milestone asked for before it passes; the history keeps the original date', () => {
		const item = getInitiative(t.db, 'YRD-02', TODAY)!;
		const next = item.milestones.find((m) => m.completedOn === null && m.dueOn >= TODAY)!;
		expect(item.dueOn).toBe('2027-12-31');
		// Not past the item's deadline (that is extended by its own request), nor ten years on.
		for (const [milestoneId, requestedDue, refusal] of [
			[next.id, '2028-03-31', /不能晚于任务完成时限 2027-12-31/],
			[null, '2127-02-28', /不能晚于 2036-11-27/]
		] as const)
			expect(() =>
				requestExtension(t.db, staff, { initiativeId: item.id, milestoneId, requestedDue, reason: '征地手续延后。' }, ctx(staff), TODAY)
			).toThrow(refusal);
		const request = requestExtension(
			t.db,
			staff,
			{ initiativeId: item.id, milestoneId: next.id, requestedDue: '2027-09-30', reason: '征地手续延后。' },
			ctx(staff),
			TODAY
		);
		expect(() =>
			requestExtension(
				t.db,
				staff,
				{ initiativeId: item.id, milestoneId: next.id, requestedDue: '2027-10-31', reason: '再次申请。' },
				ctx(staff),
				TODAY
			)
		).toThrow(/待审批/);
		const before = ctx(office).at;
		decideExtension(
			t.db,
			{ initiativeId: item.id, requestId: request.id, version: request.version, approve: true, comment: '' },
			ctx(office)
		);
		expect(t.db.select().from(milestone).where(eq(milestone.id, next.id)).get()?.dueOn).toBe('2027-09-30');
		expect(rowsAsOf(t.db, milestone, before, { field: 'id', equals: next.id })[0].dueOn).toBe(next.dueOn);
	});

	it('approves only the date the unit asked to move: not one the office changed since, nor on a closed item', () => {
		const item = getInitiative(t.db, 'YRD-02', TODAY)!;
		const target = item.milestones.find((m) => m.completedOn === null && m.dueOn >= TODAY && m.dueOn < '2027-12-30')!;
		const ask = () =>
			requestExtension(
				t.db,
				staff,
				{ initiativeId: item.id, milestoneId: target.id, requestedDue: '2027-12-31', reason: '施工许可延后。' },
				ctx(staff),
				TODAY
			);
		const request = ask();
		// The office moves the date itself meanwhile.
		const row = t.db.select().from(milestone).where(eq(milestone.id, target.id)).get()!;
		updateTracked(t.db, milestone, target.id, { dueOn: '2027-12-30' }, ctx(office));
		const approve = () =>
			decideExtension(
				t.db,
				{ initiativeId: item.id, requestId: request.id, version: request.version, approve: true, comment: '' },
				ctx(office)
			);
		expect(approve).toThrow(/已由 .* 改为 2027-12-30/);
		expect(t.db.select().from(milestone).where(eq(milestone.id, target.id)).get()?.dueOn).toBe('2027-12-30');
		decideExtension(
			t.db,
			{ initiativeId: item.id, requestId: request.id, version: request.version, approve: false, comment: '时限已调整。' },
			ctx(office)
		);
		expect(row.dueOn).not.toBe('2027-12-30');

		// Nor a milestone's new date past the item's deadline, which the office has set earlier since.
		const later = ask();
		const deadline = t.db.select().from(initiative).where(eq(initiative.id, item.id)).get()!.dueOn!;
		updateTracked(t.db, initiative, item.id, { dueOn: '2027-12-30' }, ctx(office));
		expect(() =>
			decideExtension(t.db, { initiativeId: item.id, requestId: later.id, version: later.version, approve: true, comment: '' }, ctx(office))
		).toThrow(/任务完成时限已改为 2027-12-30/);
		expect(t.db.select().from(milestone).where(eq(milestone.id, target.id)).get()?.dueOn).toBe('2027-12-30');
		decideExtension(
			t.db,
			{ initiativeId: item.id, requestId: later.id, version: later.version, approve: false, comment: '时限已调整。' },
			ctx(office)
		);
		updateTracked(t.db, initiative, item.id, { dueOn: deadline }, ctx(office));

		// Nor a milestone the office renamed since, its date unchanged: the unit's reason was for the one it read.
		const renamed = ask();
		const title = t.db.select().from(milestone).where(eq(milestone.id, target.id)).get()!.title;
		updateTracked(t.db, milestone, target.id, { title: '改名后的节点' }, ctx(office));
		expect(() =>
			decideExtension(
				t.db,
				{ initiativeId: item.id, requestId: renamed.id, version: renamed.version, approve: true, comment: '' },
				ctx(office)
			)
		).toThrow(`申请后该节点已由“${title}”改为“改名后的节点”`);
		expect(t.db.select().from(milestone).where(eq(milestone.id, target.id)).get()?.dueOn).toBe('2027-12-30');
		decideExtension(
			t.db,
			{ initiativeId: item.id, requestId: renamed.id, version: renamed.version, approve: false, comment: '节点已调整。' },
			ctx(office)
		);
		updateTracked(t.db, milestone, target.id, { title }, ctx(office));

		// A closure settles the extensions still waiting; none is approved on a closed item.
		const waiting = ask();
		const closure = requestClosure(t.db, staff, { initiativeId: item.id, evidence: '全部完成。' }, ctx(staff));
		decideClosure(
			t.db,
			{ initiativeId: item.id, requestId: closure.id, version: closure.version, approve: true, comment: '同意。' },
			ctx(office),
			TODAY
		);
		const settled = t.db.select().from(extensionRequest).where(eq(extensionRequest.id, waiting.id)).get()!;
		expect(settled).toMatchObject({ status: 'refused', decisionComment: '任务已销号，延期申请不再办理。' });
		expect(() =>
			decideExtension(
				t.db,
				{ initiativeId: item.id, requestId: waiting.id, version: settled.version, approve: true, comment: '' },
				ctx(office)
			)
		).toThrow(/已审批/);
	});

	it('refuses an extension after the date has passed, or to an earlier date', () => {
		const item = getInitiative(t.db, 'INN-03', TODAY)!;
		const past = item.milestones.find((m) => m.dueOn < TODAY && m.completedOn === null);
		if (past)
			expect(() =>
				requestExtension(
					t.db,
					staff,
					{ initiativeId: item.id, milestoneId: past.id, requestedDue: '2027-06-30', reason: 'x' },
					ctx(staff),
					TODAY
				)
			).toThrow(/已过/);
		expect(() =>
			requestExtension(
				t.db,
				staff,
				{ initiativeId: item.id, milestoneId: null, requestedDue: '2020-01-01', reason: 'x' },
				ctx(staff),
				TODAY
			)
		).toThrow(/须晚于原定日期/);
	});

	it('closes an item only when the office approves the lead unit’s request', () => {
		const item = getInitiative(t.db, 'YRD-03', TODAY)!;
		expect(() => requestClosure(t.db, otherStaff, { initiativeId: item.id, evidence: 'x' }, ctx(otherStaff))).toThrow(WorkflowError);
		const request = requestClosure(t.db, staff, { initiativeId: item.id, evidence: '全部节点已完成,验收材料附后。' }, ctx(staff));
		expect(getInitiative(t.db, 'YRD-03', TODAY)!.status).toBe('active');
		expect(() =>
			decideClosure(
				t.db,
				{ initiativeId: item.id, requestId: request.id, version: request.version, approve: false, comment: '' },
				ctx(office),
				TODAY
			)
		).toThrow(/理由/);
		decideClosure(
			t.db,
			{ initiativeId: item.id, requestId: request.id, version: request.version, approve: true, comment: '同意销号。' },
			ctx(office),
			TODAY
		);
		const closed = getInitiative(t.db, 'YRD-03', TODAY)!;
		expect(closed).toMatchObject({ status: 'completed', completedOn: TODAY, pace: 'done', light: 'green' });
		expect(() => saveReport(t.db, staff, closed.id, '2026-11', report(), ctx(staff), TODAY)).toThrow(/已销号/);
	});
});

describe('instructions and the to-do page', () => {
	it('shows a leader’s instruction to the item’s staff until they answer it', () => {
		const item = getInitiative(t.db, 'YRD-01', TODAY)!;
		const ins = writeInstruction(t.db, leader, item.id, '请加快推进,月底前报送专题材料。', ctx(leader));
		// Sent twice (a double click): one instruction, one to-do.
		expect(writeInstruction(t.db, leader, item.id, '请加快推进,月底前报送专题材料。', ctx(leader)).id).toBe(ins.id);
		expect(todoFor(t.db, staff, TODAY).instructions.filter((i) => i.body === '请加快推进,月底前报送专题材料。')).toHaveLength(1);
		expect(todoFor(t.db, staff, TODAY).instructions.map((i) => i.body)).toContain('请加快推进,月底前报送专题材料。');
		expect(todoFor(t.db, otherStaff, TODAY).instructions).toEqual([]);
		// Another unit cannot tell it exists: answered as one that does not (404), as a slip of another unit is.
		expect(refusal(() => answerInstruction(t.db, otherStaff, ins.id, ins.version, '收到', ctx(otherStaff)))).toEqual(
			refusal(() => answerInstruction(t.db, otherStaff, 999_999, 1, '收到', ctx(otherStaff)))
		);
		expect(refusal(() => answerInstruction(t.db, otherStaff, ins.id, ins.version, '收到', ctx(otherStaff)))).toMatchObject({ status: 404 });
		// A co-unit reads it on the item's page; the lead unit answers for the item, so a co-unit's answer
		// is refused (it closed the instruction for the lead before) and its to-do does not list it.
		const coStaff = item.coUnits.map((u) => staffOf(t.db, u.id)).find((u) => u !== null)!;
		expect(coStaff).toBeDefined();
		expect(todoFor(t.db, coStaff, TODAY).instructions.map((i) => i.id)).not.toContain(ins.id);
		expect(refusal(() => answerInstruction(t.db, coStaff, ins.id, ins.version, '收到', ctx(coStaff)))).toMatchObject({ status: 403 });
		answerInstruction(t.db, staff, ins.id, ins.version, '收到,已部署。', ctx(staff));
		// The same answer sent again from the page as it was (a double click, a second tab): said as answered.
		expect(refusal(() => answerInstruction(t.db, staff, ins.id, ins.version, '收到', ctx(staff)))).toMatchObject({
			status: 409,
			message: '该批示已回复。'
		});
		expect(todoFor(t.db, staff, TODAY).instructions).toEqual([]);
		expect(todoFor(t.db, leader, TODAY).instructions[0]).toMatchObject({ answered: true });

		// Read by the units that carry it out (and the office, leaders): not by another unit's staff, on
		// the item's page nor in its history.
		const answered = getInitiative(t.db, 'YRD-01', TODAY)!;
		expect(isItemUnitStaff(otherStaff, answered)).toBe(false);
		const reads = (who: SessionUser) => {
			const page = withholdDrafts(who, answered).instructions.some((i) => i.id === ins.id);
			const reader = {
				readsDrafts: false,
				readsInstructions: mayReadInstructions(who, answered),
				readsReviewComments: true,
				unitId: staffUnitOf(who)
			};
			const history = itemHistory(t.db, answered.id, 5000, reader).some((c) => c.entity === 'instruction' && c.entityId === String(ins.id));
			expect(history, who.username).toBe(page);
			return page;
		};
		expect([staff, coStaff, office, leader].map(reads)).toEqual([true, true, true, true]);
		expect(reads(otherStaff)).toBe(false);
	});

	it('takes no instruction and no answer on an item closed or cancelled, as its page offers neither', () => {
		const item = getInitiative(t.db, 'YRD-01', TODAY)!;
		const ins = writeInstruction(t.db, leader, item.id, '请总结经验做法。', ctx(leader));
		const office = sessionUser('supervisor');
		updateTracked(t.db, initiative, item.id, { status: 'cancelled' }, ctx(office));
		try {
			expect(refusal(() => answerInstruction(t.db, staff, ins.id, ins.version, '收到', ctx(staff)))).toMatchObject({ status: 409 });
			expect(refusal(() => writeInstruction(t.db, leader, item.id, '请再研究。', ctx(leader)))).toMatchObject({ status: 409 });
			expect(
				t.db
					.select()
					.from(instruction)
					.where(eq(instruction.initiativeId, item.id))
					.all()
					.map((i) => i.body)
			).not.toContain('请再研究。');
		} finally {
			updateTracked(t.db, initiative, item.id, { status: 'active' }, ctx(office));
		}
	});

	it('lists reports to fill for staff and to review for the office, and flags the unreported after the due day', () => {
		const mine = todoFor(t.db, staff, TODAY);
		expect(mine.pastDueDay).toBe(true);
		expect(mine.toReport.length).toBeGreaterThan(0);
		const office_ = todoFor(t.db, office, TODAY);
		expect(office_.toReview.length).toBeGreaterThan(0);
		expect(office_.unreported.length).toBeGreaterThan(0);
		expect(todoFor(t.db, office, '2026-11-20').unreported).toEqual([]);
		expect(office_.unassigned).toEqual([]);
	});

	it('lists for the office an item no unit leads, which nobody would report on, rather than reminding nobody', () => {
		// An item the office is reminded of today: its lead unit has not reported.
		const code = todoFor(t.db, office, TODAY).unreported[0].code;
		const item = t.db.select().from(initiative).where(eq(initiative.code, code)).get()!;
		updateTracked(t.db, initiative, item.id, { leadUnitId: null }, ctx(office));
		try {
			const todo = todoFor(t.db, office, TODAY);
			expect(todo.unassigned).toContainEqual({ code, title: item.title });
			expect(todo.unreported.map((i) => i.code)).not.toContain(code);
			expect(todoFor(t.db, staff, TODAY).unassigned).toEqual([]);
		} finally {
			updateTracked(t.db, initiative, item.id, { leadUnitId: item.leadUnitId }, ctx(office));
		}
	});
});

describe('items and milestones', () => {
	it("hands a lead unit's unsent draft to a new lead unit only with the office's consent", () => {
		// ECO-04's draft of 2026-11 is being written by its lead unit (the staff account's).
		const item = t.db.select().from(initiative).where(eq(initiative.code, 'ECO-04')).get()!;
		expect(
			t.db
				.select()
				.from(progressReport)
				.all()
				.some((r) => r.initiativeId === item.id && r.status === 'draft')
		).toBe(true);
		const change = (handOverDrafts?: boolean) =>
			updateItem(
				t.db,
				item.id,
				{
					version: t.db.select().from(initiative).where(eq(initiative.id, item.id)).get()!.version,
					handOverDrafts,
					title: item.title,
					themeId: item.themeId,
					leadUnitId: otherStaff.unitId,
					coUnitIds: [],
					leader: item.leader,
					startOn: item.startOn,
					dueOn: item.dueOn
				},
				ctx(office)
			);
		expect(() => change()).toThrow(expect.objectContaining({ field: 'handOverDrafts', status: 409 }));
		expect(t.db.select().from(initiative).where(eq(initiative.id, item.id)).get()!.leadUnitId).toBe(item.leadUnitId);
		change(true);
		expect(t.db.select().from(initiative).where(eq(initiative.id, item.id)).get()!.leadUnitId).toBe(otherStaff.unitId);
	});

	it('refuses a quote that is not in the source, a due date before the start, and a weight of zero', () => {
		const base = {
			code: 'YRD-09',
			sourceId: '1',
			quote: '不存在的原文',
			title: '测试',
			themeId: '1',
			leadUnitId: '',
			leader: '',
			startOn: '2026-01-01',
			dueOn: '2026-12-31'
		};
		const parsed = newItemSchema.parse(base);
		expect(() => createItem(t.db, parsed, ctx(office))).toThrow(/逐字摘自/);
		expect(newItemSchema.safeParse({ ...base, dueOn: '2026-02-30' }).success).toBe(false);
		expect(milestoneSchema.safeParse({ title: 'x', dueOn: '2026-05-01', weight: '0', position: '1' }).error?.issues[0].message).toBe(
			'权重不能小于 1'
		);
		// 顺序 is typed as the pages number milestones, from 1; stored from 0, and shown again from 1.
		expect(milestoneSchema.parse({ title: 'x', dueOn: '2026-05-01', weight: '1', position: '1' }).position).toBe(0);
		expect(milestoneSchema.safeParse({ title: 'x', dueOn: '2026-05-01', weight: '1', position: '0' }).error?.issues[0].message).toBe(
			'顺序不能小于 1'
		);
		expect(valueLabel(0, 'position')).toBe('1');
		expect(valueLabel(0, 'weight')).toBe('0');
		const id = initiativeIdByCode(t.db, 'YRD-01')!;
		const start = getInitiative(t.db, 'YRD-01', TODAY)!.startOn!;
		expect(() => addMilestone(t.db, id, { title: '早于开始', dueOn: '2020-01-01', weight: 10, position: 9 }, ctx(office))).toThrow(
			new RegExp(start)
		);
	});

	it('records a removed milestone instead of deleting it', () => {
		const id = initiativeIdByCode(t.db, 'YRD-01')!;
		const added = addMilestone(t.db, id, { title: '临时节点', dueOn: '2027-03-31', weight: 10, position: 9 }, ctx(office));
		removeMilestone(t.db, id, added.id, added.version, '重复设置', ctx(office));
		expect(t.db.select().from(milestone).where(eq(milestone.id, added.id)).get()?.removedAt).not.toBeNull();
		expect(getInitiative(t.db, 'YRD-01', TODAY)!.milestones.some((m) => m.id === added.id)).toBe(false);
	});
});

describe("the office's dates of an item and its milestones", () => {
	// LIV-01 (2021-09-01 to 2027-12-31, on pace: open milestones) is changed by no other test.
	const item = () => t.db.select().from(initiative).where(eq(initiative.code, 'LIV-01')).get()!;
	const milestonesOf = () =>
		t.db
			.select()
			.from(milestone)
			.where(eq(milestone.initiativeId, item().id))
			.all()
			.sort((a, b) => a.dueOn.localeCompare(b.dueOn));
	/** The office saves the item's form with `dates` changed. */
	const change = (dates: { startOn?: string; dueOn?: string }) => {
		const i = item();
		const coUnitIds = t.db
			.select()
			.from(initiativeCoUnit)
			.where(eq(initiativeCoUnit.initiativeId, i.id))
			.all()
			.map((c) => c.unitId);
		const { version, title, themeId, leadUnitId, leader, startOn, dueOn } = i;
		return updateItem(t.db, i.id, { version, title, themeId, leadUnitId, coUnitIds, leader, startOn, dueOn, ...dates }, ctx(office));
	};

	it('a removed milestone does not hold the start date; one kept does', () => {
		const start = item().startOn!;
		const early = addMilestone(t.db, item().id, { title: '已删除的早期节点', dueOn: '2021-09-15', weight: 1, position: 20 }, ctx(office));
		removeMilestone(t.db, item().id, early.id, early.version, '误设', ctx(office));
		const firstKept = milestonesOf().find((x) => x.removedAt === null)!;
		expect(firstKept.dueOn > '2021-09-15').toBe(true);
		change({ startOn: firstKept.dueOn });
		expect(item().startOn).toBe(firstKept.dueOn);
		const dayAfter = new Date(Date.parse(firstKept.dueOn) + 86_400_000).toISOString().slice(0, 10);
		expect(() => change({ startOn: dayAfter })).toThrow(expect.objectContaining({ field: 'startOn' }));
		change({ startOn: start });
	});

	it('a milestone is not due after the deadline, and the deadline is not moved before an open milestone', () => {
		const deadline = item().dueOn!;
		expect(deadline).toBe('2027-12-31');
		expect(() => addMilestone(t.db, item().id, { title: '逾期节点', dueOn: '2028-01-31', weight: 1, position: 21 }, ctx(office))).toThrow(
			expect.objectContaining({ field: 'dueOn', message: expect.stringContaining(deadline) })
		);
		const last = milestonesOf()
			.filter((x) => x.removedAt === null && x.completedOn === null)
			.at(-1)!;
		expect(() =>
			updateMilestone(
				t.db,
				item().id,
				last.id,
				{ title: last.title, dueOn: '2028-02-29', weight: last.weight, position: last.position, version: last.version },
				ctx(office)
			)
		).toThrow(expect.objectContaining({ field: 'dueOn', message: expect.stringContaining(deadline) }));
		expect(() => change({ dueOn: '2027-11-30' })).toThrow(
			expect.objectContaining({ field: 'dueOn', message: expect.stringMatching(new RegExp(`${last.title}.*${last.dueOn}`)) })
		);
		expect(item().dueOn).toBe(deadline);
		// A later deadline, and a milestone within it, are the office's to set.
		change({ dueOn: '2028-06-30' });
		addMilestone(t.db, item().id, { title: '延后节点', dueOn: '2028-03-31', weight: 1, position: 21 }, ctx(office));
	});
});

describe('an item as of a past date', () => {
	it('is rebuilt from the history, and agrees with the rules applied to that day', () => {
		const then = '2023-06-30';
		const past = getInitiative(t.db, 'YRD-02', then, true)!;
		const now = getInitiative(t.db, 'YRD-02', TODAY)!;
		expect(past.reports.every((r) => r.month <= '2023-06')).toBe(true);
		expect(past.milestones.every((m) => m.completedOn === null || m.completedOn <= then)).toBe(true);
		expect(past.actual).toBeLessThanOrEqual(now.actual);
		const instant = endOfSuzhouDay(then);
		const reports = rowsAsOf(t.db, progressReport, instant).filter((r) => r.initiativeId === past.id);
		expect(past.reports.length).toBe(reports.length);
		expect(getInitiative(t.db, 'YRD-02', '2021-07-01', true)).toBeNull();
	});
});

describe('every command checks who runs it, whoever calls it (a route, the CLI, a script)', () => {
	it('refuses the office’s commands to staff and leaders, and the leader’s to the office', () => {
		const item = getInitiative(t.db, 'YRD-02', TODAY)!;
		const decision = { requestId: 999999, version: 1, initiativeId: item.id, approve: true, comment: '' };
		for (const actor of [staff, leader]) {
			const refused = (run: () => unknown) => expect(run).toThrow(expect.objectContaining({ status: 403 }));
			refused(() => approveReport(t.db, 999999, 1, { ...ctx(actor), actorId: actor.id }));
			refused(() => returnReport(t.db, 999999, 1, '退回', { ...ctx(actor), actorId: actor.id }));
			refused(() => decideExtension(t.db, decision, ctx(actor)));
			refused(() => decideClosure(t.db, decision, ctx(actor), TODAY));
			refused(() => addMilestone(t.db, item.id, { title: '越权节点', dueOn: '2027-03-31', weight: 10, position: 9 }, ctx(actor)));
		}
		expect(() => writeInstruction(t.db, office, item.id, '越权批示', ctx(office))).toThrow(expect.objectContaining({ status: 403 }));
	});
});
