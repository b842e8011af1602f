/**
 * 督办单 (docs/domain.md, "Slips"): colour and facts from the rules of the day, numbers from a
 * register that never reuses or skips one (also when several processes issue at once), answers by
 * the unit addressed only, voiding that keeps the number, and who may read a slip.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { circularDocx, rankUnits } from '$lib/server/documents/circular-docx';
import { slipDocx, slipTitle } from '$lib/server/documents/slip-docx';
import { slipRegisterXlsx } from '$lib/server/documents/slip-register-xlsx';
import { monthlySummary } from '$lib/server/monthly/summary';
import { itemHistory } from '$lib/server/audit';
import type { SessionUser } from '$lib/server/auth/sessions';
import { changeLog, initiative, notification, supervisionSlip, unit, user } from '$lib/server/db/schema';
import { updateTracked } from '$lib/server/history';
import { getInitiative } from '$lib/server/initiatives';
import { listInitiatives } from '$lib/server/portfolio';
import { seedIfEmpty } from '$lib/server/seed';
import { readableSlip, slipRegister, slipsIssuedIn, type RegisterRow } from '$lib/server/slip-register';
import { todoFor } from '$lib/server/todo';
import { withholdDrafts } from '$lib/server/workflow/access';
import { StaleVersionError } from '$lib/server/workflow/errors';
import {
	answerSlip,
	issueSlip,
	issueSlipsForRedItems,
	openSlipsOfItem,
	redItemsToPress,
	slipDraft,
	voidSlip
} from '$lib/server/workflow/slips';
import { unitName } from '$lib/server/units';
import { itemState } from '$lib/server/item-state';
import { defaultDemand, slipColourFor, slipNumber, type SlipColour, type SlipState } from '$lib/slips';
import { sessionUser, staffOf } from '../helpers/people';
import { FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';
import { refusal } from '../helpers/refusal';

const TODAY = '2026-11-27';
let t: TempDb;
let tick = 0;
const ctx = (actor: SessionUser) => ({ at: new Date(FIXED_NOW.getTime() + ++tick * 60_000).toISOString(), actorId: actor.id, actor });
const office = () => sessionUser(t.db, 'supervisor');
/** A staff member of some unit other than `unitId`. */
const otherStaff = (unitId: number) => {
	const u = t.db
		.select()
		.from(user)
		.where(eq(user.role, 'staff'))
		.all()
		.find((x) => x.unitId !== null && x.unitId !== unitId)!;
	return sessionUser(t.db, u.username);
};

/** The number the register gives next to `colour` in `year`: one past those already issued (the demo issues two). */
const nextNumber = (colour: SlipColour, year: number) =>
	slipNumber(
		'苏督',
		colour,
		year,
		t.db
			.select()
			.from(supervisionSlip)
			.all()
			.filter((s) => s.colour === colour && s.year === year).length + 1
	);
/** Items with no slip yet. */
const unslipped = (i: { id: number }) =>
	!t.db
		.select()
		.from(supervisionSlip)
		.all()
		.some((s) => s.initiativeId === i.id);

beforeAll(() => {
	t = tempDatabase();
	seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW });
});
afterAll(() => t.close());

describe('the colour the rules call for', () => {
	it('is red for a red light, yellow when behind the pace or the reports, blue for a near deadline', () => {
		expect(slipColourFor([{ light: 'red', kind: 'overdue' }])).toBe('red');
		expect(slipColourFor([{ light: 'yellow', kind: 'pace' }])).toBe('yellow');
		expect(slipColourFor([{ light: 'yellow', kind: 'reports' }])).toBe('yellow');
		expect(slipColourFor([{ light: 'yellow', kind: 'dueSoon' }])).toBe('blue');
		expect(slipColourFor([])).toBe('blue');
		expect(slipNumber('苏督', 'red', 2026, 12)).toBe('苏督办〔2026〕12号');
	});

	it('asks by default what the reasons call for: a 催办单 for reports not sent asks for them, not to catch up', () => {
		expect(defaultDemand('yellow', [{ kind: 'reports' }])).toMatch(/^请补报所缺月份的进展情况/);
		expect(defaultDemand('yellow', [{ kind: 'reports' }])).not.toContain('滞后');
		expect(defaultDemand('yellow', [{ kind: 'pace' }])).toMatch(/^请分析进度滞后的原因/);
		expect(defaultDemand('yellow', [{ kind: 'pace' }, { kind: 'reports' }])).toMatch(/滞后.*补报/);
		expect(defaultDemand('red', [{ kind: 'reports' }])).toMatch(/^请立即研究落实/);
	});
});

