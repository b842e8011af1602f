/**
 * Who reports (docs/domain.md, "Who reports"): the lead unit (牵头单位) writes and submits the month's
 * report; each co-unit (配合单位) writes its own contribution (协办意见), read by the lead unit while
 * writing and kept with the report. The to-do list follows the same rule.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemHistory } from '$lib/server/audit';
import type { SessionUser } from '$lib/server/auth/sessions';
import { coUnitContribution, initiative, initiativeCoUnit, progressReport } from '$lib/server/db/schema';
import { getInitiative } from '$lib/server/initiatives';
import { seedIfEmpty } from '$lib/server/seed';
import { todoFor } from '$lib/server/todo';
import { withholdDrafts } from '$lib/server/workflow/access';
import { saveContribution } from '$lib/server/workflow/contributions';
import { StaleVersionError, WorkflowError } from '$lib/server/workflow/errors';
import {
	approveReport,
	contributionsShown,
	parseReportForm,
	returnReport,
	saveReport,
	withdrawReport,
	type ReportInput
} from '$lib/server/workflow/reports';
import { reportInput, sessionUser, staffOf as staffOfUnit } from '../helpers/people';
import { FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';

const TODAY = '2026-11-27';
const MONTH = '2026-11';
let t: TempDb;
let tick = 0;
const ctx = (actor: SessionUser) => ({ at: new Date(FIXED_NOW.getTime() + ++tick * 60_000).toISOString(), actorId: actor.id, actor });

const staffOf = (unitId: number) => staffOfUnit(t.db, unitId);
const office = () => sessionUser(t.db, 'supervisor');

/**
 * An active item with no report sent this month, whose lead unit has staff and one of whose co-units
 * has staff and has not yet written this month's contribution.
 */
function sharedItem(skip: string[] = []) {
	const items = t.db.select().from(initiative).where(eq(initiative.status, 'active')).all();
	for (const item of items) {
		if (skip.includes(item.code) || item.leadUnitId === null || !item.startOn || item.startOn > TODAY) continue;
		const sent = t.db
			.select()
			.from(progressReport)
			.where(
				and(
					eq(progressReport.initiativeId, item.id),
					eq(progressReport.month, MONTH),
					inArray(progressReport.status, ['submitted', 'approved'])
				)
			)
			.get();
		if (sent) continue;
		const co = t.db.select().from(initiativeCoUnit).where(eq(initiativeCoUnit.initiativeId, item.id)).all();
		const lead = staffOf(item.leadUnitId);
		const written = new Set(
			t.db
				.select()
				.from(coUnitContribution)
				.where(and(eq(coUnitContribution.initiativeId, item.id), eq(coUnitContribution.month, MONTH)))
				.all()
				.map((c) => c.unitId)
		);
		const coStaff =
			co.map((c) => staffOf(c.unitId)).find((s) => s !== null && s.unitId !== item.leadUnitId && !written.has(s.unitId!)) ?? null;
		if (lead && coStaff) return { item, lead, co: coStaff };
	}
	throw new Error('no item shared by two units with staff');
}

const report = (over: Partial<ReportInput> = {}) => reportInput({ progress: '牵头单位：完成年度重点项目建设。', ...over });
const currentReport = (itemId: number) =>
	t.db
		.select()
		.from(progressReport)
		.where(and(eq(progressReport.initiativeId, itemId), eq(progressReport.month, MONTH)))
		.get();

beforeAll(() => {
	t = tempDatabase();
	seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW });
});
afterAll(() => t.close());

