/**
 * 通报的文号: the office enters the number its register of documents gave a month's circular, and the
 * day it signed it; the Word circular prints both where GB/T 9704 puts them, and every later
 * download carries them.
 */
import JSZip from 'jszip';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listChanges, noChangeFilters } from '$lib/server/audit';
import { m } from '$lib/i18n';
import { circularNumberOf, readDocNumber, registerCircular, suggestedDocNumber } from '$lib/server/circulars';
import { changeLog } from '$lib/server/db/schema';
import { circularDocx } from '$lib/server/documents/circular-docx';
import { monthlySummary } from '$lib/server/monthly/summary';
import { loadPortfolio } from '$lib/server/portfolio';
import { endOfSuzhouDay } from '$lib/dates';
import { seedIfEmpty } from '$lib/server/seed';
import { slipsIssuedIn } from '$lib/server/slip-register';
import { StaleVersionError } from '$lib/server/workflow/errors';
import { sessionUser } from '../helpers/people';
import { FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';
import { refusal } from '../helpers/refusal';

const TODAY = '2026-11-27';
let t: TempDb;
let tick = 0;
const office = () => sessionUser(t.db, 'supervisor');
const ctx = (actor = office()) => ({ at: new Date(FIXED_NOW.getTime() + ++tick * 60_000).toISOString(), actorId: actor.id, actor });

const documentXml = async (month: string) => {
	const s = monthlySummary(t.db, month, TODAY, 'theme');
	const docx = await circularDocx(s, slipsIssuedIn(t.db, month, s.asOf), circularNumberOf(t.db, month), '测试督查室');
	return (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
};

beforeAll(() => {
	t = tempDatabase();
	seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW });
});
afterAll(() => t.close());