describe('issuing', () => {
	it('writes the facts of the day, numbers the slip from the register and records it in the history', () => {
		const red = listInitiatives(t.db, TODAY).find(
			(i) => i.light === 'red' && i.status === 'active' && i.leadUnitId !== null && unslipped(i)
		)!;
		const expected = nextNumber('red', 2026);
		const slip = issueSlip(t.db, { initiativeId: red.id }, ctx(office()), TODAY);
		expect(slip.colour).toBe('red');
		expect(slip.number).toBe(expected);
		expect(slip.unitId).toBe(red.leadUnitId);
		expect(slip.facts).toContain(red.code);
		expect(slip.facts).toContain('截至2026年11月27日');
		// 5 working days after Friday 27 November 2026: the weekend does not count.
		expect(slip.replyBy).toBe('2026-12-04');
		const logged = t.db
			.select()
			.from(changeLog)
			.where(and(eq(changeLog.entity, 'supervision_slip'), eq(changeLog.entityId, String(slip.id))))
			.get()!;
		expect(logged.note).toBe('签发督办单');
		// A second slip of the same colour is not issued beside an open one.
		const again = refusal(() => issueSlip(t.db, { initiativeId: red.id }, ctx(office()), TODAY));
		expect(again.status).toBe(409);
		expect(again.message).toContain(expected);
		// Handed to another unit, the item's new lead may be pressed: the open slip presses the former
		// lead, which still answers it, and the bulk run counts the item as one to press again.
		const newLead = t.db
			.select()
			.from(unit)
			.all()
			.find((u) => u.id !== red.leadUnitId && staffOf(t.db, u.id) !== null)!;
		updateTracked(t.db, initiative, red.id, { leadUnitId: newLead.id }, ctx(office()));
		try {
			expect(redItemsToPress(t.db, TODAY).items.map((i) => i.id)).toContain(red.id);
			const toNewLead = issueSlip(t.db, { initiativeId: red.id }, ctx(office()), TODAY);
			expect(toNewLead.unitId).toBe(newLead.id);
			expect(toNewLead.number).not.toBe(slip.number);
			expect(refusal(() => issueSlip(t.db, { initiativeId: red.id }, ctx(office()), TODAY)).message).toContain(toNewLead.number);
			expect(t.db.select().from(supervisionSlip).where(eq(supervisionSlip.id, slip.id)).get()).toMatchObject({
				unitId: red.leadUnitId,
				reply: null
			});
			// The edit page names both open slips with the unit each presses.
			expect(openSlipsOfItem(t.db, red.id)).toEqual(
				expect.arrayContaining([
					{ number: slip.number, unitName: unitName(t.db, red.leadUnitId) },
					{ number: toNewLead.number, unitName: newLead.name }
				])
			);
		} finally {
			updateTracked(t.db, initiative, red.id, { leadUnitId: red.leadUnitId }, ctx(office()));
		}
	});

	it('refuses staff and leaders, and a reply date in the past or too far ahead', () => {
		const item = listInitiatives(t.db, TODAY).find(
			(i) => i.light === 'green' && i.status === 'active' && i.leadUnitId !== null && unslipped(i)
		)!;
		const staff = staffOf(t.db, item.leadUnitId!)!;
		expect(refusal(() => issueSlip(t.db, { initiativeId: item.id }, ctx(staff), TODAY)).status).toBe(403);
		expect(refusal(() => issueSlip(t.db, { initiativeId: item.id }, ctx(sessionUser(t.db, 'leader')), TODAY)).status).toBe(403);
		expect(refusal(() => issueSlip(t.db, { initiativeId: item.id, replyBy: '2026-11-26' }, ctx(office()), TODAY)).field).toBe('replyBy');
		expect(refusal(() => issueSlip(t.db, { initiativeId: item.id, replyBy: '2027-06-01' }, ctx(office()), TODAY)).field).toBe('replyBy');
		expect(t.db.select().from(supervisionSlip).where(eq(supervisionSlip.initiativeId, item.id)).all()).toEqual([]);
	});

	it('numbers each colour on its own, and a voided slip keeps its number', () => {
		const items = listInitiatives(t.db, TODAY).filter((i) => i.status === 'active' && i.leadUnitId !== null);
		const green = items.filter((i) => i.light === 'green' && unslipped(i)).slice(0, 3);
		const base =
			t.db
				.select()
				.from(supervisionSlip)
				.all()
				.filter((s) => s.colour === 'blue' && s.year === 2026).length + 1;
		const n = (k: number) => slipNumber('苏督', 'blue', 2026, base + k);
		const first = issueSlip(t.db, { initiativeId: green[0].id }, ctx(office()), TODAY);
		expect(first.colour).toBe('blue');
		expect(first.number).toBe(n(0));
		const voided = voidSlip(t.db, first.id, first.version, '事项有误', ctx(office()));
		expect(voided.voidedAt).not.toBeNull();
		expect(voided.number).toBe(n(0));
		// The unit that was to answer hears that it need not.
		const told = t.db
			.select()
			.from(notification)
			.where(and(eq(notification.userId, staffOf(t.db, first.unitId)!.id), eq(notification.key, `slip_voided|${first.id}`)))
			.get();
		expect(told).toMatchObject({ title: `提示单 ${first.number} 已作废`, link: `/slips/${first.id}` });
		expect(told!.body).toContain('无需再回复。作废理由：事项有误');
		expect(refusal(() => voidSlip(t.db, first.id, voided.version, '再次作废', ctx(office()))).status).toBe(409);
		// The item may be pressed again once its slip is void; the number goes on from the register.
		expect(issueSlip(t.db, { initiativeId: green[0].id }, ctx(office()), TODAY).number).toBe(n(1));
		expect(issueSlip(t.db, { initiativeId: green[1].id }, ctx(office()), TODAY).number).toBe(n(2));
		// The next year starts at 1 (whatever colour that day's rules call for).
		expect(issueSlip(t.db, { initiativeId: green[2].id }, ctx(office()), '2027-01-04').number).toMatch(/^苏督.〔2027〕1号$/);
	});
});