describe('the lead unit reports; co-units contribute', () => {
	it("refuses a co-unit's report, draft or submission, and leaves the lead unit's draft as it was", () => {
		const { item, co } = sharedItem();
		const before = currentReport(item.id);
		for (const submit of [false, true]) {
			const attempt = () =>
				saveReport(
					t.db,
					co,
					item.id,
					MONTH,
					report({ version: before?.version ?? null, submit, progress: '配合单位改写' }),
					ctx(co),
					TODAY
				);
			expect(attempt).toThrow(WorkflowError);
			expect(attempt).toThrow(/牵头单位/);
		}
		expect(currentReport(item.id)).toEqual(before);
	});

	it('keeps each co-unit’s contribution for the lead unit, withholds it from others until the report is sent, then locks it', () => {
		const { item, lead, co } = sharedItem();
		const written = saveContribution(
			t.db,
			co,
			item.id,
			MONTH,
			{ opinion: '配合单位：完成用地保障。\n下月完成审批。', version: null },
			ctx(co),
			TODAY
		);
		expect(written).toMatchObject({ unitId: co.unitId, opinion: '配合单位：完成用地保障。\n下月完成审批。', version: 1 });
		// The lead unit can neither write nor overwrite a contribution.
		expect(() => saveContribution(t.db, lead, item.id, MONTH, { opinion: '牵头单位代写', version: 1 }, ctx(lead), TODAY)).toThrow(
			/配合单位/
		);

		const detail = getInitiative(t.db, item.code, TODAY)!;
		const seenBy = (who: SessionUser) =>
			withholdDrafts(who, detail)
				.contributions.filter((c) => c.month === MONTH)
				.map((c) => c.opinion);
		expect(seenBy(lead)).toEqual([written.opinion]);
		expect(seenBy(co)).toEqual([written.opinion]);
		expect(seenBy(office())).toEqual([]);

		// A second writer of the same unit who opened the form before the first saved is told, not obeyed.
		// What the first wrote is listed, and saving again the same way is refused again (nothing is overwritten unseen).
		for (let again = 0; again < 2; again++) {
			const refusal = (() => {
				try {
					saveContribution(t.db, co, item.id, MONTH, { opinion: '覆盖', version: null }, ctx(co), TODAY);
				} catch (e) {
					return e;
				}
			})();
			expect(refusal).toBeInstanceOf(StaleVersionError);
			expect((refusal as StaleVersionError).changes).toEqual([{ field: 'opinion', before: null, after: written.opinion }]);
			expect((refusal as StaleVersionError).current).toBe(1);
		}
		const revised = saveContribution(t.db, co, item.id, MONTH, { opinion: '配合单位：已完成用地保障。', version: 1 }, ctx(co), TODAY);
		expect(() => saveContribution(t.db, co, item.id, MONTH, { opinion: '旧版本', version: 1 }, ctx(co), TODAY)).toThrow(StaleVersionError);
		// The history names the change for everyone; its text only for the lead unit and the co-unit.
		const history = itemHistory(t.db, item.id, 300, {
			readsDrafts: false,
			readsInstructions: true,
			readsReviewComments: true,
			unitId: null
		});
		expect(history.find((h) => h.entity === 'co_unit_contribution')?.changes.map((c) => c.field)).toContain('opinion');
		expect(JSON.stringify(history)).not.toContain('已完成用地保障');
		expect(
			JSON.stringify(
				itemHistory(t.db, item.id, 300, { readsDrafts: false, readsInstructions: true, readsReviewComments: true, unitId: co.unitId })
			)
		).toContain('已完成用地保障');
		expect(
			JSON.stringify(
				itemHistory(t.db, item.id, 300, { readsDrafts: true, readsInstructions: true, readsReviewComments: true, unitId: lead.unitId })
			)
		).toContain('已完成用地保障');

		const draft = currentReport(item.id);
		const sent = saveReport(t.db, lead, item.id, MONTH, report({ version: draft?.version ?? null, submit: true }), ctx(lead), TODAY);
		expect(sent.status).toBe('submitted');
		const after = getInitiative(t.db, item.code, TODAY)!;
		const mine = (c: { month: string; unitId: number }) => c.month === MONTH && c.unitId === co.unitId;
		expect(
			withholdDrafts(office(), after)
				.contributions.filter(mine)
				.map((c) => c.opinion)
		).toEqual([revised.opinion]);
		expect(() => saveContribution(t.db, co, item.id, MONTH, { opinion: '提交后再改', version: revised.version }, ctx(co), TODAY)).toThrow(
			/随月报提交/
		);

		// Returned to the lead unit: the co-unit may correct its part again; approval locks it for good.
		const returned = returnReport(t.db, sent.id, sent.version, '请补充配合单位情况。', { ...ctx(office()), actorId: office().id });
		const corrected = saveContribution(
			t.db,
			co,
			item.id,
			MONTH,
			{ opinion: '配合单位：补充说明。', version: revised.version },
			ctx(co),
			TODAY
		);
		// The revision waits for the resubmission before the office reads it.
		const officeReads = () =>
			withholdDrafts(office(), getInitiative(t.db, item.code, TODAY)!)
				.contributions.filter(mine)
				.map((c) => c.opinion);
		expect(officeReads()).toEqual([]);
		const again = saveReport(t.db, lead, item.id, MONTH, report({ version: returned.version, submit: true }), ctx(lead), TODAY);
		expect(officeReads()).toEqual(['配合单位：补充说明。']);
		approveReport(t.db, again.id, again.version, { ...ctx(office()), actorId: office().id });
		expect(() => saveContribution(t.db, co, item.id, MONTH, { opinion: '审核后再改', version: corrected.version }, ctx(co), TODAY)).toThrow(
			/随月报提交/
		);
		expect(
			getInitiative(t.db, item.code, TODAY)!
				.contributions.filter(mine)
				.map((c) => c.opinion)
		).toEqual(['配合单位：补充说明。']);
	});

	it('submits a report only with the 协办意见 its writer read: one written or changed after the form opened is refused, a draft is not', () => {
		const { item, lead, co } = sharedItem();
		const written = saveContribution(t.db, co, item.id, MONTH, { opinion: 'C1 协办意见', version: null }, ctx(co), TODAY);
		// The lead opens the form, which shows C1 (what the page sends back: unit → version).
		const shown = contributionsShown(
			t.db
				.select()
				.from(coUnitContribution)
				.where(and(eq(coUnitContribution.initiativeId, item.id), eq(coUnitContribution.month, MONTH)))
				.all()
		);
		expect(shown).toBe(`${co.unitId}:${written.version}`);
		const formWith = (contributionsSeen: string) => {
			const data = new FormData();
			for (const [k, v] of Object.entries({ intent: 'submit', progress: '进展', problems: '无', nextSteps: '继续', contributionsSeen }))
				data.set(k, v);
			return parseReportForm(data);
		};
		const seen = (field: string) => {
			const parsed = formWith(field);
			if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
			return parsed.data.contributionsSeen;
		};
		expect(seen(shown)).toEqual(new Map([[co.unitId, written.version]]));
		expect(seen('')).toEqual(new Map());
		for (const forged of ['1:', ',', '1:2,', 'a:1', '0:1']) expect(formWith(forged).ok, forged).toBe(false);
		// The co-unit changes it meanwhile: the submission is refused and nothing is sent; a draft saves.
		saveContribution(t.db, co, item.id, MONTH, { opinion: 'C2 改过的意见', version: written.version }, ctx(co), TODAY);
		const before = currentReport(item.id) ?? null;
		const opened = before?.version ?? null;
		expect(() =>
			saveReport(t.db, lead, item.id, MONTH, report({ submit: true, version: opened, contributionsSeen: seen(shown) }), ctx(lead), TODAY)
		).toThrow(/协办意见/);
		expect(currentReport(item.id) ?? null).toEqual(before);
		const draft = saveReport(t.db, lead, item.id, MONTH, report({ version: opened, contributionsSeen: seen(shown) }), ctx(lead), TODAY);
		expect(draft.status).toBe('draft');
		// Read again (the page as it is now): submitted, with C2.
		const now = `${co.unitId}:${written.version + 1}`;
		const sent = saveReport(
			t.db,
			lead,
			item.id,
			MONTH,
			report({ submit: true, version: draft.version, contributionsSeen: seen(now) }),
			ctx(lead),
			TODAY
		);
		expect(sent.status).toBe('submitted');
	});

	it("lists the report under the lead unit's to-do and the contribution under the co-unit's, until each is done", () => {
		const { item, lead, co } = sharedItem(['__none__']);
		const codes = (list: { code: string }[]) => list.map((i) => i.code);
		const coTodo = todoFor(t.db, co, TODAY);
		expect(codes(coTodo.toReport)).not.toContain(item.code);
		expect(codes(coTodo.toContribute)).toContain(item.code);
		expect(codes(todoFor(t.db, lead, TODAY).toReport)).toContain(item.code);
		expect(codes(todoFor(t.db, lead, TODAY).toContribute)).not.toContain(item.code);

		saveContribution(t.db, co, item.id, MONTH, { opinion: '配合单位意见', version: null }, ctx(co), TODAY);
		expect(codes(todoFor(t.db, co, TODAY).toContribute)).not.toContain(item.code);
	});

	it('the lead unit may withdraw (撤回) a submitted report before review, keeping its text; not a co-unit, not after review', () => {
		const { item, lead, co } = sharedItem();
		const draft = currentReport(item.id);
		const sent = saveReport(
			t.db,
			lead,
			item.id,
			MONTH,
			report({ version: draft?.version ?? null, submit: true, progress: '撤回测试' }),
			ctx(lead),
			TODAY
		);
		expect(() => withdrawReport(t.db, item.id, sent.id, sent.version, ctx(co))).toThrow(/牵头单位/);
		expect(() => withdrawReport(t.db, item.id, sent.id, sent.version, ctx(office()))).toThrow(WorkflowError);
		// Named on another item's page, the report is not found there.
		expect(() => withdrawReport(t.db, item.id + 1, sent.id, sent.version, ctx(lead))).toThrow(WorkflowError);
		const back = withdrawReport(t.db, item.id, sent.id, sent.version, ctx(lead));
		expect(back).toMatchObject({ status: 'draft', progress: '撤回测试', submittedAt: null });
		expect(() => withdrawReport(t.db, item.id, back.id, back.version, ctx(lead))).toThrow(/已提交、尚未审核/);
		const again = saveReport(t.db, lead, item.id, MONTH, report({ version: back.version, submit: true }), ctx(lead), TODAY);
		const approved = approveReport(t.db, again.id, again.version, { ...ctx(office()), actorId: office().id });
		expect(() => withdrawReport(t.db, item.id, approved.id, approved.version, ctx(lead))).toThrow(/已提交、尚未审核/);
	});
});