describe('the number of a month’s circular (通报文号)', () => {
	it('reads the brackets and digits people type as the number prints (〔〕, digits)', () => {
		for (const typed of [
			'苏督通〔2026〕11号',
			'苏督通[2026]11号',
			'苏督通（2026）11号',
			'苏督通【２０２６】１１号',
			' 苏督通(2026) 011号 '
		])
			expect(readDocNumber(typed), typed).toEqual({ text: '苏督通〔2026〕11号', prefix: '苏督通', year: 2026, serial: 11 });
		// An invisible character in the 代字 would print as 苏督通〔2026〕11号 and pass as another number.
		for (const wrong of [
			'',
			'11号',
			'苏督通2026年11号',
			'苏督通〔26〕11号',
			'苏督通〔2026〕号',
			'苏督通〔2026〕11',
			'苏督\u200b通〔2026〕11号',
			'\u202e苏督通〔2026〕11号',
			// Serials count from 1; the 代字 is letters and digits, not markup.
			'苏督通〔2026〕0号',
			'<b>x&y</b>〔2026〕8号'
		])
			expect(readDocNumber(wrong), wrong).toBeNull();
	});

	it('prints no number and the month’s last day until the office enters them; then the number under the office and its signing date', async () => {
		const before = await documentXml('2026-10');
		// The date it is signed with is the document's last.
		const signed = (xml: string) => [...xml.matchAll(/\d{4}年\d{1,2}月\d{1,2}日/g)].at(-1)?.[0];
		expect(before).not.toContain('〔2026〕');
		expect(signed(before)).toBe('2026年10月31日');

		expect(suggestedDocNumber(t.db, TODAY)).toBe('苏督通〔2026〕1号');
		registerCircular(t.db, '2026-10', { docNumber: '苏督通[2026]11号', signedOn: '2026-11-03', version: null }, ctx(), TODAY);
		const after = await documentXml('2026-10');
		expect(after).toContain('苏督通〔2026〕11号');
		expect(signed(after)).toBe('2026年11月3日');
		// The number sits between the office's name and the title, the red line under it.
		const [office, number, title] = ['测试督查室', '苏督通〔2026〕11号', '关于2026年10月'].map((text) => after.indexOf(text));
		expect(office).toBeLessThan(number);
		expect(number).toBeLessThan(title);
		const numberParagraph = after.slice(after.lastIndexOf('<w:p>', number), number);
		expect(numberParagraph).toMatch(/<w:bottom [^>]*w:color="C00000"/);
		// The next number offered follows the office's own sequence.
		expect(suggestedDocNumber(t.db, TODAY)).toBe('苏督通〔2026〕12号');
	});

	it('of a month not over says so, and calls no report late before the due day, no milestone missed before its day', async () => {
		// The 20th, before the 25th: nothing is late yet.
		const s = monthlySummary(t.db, '2026-11', '2026-11-20', 'theme');
		expect(s.closed).toBe(false);
		expect(s.dueOn).toBe('2026-11-25');
		expect(s.units.length).toBeGreaterThan(0);
		expect(s.units.every((u) => u.due === 0 && u.onTimeRate === null)).toBe(true);
		const milestones = loadPortfolio(t.db, endOfSuzhouDay('2026-11-20'), '2026-11-20').milestones;
		const dueBefore = milestones.filter((m) => m.dueOn >= '2026-11-01' && m.dueOn < '2026-11-20');
		expect(s.summary.milestonesMissed).toBe(dueBefore.filter((m) => m.completedOn === null || m.completedOn > '2026-11-20').length);
		const docx = await circularDocx(s, slipsIssuedIn(t.db, '2026-11', s.asOf), null, '测试督查室');
		const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
		expect(xml).toContain('统计截至2026年11月20日，本月尚未结束');
		expect(xml).toContain('本月进展报送截止日为2026年11月25日，尚未到期');
		expect(xml).not.toContain('未按时报送全部进展的单位有');
		// Once the due day is over, the month's reports are owed and counted.
		expect(monthlySummary(t.db, '2026-11', TODAY, 'theme').units.some((u) => u.due > 0)).toBe(true);
	});

	it('refuses a month not over, a number not in the shape, a signing date outside the month after, a year unlike the date’s, a number another month has', () => {
		const register = (month: string, docNumber: string, signedOn: string) =>
			refusal(() => registerCircular(t.db, month, { docNumber, signedOn, version: null }, ctx(), TODAY));
		expect(register('2026-11', '苏督通〔2026〕13号', '2026-11-27')).toMatchObject({ field: 'docNumber', status: 409 });
		for (const month of ['0000-01', '2020-12', '2026-13', 'abc'])
			expect(register(month, '苏督通〔2026〕13号', '2026-11-20').status, month).toBe(404);
		expect(register('2026-09', '第十三号', '2026-10-08')).toMatchObject({ field: 'docNumber', status: 400 });
		expect(register('2026-09', '苏督通〔2026〕13号', '2026-09-30')).toMatchObject({ field: 'signedOn' });
		expect(register('2026-09', '苏督通〔2026〕13号', '2026-11-28')).toMatchObject({ field: 'signedOn' });
		expect(register('2026-09', '苏督通〔2025〕13号', '2026-10-08')).toMatchObject({ field: 'docNumber' });
		const taken = register('2026-09', '苏督通〔2026〕11号', '2026-10-08');
		expect(taken).toMatchObject({ field: 'docNumber', status: 409 });
		expect(taken.message).toContain('2026年10月');
		expect(circularNumberOf(t.db, '2026-09')).toBeNull();
	});

	it('is corrected over the version the form showed, refused over a newer one, and the history names who did what', () => {
		const first = registerCircular(
			t.db,
			'2026-08',
			{ docNumber: '苏督通〔2026〕9号', signedOn: '2026-09-04', version: null },
			ctx(),
			TODAY
		);
		// The same form sent twice (a double click) is the entry already made, not a conflict nor a second change.
		expect(
			registerCircular(t.db, '2026-08', { docNumber: '苏督通[2026]9号', signedOn: '2026-09-04', version: null }, ctx(), TODAY)
		).toEqual(first);
		// Someone else entered it meanwhile: a form opened before sees it refused, not overwritten.
		expect(
			refusal(() =>
				registerCircular(t.db, '2026-08', { docNumber: '苏督通〔2026〕10号', signedOn: '2026-09-04', version: null }, ctx(), TODAY)
			).status
		).toBe(409);
		const corrected = registerCircular(
			t.db,
			'2026-08',
			{ docNumber: '苏督通〔2026〕8号', signedOn: '2026-09-03', version: first.version },
			ctx(),
			TODAY
		);
		expect(corrected).toMatchObject({ docNumber: '苏督通〔2026〕8号', signedOn: '2026-09-03', version: first.version + 1 });
		expect(() =>
			registerCircular(t.db, '2026-08', { docNumber: '苏督通〔2026〕7号', signedOn: '2026-09-03', version: first.version }, ctx(), TODAY)
		).toThrow(StaleVersionError);
		const logged = t.db.select().from(changeLog).where(eq(changeLog.entity, 'circular')).all();
		expect(logged.filter((l) => l.entityId === String(first.id)).map((l) => l.action)).toEqual(['insert', 'update']);
		const listed = listChanges(t.db, { ...noChangeFilters, entity: 'circular' }, 10, 0);
		expect(listed[0].fields).toEqual(expect.arrayContaining(['docNumber', 'signedOn']));
		// 9号 went out as August's before the correction: it is never another month's, nor offered again.
		const reused = refusal(() =>
			registerCircular(t.db, '2026-07', { docNumber: '苏督通〔2026〕9号', signedOn: '2026-08-05', version: null }, ctx(), TODAY)
		);
		expect(reused).toMatchObject({ field: 'docNumber', status: 409 });
		expect(reused.message).toBe(m.circular_number_once_taken({ number: '苏督通〔2026〕9号', month: '2026年8月' }));
		expect(circularNumberOf(t.db, '2026-07')).toBeNull();
		expect(Number(/〔2026〕(\d+)号/.exec(suggestedDocNumber(t.db, TODAY))![1])).toBeGreaterThan(11);
		// The month that carried it may take it back.
		const back = circularNumberOf(t.db, '2026-08')!;
		expect(
			registerCircular(t.db, '2026-08', { docNumber: '苏督通〔2026〕9号', signedOn: '2026-09-03', version: back.version }, ctx(), TODAY)
		).toMatchObject({ docNumber: '苏督通〔2026〕9号' });
	});

	it('is the office’s: a unit’s staff or a leader may not enter it', () => {
		for (const who of ['staff', 'leader'])
			expect(
				refusal(() =>
					registerCircular(
						t.db,
						'2026-07',
						{ docNumber: '苏督通〔2026〕5号', signedOn: '2026-08-05', version: null },
						ctx(sessionUser(t.db, who)),
						TODAY
					)
				).status
			).toBe(403);
	});
});