describe('answering and reading', () => {
	it('is answered once, by staff of the unit addressed, at the version they read', () => {
		const slip = t.db
			.select()
			.from(supervisionSlip)
			.where(and(eq(supervisionSlip.colour, 'red'), isNull(supervisionSlip.reply)))
			.get()!;
		const lead = staffOf(t.db, slip.unitId)!;
		const other = otherStaff(slip.unitId);
		// Another unit's slip is refused as a missing one: the refusal tells nothing of its existence.
		const hidden = refusal(() => answerSlip(t.db, other, slip.id, slip.version, '已整改', ctx(other)));
		const missing = refusal(() => answerSlip(t.db, other, 99_999_999, 1, '已整改', ctx(other)));
		expect([hidden.status, hidden.message]).toEqual([404, missing.message]);
		expect(missing.status).toBe(404);
		expect(refusal(() => answerSlip(t.db, office(), slip.id, slip.version, '已整改', ctx(office()))).status).toBe(403);
		expect(() => answerSlip(t.db, lead, slip.id, slip.version + 1, '已整改', ctx(lead))).toThrow(StaleVersionError);
		const answered = answerSlip(t.db, lead, slip.id, slip.version, '已制定整改措施，12 月底前完成。', ctx(lead));
		expect(answered.reply).toBe('已制定整改措施，12 月底前完成。');
		expect(answered.repliedBy).toBe(lead.id);
		expect(refusal(() => answerSlip(t.db, lead, slip.id, answered.version, '再答', ctx(lead))).status).toBe(409);
		expect(refusal(() => voidSlip(t.db, slip.id, answered.version, '作废', ctx(office()))).status).toBe(409);
	});

	it('is read by the office, leaders and the unit addressed, not by other units: on the item, in its history and by its address', () => {
		const slip = t.db.select().from(supervisionSlip).where(eq(supervisionSlip.colour, 'red')).get()!;
		const item = t.db.select().from(initiative).where(eq(initiative.id, slip.initiativeId)).get()!;
		const lead = staffOf(t.db, slip.unitId)!;
		const other = otherStaff(slip.unitId);
		const detail = getInitiative(t.db, item.code, TODAY)!;
		expect(withholdDrafts(lead, detail).slips.map((s) => s.id)).toContain(slip.id);
		expect(withholdDrafts(office(), detail).slips.map((s) => s.id)).toContain(slip.id);
		expect(withholdDrafts(other, detail).slips).toEqual([]);
		const slipEntries = (unitId: number | null) =>
			itemHistory(t.db, item.id, 300, { readsDrafts: false, readsInstructions: true, readsReviewComments: true, unitId }).filter(
				(c) => c.entity === 'supervision_slip'
			).length;
		expect(slipEntries(null)).toBeGreaterThan(0);
		expect(slipEntries(slip.unitId)).toBeGreaterThan(0);
		expect(slipEntries(other.unitId)).toBe(0);
		// Answered as a slip that does not exist: its number does not tell another unit it is there.
		expect(refusal(() => readableSlip(t.db, String(slip.id), other, TODAY))).toMatchObject({ status: 404, message: '该督办单不存在。' });
		expect(readableSlip(t.db, String(slip.id), lead, TODAY).number).toBe(slip.number);
		expect(refusal(() => readableSlip(t.db, `${slip.id}/../1`, office(), TODAY)).status).toBe(404);
		expect(refusal(() => readableSlip(t.db, '99999', office(), TODAY)).status).toBe(404);
		// The register: staff see their own unit's slips whatever unit they ask for.
		const filter = { year: null, colour: null, state: null, unitId: slip.unitId };
		expect(slipRegister(t.db, filter, other.unitId, TODAY).every((r) => r.unitId === other.unitId)).toBe(true);
		expect(slipRegister(t.db, filter, null, TODAY).map((r) => r.id)).toContain(slip.id);
	});

	it('waits in the to-do of the unit addressed; the office sees the slips past their reply date', () => {
		const open = t.db
			.select()
			.from(supervisionSlip)
			.where(and(eq(supervisionSlip.colour, 'blue')))
			.all()
			.find((s) => !s.voidedAt && s.year === 2026)!;
		const lead = staffOf(t.db, open.unitId)!;
		expect(todoFor(t.db, lead, TODAY).slips.map((s) => s.id)).toContain(open.id);
		expect(todoFor(t.db, office(), TODAY).slips.map((s) => s.id)).not.toContain(open.id);
		const late = todoFor(t.db, office(), '2026-12-20').slips.find((s) => s.id === open.id)!;
		expect(late.overdue).toBe(true);
		const answered = t.db.select().from(supervisionSlip).where(isNotNull(supervisionSlip.reply)).get()!;
		expect(todoFor(t.db, staffOf(t.db, answered.unitId)!, TODAY).slips.map((s) => s.id)).not.toContain(answered.id);
	});
});

describe('the bulk run for red items', () => {
	it('issues one red slip to each red item without an open one, and nothing twice', () => {
		const red = listInitiatives(t.db, TODAY).filter((i) => i.light === 'red' && i.status === 'active' && i.leadUnitId !== null);
		const withOpen = new Set(
			t.db
				.select()
				.from(supervisionSlip)
				.all()
				// Open to the item's lead unit now: one to a former lead does not spare the item.
				.filter((s) => s.colour === 'red' && s.reply === null && s.voidedAt === null)
				.filter((s) => red.some((i) => i.id === s.initiativeId && i.leadUnitId === s.unitId))
				.map((s) => s.initiativeId)
		);
		const first = issueSlipsForRedItems(t.db, ctx(office()), TODAY);
		expect(first.issued.map((s) => s.initiativeId).sort()).toEqual(
			red
				.filter((i) => !withOpen.has(i.id))
				.map((i) => i.id)
				.sort()
		);
		expect(first.alreadyOpen).toBe(withOpen.size);
		const second = issueSlipsForRedItems(t.db, ctx(office()), TODAY);
		expect(second.issued).toEqual([]);
		expect(second.alreadyOpen).toBe(red.length);
	});
});

describe('what the office was shown is what is issued', () => {
	const slipCount = () => t.db.select().from(supervisionSlip).all().length;
	/** Turns an item red: its own deadline passed a month ago. */
	const turnRed = (id: number) => updateTracked(t.db, initiative, id, { dueOn: '2026-10-27' }, ctx(office()));

	it('refuses a slip whose colour or facts changed since the page showed them, issuing nothing, and issues the new draft once read', () => {
		const item = listInitiatives(t.db, TODAY).find(
			(i) => i.light === 'green' && i.status === 'active' && i.leadUnitId !== null && unslipped(i)
		)!;
		const shown = slipDraft(t.db, itemState(t.db, item.id, null)!, TODAY);
		expect(shown.colour).not.toBe('red');
		turnRed(item.id);
		const before = slipCount();
		const refused = refusal(() =>
			issueSlip(t.db, { initiativeId: item.id, demand: '请按期推进（提示）', shown: shown.mark }, ctx(office()), TODAY)
		);
		expect(refused.status).toBe(409);
		expect(refused.message).toContain('督办单');
		expect(slipCount()).toBe(before);
		// A form without the mark of today's draft is refused the same way.
		expect(refusal(() => issueSlip(t.db, { initiativeId: item.id, shown: '' }, ctx(office()), TODAY)).status).toBe(409);
		const now = slipDraft(t.db, itemState(t.db, item.id, null)!, TODAY);
		expect(now.colour).toBe('red');
		const slip = issueSlip(t.db, { initiativeId: item.id, shown: now.mark }, ctx(office()), TODAY);
		expect([slip.colour, slip.facts]).toEqual(['red', now.facts]);
	});

	it('refuses a bulk run whose red items are not those the page listed, issuing none of them', () => {
		issueSlipsForRedItems(t.db, ctx(office()), TODAY);
		const listed = redItemsToPress(t.db, TODAY);
		expect(listed.items).toEqual([]);
		const item = listInitiatives(t.db, TODAY).find(
			(i) => i.light === 'green' && i.status === 'active' && i.leadUnitId !== null && unslipped(i)
		)!;
		turnRed(item.id);
		const before = slipCount();
		const refused = refusal(() => issueSlipsForRedItems(t.db, ctx(office()), TODAY, listed.mark));
		expect(refused.status).toBe(409);
		expect(refused.message).toContain('1');
		expect(slipCount()).toBe(before);
		const now = redItemsToPress(t.db, TODAY);
		expect(now.items.map((i) => i.id)).toEqual([item.id]);
		expect(issueSlipsForRedItems(t.db, ctx(office()), TODAY, now.mark).issued.map((s) => s.initiativeId)).toEqual([item.id]);
	});
});

describe('the documents', () => {
	const xmlOf = async (docx: Buffer) => (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');

	it('a slip as a 公文: banner, kind and colour, number, facts, demand, reply date, signature and page numbers', async () => {
		const row = t.db.select().from(supervisionSlip).where(isNull(supervisionSlip.reply)).get()!;
		const slip = readableSlip(t.db, String(row.id), office(), TODAY);
		const zip = await JSZip.loadAsync(await slipDocx(slip, '测试督查室'));
		const xml = await zip.file('word/document.xml')!.async('string');
		for (const text of ['测试督查室', slip.number, slipTitle(slip.colour), slip.facts, slip.demand, '反馈时限', '2026年11月27日'])
			expect(xml).toContain(text);
		expect(xml).toMatch(/w:eastAsia="FangSong"/);
		expect(xml).not.toMatch(/w:orient="landscape"/);
		const footer = Object.keys(zip.files).find((f) => /^word\/footer\d*\.xml$/.test(f))!;
		expect(await zip.file(footer)!.async('string')).toMatch(/PAGE/);
		// Dated by its issue, by the office: not by the download, not by "Un-named".
		const core = await zip.file('docProps/core.xml')!.async('string');
		expect(core).toContain(`<dcterms:created xsi:type="dcterms:W3CDTF">${row.issuedAt.replace(/\.\d{3}Z$/, 'Z')}</dcterms:created>`);
		expect(core).toContain('<cp:lastModifiedBy>测试督查室</cp:lastModifiedBy>');
	});

	it('a slip reads as it was issued: renaming its item, its unit or its signer later changes none of it', async () => {
		const row = t.db.select().from(supervisionSlip).where(isNotNull(supervisionSlip.issuedBy)).get()!;
		const named = (slip: RegisterRow) => ({ code: slip.code, title: slip.title, unitName: slip.unitName, issuedByName: slip.issuedByName });
		const before = readableSlip(t.db, String(row.id), office(), TODAY);
		const beforeFile = await slipDocx(before, '测试督查室');
		const item = t.db.select().from(initiative).where(eq(initiative.id, row.initiativeId)).get()!;
		const addressed = t.db.select().from(unit).where(eq(unit.id, row.unitId)).get()!;
		const signer = t.db.select().from(user).where(eq(user.id, row.issuedBy!)).get()!;
		const rename = (title: string, name: string, displayName: string) => {
			updateTracked(t.db, initiative, item.id, { title }, ctx(office()));
			updateTracked(t.db, unit, addressed.id, { name }, ctx(office()));
			updateTracked(t.db, user, signer.id, { displayName }, ctx(office()));
		};
		rename(`${item.title}（任务名称已调整）`, '改名后的单位', '改名后的签发人');
		const after = readableSlip(t.db, String(row.id), office(), TODAY);
		expect(named(after)).toEqual(named(before));
		// The same file, byte for byte (its times are the slip's, not the clock's).
		expect(Buffer.compare(await slipDocx(after, '测试督查室'), beforeFile)).toBe(0);
		expect(
			slipRegister(t.db, { year: null, colour: null, state: null, unitId: null }, null, TODAY).find((r) => r.id === row.id)!.title
		).toBe(item.title);
		rename(item.title, addressed.name, signer.displayName);
	});

	it('the circular ranks the units, names the red items and counts the month’s slips as they stood at its end', async () => {
		const s = monthlySummary(t.db, '2026-11', TODAY, 'theme');
		const slips = slipsIssuedIn(t.db, '2026-11', s.asOf);
		expect(slips.length).toBeGreaterThan(0);
		const xml = await xmlOf(await circularDocx(s, slips, null, '测试督查室'));
		expect(xml).toMatch(/关于2026年11月全市重点任务<\/w:t><\/w:r><w:r>(?:(?!<\/w:r>).)*<w:br\/>(?:(?!<\/w:r>).)*<w:t[^>]*>推进情况的通报</);
		for (const h of ['排名', '牵头单位', '按时报送', '销号率', '有逾期', '三、红灯事项', '四、督办情况']) expect(xml).toContain(h);
		for (const r of s.rows.filter((r) => r.light === 'red')) expect(xml).toContain(r.code);
		expect(xml).toContain(`已反馈 ${slips.filter((x) => x.state === 'answered').length} 份`);
		// A unit with nothing to report this month ranks as one that missed none, and the table says so.
		expect(s.units.some((u) => u.onTimeRate === null)).toBe(true);
		expect(xml).toContain('本月无应报送进展的单位，按时报送栏记“—”，视同全部按时报送');
		const ranked = rankUnits(s.units);
		for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1].onTimeRate ?? 1).toBeGreaterThanOrEqual(ranked[i].onTimeRate ?? 1);
		// A reply written after the month's last day is not counted in that month's circular.
		expect(slipsIssuedIn(t.db, '2026-11', '2026-11-26')).toEqual([]);
	});

	it('ranks a unit with no report due (its items all closed) with the units that missed none, not after the late ones', () => {
		const unit = (name: string, onTime: number, due: number, closureRate: number, overdue: number) =>
			({ unit: name, items: 4, onTime, due, onTimeRate: due ? onTime / due : null, closureRate, overdue }) as never;
		const ranked = rankUnits([unit('乙', 1, 2, 0.5, 1), unit('甲', 0, 0, 1, 0), unit('丙', 3, 3, 0.25, 0), unit('丁', 0, 0, 0, 0)]);
		expect(ranked.map((u) => u.unit)).toEqual(['甲', '丙', '丁', '乙']);
	});

	it('the register as a spreadsheet: a titled sheet with every slip', async () => {
		const rows = slipRegister(t.db, { year: 2026, colour: null, state: null, unitId: null }, null, TODAY);
		const book = new ExcelJS.Workbook();
		await book.xlsx.load((await slipRegisterXlsx(rows, '2026年', TODAY)) as never);
		const sheet = book.getWorksheet('督办单登记簿')!;
		expect(String(sheet.getCell(1, 1).value)).toBe('督办单登记簿');
		expect(sheet.getRow(3).values).toContain('文号');
		const numbers = rows.map((r) => r.number);
		for (let r = 4; r < 4 + rows.length; r++) expect(numbers).toContain(String(sheet.getCell(r, 2).value));
	});
});

describe('a slip of an item closed since', () => {
	it('leaves the to-do and the calendar of the unit and the office, and stays in the register, unanswered and settled with its item', () => {
		const open = t.db
			.select()
			.from(supervisionSlip)
			.where(and(isNull(supervisionSlip.reply), isNull(supervisionSlip.voidedAt)))
			.all()
			.find((s) => s.year === 2026)!;
		const lead = staffOf(t.db, open.unitId)!;
		const late = '2026-12-20';
		expect(todoFor(t.db, lead, TODAY).slips.map((s) => s.id)).toContain(open.id);
		expect(todoFor(t.db, office(), late).slips.map((s) => s.id)).toContain(open.id);
		updateTracked(t.db, initiative, open.initiativeId, { status: 'completed', completedOn: TODAY }, ctx(office()));
		expect(todoFor(t.db, lead, TODAY).slips.map((s) => s.id)).not.toContain(open.id);
		expect(todoFor(t.db, office(), late).slips.map((s) => s.id)).not.toContain(open.id);
		const register = (state: SlipState | null) => slipRegister(t.db, { year: null, colour: null, state, unitId: null }, null, late);
		expect(register(null).find((r) => r.id === open.id)).toMatchObject({ reply: null, voidedAt: null, state: 'settled' });
		expect(register('settled').map((r) => r.id)).toContain(open.id);
		expect(register('overdue').map((r) => r.id)).not.toContain(open.id);
		// A month's circular reads the slips as they stood at its end, not as the item is now.
		const issuedIn = slipsIssuedIn(t.db, open.issuedOn.slice(0, 7), late).find((r) => r.id === open.id)!;
		expect(issuedIn.state).toBe(late > open.replyBy ? 'overdue' : 'open');
	});
});

describe('the register under concurrent issuing', () => {
	it('gives every slip its own number, with none skipped, when several processes issue at once', async () => {
		const run = promisify(execFile);
		const fresh = tempDatabase();
		try {
			seedIfEmpty(fresh.db, { dataset: 'demo', now: FIXED_NOW });
			// Items the demo issued no slip to: each process issues one slip per item.
			const demoSlips = fresh.db.select().from(supervisionSlip).all();
			const codes = fresh.db
				.select({ id: initiative.id, code: initiative.code })
				.from(initiative)
				.where(and(eq(initiative.status, 'active'), isNotNull(initiative.leadUnitId)))
				.all()
				.filter((r) => !demoSlips.some((s) => s.initiativeId === r.id))
				.map((r) => r.code)
				.slice(0, 24);
			const processes = 6;
			const batches = Array.from({ length: processes }, (_, p) => codes.filter((_, i) => i % processes === p));
			const env = { ...process.env, DATABASE_URL: fresh.path };
			// Once first, alone: tsx then serves the six from its cache of the compiled code instead of each
			// compiling it (on a busy 2-core machine six compiling at once took past a minute).
			await run('npx', ['tsx', 'src/cli/main.ts', 'help'], { env });
			await Promise.all(
				batches.map((batch) => run('npx', ['tsx', 'src/cli/main.ts', 'slips', 'issue', ...batch.flatMap((c) => ['--item', c])], { env }))
			);
			const slips = fresh.db.select().from(supervisionSlip).all();
			expect(slips).toHaveLength(demoSlips.length + codes.length);
			for (const colour of ['blue', 'yellow', 'red'] as const) {
				const serials = slips
					.filter((s) => s.colour === colour)
					.map((s) => s.serial)
					.sort((a, b) => a - b);
				expect(serials).toEqual(serials.map((_, i) => i + 1));
			}
			expect(new Set(slips.map((s) => s.number)).size).toBe(slips.length);
		} finally {
			fresh.close();
		}
		// Seven processes of the command line, each starting in seconds: beside the other test files
		// on a 2-core machine (CI), more than the minute a test is given elsewhere.
	}, 240_000);
});
