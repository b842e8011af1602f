/**
 * Source intake (docs/intake.md): deadlines resolved against the source's date, text taken from
 * every kind of file with offsets valid against what is stored, bad files refused with their reason,
 * the proposals' accuracy on the corpus (written with the rules, and held out), and review: accept,
 * reject (not offered again), merge, split, a new unit, all through tracked writes.
 */
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import { eq } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDeadlines, taskDeadline } from '$lib/intake/deadline';
import { openedSpan } from '$lib/intake/opened-span';
import { sentences } from '$lib/intake/sentences';
import { changeLog, initiative, milestone, proposal, source, unit, theme as themeTable } from '$lib/server/db/schema';
import { extractText, ExtractError, normaliseText, unwrapLines } from '$lib/server/intake/extract';
import {
	acceptProposal,
	acceptSchema,
	addSource,
	getProposal,
	mergeWithNext,
	proposalsOf,
	proposeAgain,
	rejectProposal,
	sourcesOfSameText,
	splitProposal
} from '$lib/server/intake/intake';
import { propose, PROPOSALS_MAX, SPLIT_MAX, STEPS_MAX } from '$lib/server/intake/propose';
import { seedIfEmpty } from '$lib/server/seed';
import { shippedCalendar } from '$lib/server/working-calendar';
import { WorkflowError } from '$lib/server/workflow/errors';
import { createItem } from '$lib/server/workflow/items';
import { m } from '$lib/i18n';
import { corpusDirs, corpusDocuments, demoUnits, minutesStyleTotals, scoreDocument, scoreLecture } from '../intake/corpus';
import { scannedPdf } from '../intake/scanned-pdf';
import { sessionUser } from '../helpers/people';
import { FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';

describe('deadlines', () => {
	const calendar = shippedCalendar();
	const cases: [string, string, string | null][] = [
		['于2026年12月31日前完成', '2026-11-20', '2026-12-31'],
		['于 2026 年 12 月 31 日前完成', '2026-11-20', '2026-12-31'],
		['年底前完成', '2026-11-20', '2026-12-31'],
		['明年底前建成', '2026-11-20', '2027-12-31'],
		['2027年3月底前出台', '2026-11-20', '2027-03-31'],
		['3月底前出台', '2026-11-20', '2027-03-31'],
		['12月15日前报送', '2026-11-20', '2026-12-15'],
		['一季度末前完成', '2026-11-20', '2027-03-31'],
		['三季度末前完成', '2026-08-12', '2026-09-30'],
		['上半年完成', '2026-11-20', '2027-06-30'],
		['下月底前完成', '2026-11-20', '2026-12-31'],
		['月底前完成专项检查', '2026-11-20', '2026-11-30'],
		['半个月内报送', '2026-11-20', '2026-12-05'],
		['半年内完成', '2026-11-20', '2027-05-20'],
		['下月中旬前完成', '2026-08-12', '2026-09-20'],
		['两周内报市政府', '2026-11-20', '2026-12-04'],
		['30日内办结', '2026-08-12', '2026-09-11'],
		['一个月内形成专题报告', '2026-10-08', '2026-11-08'],
		// 2026-10-10 (a Saturday) is a make-up working day after National Day.
		['10个工作日内报送处理意见', '2026-10-08', '2026-10-21'],
		['国庆节前完成', '2026-08-12', '2026-09-30'],
		// The lunar festivals: the next one after the source (春节 2027 is 6 February, 2026's was 17 February).
		['春节前完成欠薪清零', '2026-11-20', '2027-02-05'],
		['春节前完成欠薪清零', '2026-01-10', '2026-02-16'],
		['中秋节前开放', '2026-08-12', '2026-09-24'],
		['端午前完成河道清淤', '2026-03-01', '2026-06-18'],
		['力争明年新增智能工厂50家', '2026-09-15', '2027-12-31'],
		['一年内建成', '2026-05-15', '2027-05-15'],
		['半年内建成', '2026-05-15', '2026-11-15'],
		['二〇二七年六月底前', '2026-05-15', '2027-06-30'],
		['２０２７年６月底前', '2026-05-15', '2027-06-30'],
		// Not deadlines: recurring, a status, a start, a past year, a year named as a time span.
		['每月10日内报送', '2026-05-15', null],
		['每年年底前报送', '2026-05-15', null],
		['截至4月底，已完成投资60%', '2026-05-15', null],
		['已于3月底前完成立项', '2026-05-15', null],
		['自2026年7月1日起施行', '2026-05-15', null],
		['去年底已完成', '2026-05-15', null],
		['今年以来全市', '2026-05-15', null],
		['持续推进', '2026-11-20', null],
		['2026年以来全市安全生产形势总体平稳', '2026-11-20', null]
	];
	for (const [text, base, expected] of cases) {
		it(`${text} (${base}) → ${expected ?? 'none'}`, () => {
			expect(taskDeadline(text, base, calendar)?.date ?? null).toBe(expected);
		});
	}

	it('names the words that set it, at their place', () => {
		const text = '市数据局牵头，2027年6月底前建成专区，2027年3月底前完成联调测试。';
		const found = findDeadlines(text, '2026-11-20');
		expect(found.map((d) => [d.date, text.slice(d.start, d.end)])).toEqual([
			['2027-06-30', '2027年6月底前'],
			['2027-03-31', '2027年3月底前']
		]);
		expect(taskDeadline(text, '2026-11-20')?.date).toBe('2027-06-30');
	});
});

describe('sentences', () => {
	it('are spans of the text as stored, without their enumeration mark', () => {
		const body = '二、关于营商环境\n（一）市发改委牵头，于年底前完成。（二）市商务局负责。\n1\t任务\t单位';
		const all = sentences(body);
		expect(all.map((s) => body.slice(s.start, s.end))).toEqual([
			'关于营商环境',
			'市发改委牵头，于年底前完成',
			'市商务局负责',
			'1\t任务\t单位'
		]);
		expect(all.map((s) => s.marker)).toEqual(['二、', '（一）', '（二）', null]);
		expect(all[3].row).toBe(true);
	});
});

describe('reading the text as offices write it', () => {
	const units = demoUnits();
	const ctx = { units, calendar: shippedCalendar() };
	it('takes a tab for indentation, and only a line of three cells or more for a table row', () => {
		const body = '一、\t市发改委牵头，年底前完成项目建设。市住建局负责，6月底前完成老旧小区改造。\n\t市交通局负责，9月底前建成通车。';
		const found = propose({ body, kind: 'minutes', date: '2026-05-15' }, ctx);
		expect(found.map((p) => p.lead?.name)).toEqual(['市发展改革委', '市住房城乡建设局', '市交通运输局']);
	});
	it('reads a table by its first header only', () => {
		const body = '序号\t工作任务\t牵头单位\t完成时限\n1\t安全生产工作\t市应急局\t2026年6月\n2\t建成企业服务专区\t市数据局\t2026年9月';
		const found = propose({ body, kind: 'work_report', date: '2026-01-10' }, ctx);
		expect(found.map((p) => [p.quote, p.lead?.name, p.deadline])).toEqual([
			['安全生产工作', '市应急管理局', '2026-06-30'],
			['建成企业服务专区', '市数据局', '2026-09-30']
		]);
	});
	it('gives the lead to the unit before 会同, and no city unit to a district’s or the state’s body', () => {
		const roles = (text: string) => {
			const [p] = propose({ body: text, kind: 'minutes', date: '2026-05-15' }, ctx);
			return [p?.lead?.name ?? null, p?.co.map((u) => u.name) ?? []];
		};
		expect(roles('市住建局会同市资源规划局负责，年底前完成。')).toEqual(['市住房城乡建设局', ['市自然资源和规划局']]);
		expect(roles('市财政局要配合市发改委做好资金保障，年底前完成。')).toEqual(['市发展改革委', ['市财政局']]);
		expect(roles('市发改委牵头，市财政局负责资金保障，年底前完成。')).toEqual(['市发展改革委', ['市财政局']]);
		expect(roles('要求市财政局年底前拨付资金。')).toEqual(['市财政局', []]);
		expect(roles('积极争取国家发展改革委支持，年底前完成申报。')).toEqual([null, []]);
		expect(roles('加快化工园区安全整治，年底前完成。')).toEqual([null, []]);
	});
	it('takes a lead-in ending in a colon before an enumeration (抓好以下几项工作：一是……) for no task, on one line or two', () => {
		for (const body of [
			'会议要求，各地各部门要抓好以下几项工作：一是市发改委要在2026年12月底前完成重大项目储备库建设。二是市商务局要加快推进外贸转型升级，年底前出台实施方案。',
			'会议要求，各地各部门要抓好以下几项工作：\n（一）市发改委要在2026年12月底前完成重大项目储备库建设。\n（二）市商务局要加快推进外贸转型升级，年底前出台实施方案。'
		]) {
			const found = propose({ body, kind: 'minutes', date: '2026-11-20' }, ctx);
			expect(found.map((p) => [p.quote.startsWith('市'), p.lead?.name])).toEqual([
				[true, '市发展改革委'],
				[true, '市商务局']
			]);
		}
		// A colon that opens no enumeration ends no sentence.
		expect(
			propose({ body: '市商务局要加快推进外贸转型升级：年底前出台实施方案。', kind: 'minutes', date: '2026-11-20' }, ctx)
		).toHaveLength(1);
	});
	it('takes every kind of line break as one, and reads a page of 200,000 lines', () => {
		expect(normaliseText('第一行\v第二行\f第三行\u2028第四行')).toBe('第一行\n第二行\n第三行\n第四行');
		expect(unwrapLines('字\n'.repeat(200_000)).length).toBeGreaterThan(0);
	});
});

describe('extracting text', () => {
	const minutes = readFileSync('drizzle/demo/minutes-2026-11-20.txt', 'utf8');
	const refused = async (name: string, bytes: Uint8Array, message: string) => {
		const error = await extractText(name, bytes).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ExtractError);
		expect((error as Error).message).toBe(message);
	};

	it('reads UTF-8 with or without a byte-order mark, UTF-16 and GB18030, and makes line breaks \\n', async () => {
		expect(await extractText('a.txt', Buffer.from('\uFEFF第一行\r\n第二行\r第三行'))).toBe('第一行\n第二行\n第三行');
		expect(await extractText('a.txt', Buffer.from('\uFEFF市应急管理局牵头', 'utf16le'))).toBe('市应急管理局牵头');
		// 市应急管理局牵头，年底前完成。 as Chinese Windows saves it (GBK / GB18030)
		const gbk = Buffer.from('cad0d3a6bcb1b9dcc0edbed6c7a3cdb7a3acc4eab5d7c7b0cdeab3c9a1a3', 'hex');
		expect(await extractText('纪要.txt', gbk)).toBe('市应急管理局牵头，年底前完成。');
	});

	it('refuses an empty file, a binary one, an old .doc, another type and unreadable bytes, saying why', async () => {
		await refused('a.txt', new Uint8Array(), m.intake_file_empty());
		await refused('a.txt', Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]), m.intake_file_binary());
		await refused('a.doc', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), m.intake_file_doc());
		await refused('a.png', Buffer.from('\x89PNG\r\n'), m.intake_file_type());
		await refused('a.txt', Buffer.from([0x81, 0x20, 0xfe, 0x01, 0x80, 0xff, 0x81, 0x30]), m.intake_file_encoding());
		await refused('a.txt', Buffer.from('   \n\n  '), m.intake_file_no_text());
	});

	it('says that a scanned PDF has no text, and that a damaged one cannot be read', async () => {
		await refused('扫描件.pdf', scannedPdf(), m.intake_pdf_scanned());
		await refused('坏.pdf', Buffer.from('%PDF-1.4\n1 0 obj\n<<'), m.intake_file_damaged());
	});

	it('reads a text PDF with its wrapped lines joined: the same proposals as the text it was printed from', async () => {
		const text = await extractText('纪要.pdf', readFileSync('tests/fixtures/intake/minutes-2026-11-20.pdf'));
		expect(text).toContain(
			'（一）市应急管理局牵头，会同市住房城乡建设局、市消防救援支队，于 2026 年 12 月 31 日前完成全市高层建筑消防安全隐患排查整治，形成问题清单和整改台账。'
		);
		const ctx = { units: demoUnits(), calendar: shippedCalendar() };
		const fromPdf = propose({ body: text, kind: 'minutes', date: '2026-11-20' }, ctx);
		const fromText = propose({ body: minutes, kind: 'minutes', date: '2026-11-20' }, ctx);
		expect(fromPdf.map((p) => [p.lead?.name, p.deadline])).toEqual(fromText.map((p) => [p.lead?.name, p.deadline]));
		for (const p of fromPdf) expect(text.slice(p.start, p.end)).toBe(p.quote);
	});

	it('reads a Word file: paragraphs as lines, a table as tab-separated rows', async () => {
		const cell = (t: string) => new TableCell({ children: [new Paragraph(t)] });
		const doc = new Document({
			sections: [
				{
					children: [
						new Paragraph('2027年重点工作任务分解表'),
						new Table({
							rows: [
								new TableRow({ children: ['序号', '工作任务', '牵头单位', '完成时限'].map(cell) }),
								new TableRow({ children: ['1', '新建改造城市燃气管网200公里', '市住建局', '2027年12月'].map(cell) })
							]
						})
					]
				}
			]
		});
		const text = await extractText('分解表.docx', await Packer.toBuffer(doc));
		expect(text).toContain('2027年重点工作任务分解表\n');
		expect(text).toContain('1\t新建改造城市燃气管网200公里\t市住建局\t2027年12月');
		const [row] = propose({ body: text, kind: 'work_report', date: '2027-01-20' }, { units: demoUnits(), calendar: shippedCalendar() });
		expect(row).toMatchObject({ quote: '新建改造城市燃气管网200公里', lead: { name: '市住房城乡建设局' }, deadline: '2027-12-31' });
	});

	it('refuses a Word file that unpacks to far more than it weighs', async () => {
		const { default: JSZip } = await import('jszip');
		const zip = new JSZip();
		zip.file('word/document.xml', '<'.repeat(120 * 1024 * 1024));
		const bomb = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
		await refused('炸弹.docx', bomb, m.intake_file_inflates());
	});

	it('joins a PDF line only where it runs to the page’s edge', () => {
		const full = '市应急管理局牵头，会同市住房城乡建设局、市消防救援支队，于年底前完成全市高层';
		expect(unwrapLines(`标题\n${full}\n建筑消防安全隐患排查整治。\n短行`)).toBe(`标题\n${full}建筑消防安全隐患排查整治。\n短行`);
	});
});

describe('proposals on the corpus', () => {
	for (const [set, dir] of Object.entries(corpusDirs)) {
		const scores = corpusDocuments(dir).map((d) => scoreDocument(d.name, d.text, d.key));
		it(`every quote is the text between its offsets (${set})`, () => {
			for (const d of corpusDocuments(dir)) {
				for (const p of propose({ body: d.text, kind: d.key.kind, date: d.key.date }, { units: demoUnits(), calendar: shippedCalendar() }))
					expect(d.text.slice(p.start, p.end)).toBe(p.quote);
			}
		});
		it(`minutes-style documents meet the targets (${set}): ≥ 90% of tasks, ≤ 1 in 5 not a task, deadlines ≥ 90%, leads ≥ 85%`, () => {
			const t = minutesStyleTotals(scores);
			expect(t.found / t.tasks).toBeGreaterThanOrEqual(0.9);
			expect(t.notTasks / t.proposals).toBeLessThanOrEqual(0.2);
			expect(t.deadlinesRight / t.deadlines).toBeGreaterThanOrEqual(0.9);
			expect(t.leadsRight / t.leads).toBeGreaterThanOrEqual(0.85);
		});
	}

	it('finds at least 90% of the catalogue’s items in the lecture', () => {
		const lecture = scoreLecture();
		expect(lecture.found / lecture.items).toBeGreaterThanOrEqual(0.9);
	});
});

describe('reviewing proposals', () => {
	let t: TempDb;
	const office = () => sessionUser(t.db, 'supervisor');
	let tick = 0;
	const ctx = () => {
		const actor = office();
		return { at: new Date(FIXED_NOW.getTime() + ++tick * 60_000).toISOString(), actorId: actor.id, actor };
	};
	const text = readFileSync('drizzle/demo/minutes-2026-11-20.txt', 'utf8');
	let sourceId: number;

	beforeAll(() => {
		t = tempDatabase();
		seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW });
		const saved = addSource(
			t.db,
			{ kind: 'minutes', title: '常务会议纪要', speaker: '市政府办公室', deliveredOn: '2026-11-20', body: text },
			ctx()
		);
		sourceId = saved.source.id;
	});
	afterAll(() => t.close());

	const open = () => proposalsOf(t.db, sourceId).filter((p) => p.status === 'open');
	// 善治之城, whose items' codes are GOV-nn.
	const theme = () => t.db.select().from(themeTable).where(eq(themeTable.code, 'GOV')).get()!.id;
	const fields = (over: Record<string, unknown> = {}) => ({
		code: 'GOV-11',
		title: '高层建筑消防安全隐患排查整治',
		themeId: theme(),
		leadUnitId: null,
		coUnitIds: [],
		leader: null,
		startOn: null,
		dueOn: '2026-12-31',
		steps: [],
		newLeadUnit: null,
		newLeadKind: undefined,
		quoteStart: undefined,
		...over
	});

	it('keeps the text as received and the lecture as it was', () => {
		const doc = t.db.select().from(source).where(eq(source.id, sourceId)).get()!;
		expect(doc.body).toBe(text);
		expect(doc.kind).toBe('minutes');
		expect(t.db.select().from(source).where(eq(source.id, 1)).get()!.kind).toBe('speech');
		expect(open().length).toBeGreaterThanOrEqual(12);
	});

	it('accepts a proposal as an item quoting its sentence at its offsets, with the chosen steps, tracked', () => {
		const p = open().find((x) => x.milestones.length === 2)!;
		const lead = t.db.select().from(unit).where(eq(unit.name, '市数据局')).get()!;
		const item = acceptProposal(
			t.db,
			sourceId,
			p.id,
			fields({ code: 'GOV-12', leadUnitId: lead.id, dueOn: p.dueOn, steps: [0, 1] }) as never,
			ctx()
		);
		expect(item).toMatchObject({ sourceId, quoteStart: p.quoteStart, quoteEnd: p.quoteEnd, sourceQuote: p.quote, leadUnitId: lead.id });
		expect(text.slice(item.quoteStart, item.quoteEnd)).toBe(item.sourceQuote);
		expect(
			t.db
				.select()
				.from(milestone)
				.where(eq(milestone.initiativeId, item.id))
				.all()
				.map((s) => s.dueOn)
				.sort()
		).toEqual(['2027-03-31', '2027-06-30']);
		expect(
			t.db
				.select()
				.from(changeLog)
				.where(eq(changeLog.entityId, String(item.id)))
				.all()
				.some((c) => c.entity === 'initiative')
		).toBe(true);
		expect(proposalsOf(t.db, sourceId).find((x) => x.id === p.id)).toMatchObject({ status: 'accepted', itemCode: 'GOV-12' });
		// Decided once: a second acceptance is refused.
		expect(() => acceptProposal(t.db, sourceId, p.id, fields({ code: 'GOV-13' }) as never, ctx())).toThrow(WorkflowError);
		// A step the proposal does not have, or one named twice (a forged form), is refused: nothing made.
		const other = open()[0];
		const dueOn = other.dueOn;
		expect(() => acceptProposal(t.db, sourceId, other.id, fields({ code: 'GOV-13', dueOn, steps: [99] }) as never, ctx())).toThrow(/无效/);
		expect(acceptSchema.safeParse({ ...fields({ code: 'GOV-13' }), steps: ['0', '0', '1'] }).success).toBe(false);
		expect(t.db.select().from(initiative).where(eq(initiative.code, 'GOV-13')).get()).toBeUndefined();
		// A code of another theme than the item's is refused, naming the theme's next free code.
		const another = open()[0];
		expect(() => acceptProposal(t.db, sourceId, another.id, fields({ code: 'LIV-05' }) as never, ctx())).toThrow(
			/任务编号须以所属类别的代码 GOV 开头，如 GOV-\d{2}/
		);
	});

	it('takes the same form sent twice by the same person (a double click) as one entry, not as a second source', () => {
		const input = {
			kind: 'instruction' as const,
			title: '双击测试',
			speaker: '市委书记',
			deliveredOn: '2026-11-20',
			body: '请市交通运输局牵头，年底前完成公交线网优化。'
		};
		const count = () => t.db.select().from(source).all().length;
		const first = addSource(t.db, input, ctx());
		expect(first.again).toBe(false);
		const before = count();
		const proposals = proposalsOf(t.db, first.source.id).length;
		const resent = addSource(t.db, input, ctx());
		expect(resent).toMatchObject({ again: true, source: { id: first.source.id } });
		expect(count()).toBe(before);
		expect(proposalsOf(t.db, first.source.id)).toHaveLength(proposals);
		// Another text, another person, or the same person much later: a new entry.
		expect(addSource(t.db, { ...input, body: `${input.body}（补充）` }, ctx()).again).toBe(false);
		const colleague = { ...ctx(), actorId: sessionUser(t.db, 'admin').id };
		expect(addSource(t.db, input, colleague).again).toBe(false);
		tick += 20;
		expect(addSource(t.db, input, ctx()).again).toBe(false);
	});

	it('says when a text was entered twice, and marks the twin of a proposal made an item as its repeat', () => {
		const twin = addSource(
			t.db,
			{ kind: 'minutes', title: '常务会议纪要（重复录入）', speaker: '市政府办公室', deliveredOn: '2026-11-20', body: text },
			ctx()
		).source.id;
		expect(sourcesOfSameText(t.db, twin).map((s) => s.id)).toContain(sourceId);
		expect(sourcesOfSameText(t.db, sourceId).map((s) => s.id)).toContain(twin);
		// A sentence open in both, not yet an item of either.
		const mine = open().find((p) => p.duplicateOf === null && p.leadUnitId !== null)!;
		const theirs = proposalsOf(t.db, twin).find((p) => p.quoteStart === mine.quoteStart && p.status === 'open')!;
		expect(theirs.duplicateOf).toBeNull();
		const item = acceptProposal(
			t.db,
			twin,
			theirs.id,
			fields({ code: 'GOV-19', title: theirs.title, leadUnitId: theirs.leadUnitId, dueOn: theirs.dueOn }) as never,
			ctx()
		);
		expect(getProposal(t.db, sourceId, mine.id)!.duplicateOf).toEqual({ code: item.code, title: item.title, same: false });
	});

	it('marks a proposal whose words are made an item by hand, and never makes the same words an item twice', () => {
		const p = open().find((x) => x.duplicateOf === null && x.leadUnitId !== null)!;
		const byHand = {
			...fields({ code: 'GOV-21', leadUnitId: p.leadUnitId, dueOn: p.dueOn }),
			sourceId,
			quote: p.quote,
			quoteStart: p.quoteStart
		};
		const item = createItem(t.db, byHand as never, ctx());
		expect(getProposal(t.db, sourceId, p.id)!.duplicateOf).toMatchObject({ code: 'GOV-21' });
		// The same words again, by hand or by accepting their proposal: refused, naming the item; nothing made.
		expect(() => createItem(t.db, { ...byHand, code: 'GOV-22' } as never, ctx())).toThrow(new RegExp(`已立项为 ${item.code}`));
		expect(() => acceptProposal(t.db, sourceId, p.id, fields({ code: 'GOV-22', dueOn: p.dueOn }) as never, ctx())).toThrow(
			m.proposal_confirm_repeat_needed({ code: 'GOV-21' })
		);
		expect(() =>
			acceptProposal(t.db, sourceId, p.id, fields({ code: 'GOV-22', dueOn: p.dueOn, confirmRepeat: true }) as never, ctx())
		).toThrow(/已立项为 GOV-21/);
		expect(t.db.select().from(initiative).where(eq(initiative.code, 'GOV-22')).get()).toBeUndefined();
		expect(getProposal(t.db, sourceId, p.id)!.status).toBe('open');
	});

	it('registers a task very like an item already made only when the office ticks that it checked', () => {
		// The same words pasted as a second source: its proposal may repeat the item made from the first.
		const body = '市教育局牵头，2027年8月底前建成苏州市智慧教育公共服务平台。';
		const paste = (title: string) =>
			addSource(t.db, { kind: 'minutes', title, speaker: '市政府办公室', deliveredOn: '2026-11-20', body }, ctx()).source.id;
		const first = paste('纪要甲');
		const [p1] = proposalsOf(t.db, first);
		const made = acceptProposal(t.db, first, p1.id, fields({ code: 'GOV-41', dueOn: p1.dueOn }) as never, ctx());
		const second = paste('纪要乙');
		const [p2] = proposalsOf(t.db, second);
		expect(p2.duplicateOf).toMatchObject({ code: made.code, same: false });
		expect(() => acceptProposal(t.db, second, p2.id, fields({ code: 'GOV-42', dueOn: p2.dueOn }) as never, ctx())).toThrow(
			expect.objectContaining({ field: 'confirmRepeat', message: m.proposal_confirm_repeat_needed({ code: made.code }) })
		);
		expect(t.db.select().from(initiative).where(eq(initiative.code, 'GOV-42')).get()).toBeUndefined();
		const again = acceptProposal(t.db, second, p2.id, fields({ code: 'GOV-42', dueOn: p2.dueOn, confirmRepeat: true }) as never, ctx());
		expect(again.code).toBe('GOV-42');
		// The form's tick reads as consent; no tick as none.
		expect(acceptSchema.shape.confirmRepeat.parse('on')).toBe(true);
		expect(acceptSchema.shape.confirmRepeat.parse(undefined)).toBeFalsy();
	});

	it('makes an item by hand of words that repeat an item already made only once the office ticks that it checked', () => {
		// The same words pasted as a second source, chosen in its text by hand (以选中的文字立项).
		const body = '市住房城乡建设局牵头，2027年10月底前完成全市城镇燃气管道老化更新改造。';
		const paste = (title: string) =>
			addSource(t.db, { kind: 'minutes', title, speaker: '市政府办公室', deliveredOn: '2026-11-20', body }, ctx()).source.id;
		const byHand = (sourceId: number, code: string, confirmRepeat?: boolean) =>
			createItem(t.db, { ...fields({ code, dueOn: '2027-10-31' }), sourceId, quote: body.slice(0, 20), confirmRepeat } as never, ctx());
		const first = byHand(paste('纪要丙'), 'GOV-51');
		const second = paste('纪要丁');
		expect(() => byHand(second, 'GOV-52')).toThrow(
			expect.objectContaining({ field: 'confirmRepeat', message: m.proposal_confirm_repeat_needed({ code: first.code }) })
		);
		expect(t.db.select().from(initiative).where(eq(initiative.code, 'GOV-52')).get()).toBeUndefined();
		expect(byHand(second, 'GOV-52', true).code).toBe('GOV-52');
	});

	it('adds a lead unit that is not on the list, when asked', () => {
		const p = open().find((x) => x.leadName === '市政府办公室' && x.leadUnitId === null)!;
		const item = acceptProposal(
			t.db,
			sourceId,
			p.id,
			fields({ code: 'GOV-14', newLeadUnit: '市政府办公室', newLeadKind: 'department', dueOn: null }) as never,
			ctx()
		);
		const added = t.db.select().from(unit).where(eq(unit.name, '市政府办公室')).get()!;
		expect(item.leadUnitId).toBe(added.id);
	});

	it('reads a new lead unit as one line, and a name that differs from a unit’s only by spaces, a line break or invisible characters as that unit', () => {
		expect(acceptSchema.shape.newLeadUnit.parse('市政府\n 研究室 ')).toBe('市政府 研究室');
		const unitsBefore = t.db.select().from(unit).all().length;
		const p = open().find((x) => x.leadUnitId === null && x.leadName !== '市政府办公室') ?? open()[0];
		const item = acceptProposal(
			t.db,
			sourceId,
			p.id,
			fields({ code: 'GOV-88', leadUnitId: null, newLeadUnit: '市政府 办公室', newLeadKind: 'department', dueOn: null }) as never,
			ctx()
		);
		expect(item.leadUnitId).toBe(t.db.select().from(unit).where(eq(unit.name, '市政府办公室')).get()!.id);
		expect(t.db.select().from(unit).all()).toHaveLength(unitsBefore);
		// Nor by characters that take no room (a paste from a web page): 市政府\u200B办公室 is that unit too.
		const q = open().find((x) => x.leadUnitId === null) ?? open()[0];
		const again = acceptProposal(
			t.db,
			sourceId,
			q.id,
			fields({
				code: 'GOV-89',
				leadUnitId: null,
				newLeadUnit: '市政府\u200B办\u00AD公室\u2060',
				newLeadKind: 'department',
				dueOn: null
			}) as never,
			ctx()
		);
		expect(again.leadUnitId).toBe(item.leadUnitId);
		expect(t.db.select().from(unit).all()).toHaveLength(unitsBefore);
	});

	it('keeps a rejection, and proposing again does not offer it, nor an accepted one', () => {
		const p = open()[0];
		rejectProposal(t.db, sourceId, p.id, ctx());
		const decided = proposalsOf(t.db, sourceId)
			.filter((x) => x.status !== 'open')
			.map((x) => x.quote);
		proposeAgain(t.db, sourceId, ctx());
		const again = open().map((x) => x.quote);
		for (const q of decided) expect(again).not.toContain(q);
		expect(proposalsOf(t.db, sourceId).find((x) => x.id === p.id)?.status).toBe('rejected');
	});

	it('takes a long source of thousands of tasks whole, and proposes it again (one statement of them passed SQLite’s limit)', () => {
		const units = ['市发展改革委', '市商务局', '市科技局', '市交通运输局'];
		const tasks = PROPOSALS_MAX;
		// Two tasks more than a source is offered: the last two are left to a source of their own.
		const body = Array.from({ length: tasks + 2 }, (_, i) => `${units[i % 4]}牵头，${(i % 12) + 1}月底前完成第${i + 1}项重点工作。`).join(
			'\n'
		);
		const saved = addSource(t.db, { kind: 'minutes', title: '长纪要', speaker: '市政府办公室', deliveredOn: '2026-11-20', body }, ctx());
		expect(saved.proposals).toBe(tasks);
		expect(proposeAgain(t.db, saved.source.id, ctx())).toBe(tasks);
		expect(proposalsOf(t.db, saved.source.id)).toHaveLength(tasks);
		// A split never takes the source past what proposing offers at most: two tasks merged (three
		// clauses) are not split again into three proposals beside the others.
		const [first] = proposalsOf(t.db, saved.source.id);
		mergeWithNext(t.db, saved.source.id, first.id, ctx());
		expect(() => splitProposal(t.db, saved.source.id, first.id, ctx())).toThrow(
			expect.objectContaining({ message: m.proposal_split_past_max({ max: PROPOSALS_MAX }) })
		);
		expect(proposalsOf(t.db, saved.source.id)).toHaveLength(tasks - 1);
		// Nor does proposing again: the rejected ones count, and what is offered beside them stays within the limit.
		const [, second, third] = proposalsOf(t.db, saved.source.id);
		for (const p of [second, third]) rejectProposal(t.db, saved.source.id, p.id, ctx());
		proposeAgain(t.db, saved.source.id, ctx());
		expect(proposalsOf(t.db, saved.source.id)).toHaveLength(PROPOSALS_MAX);
	});

	it('keeps deciding by place: the same words elsewhere are still offered, a merge never takes in decided words', () => {
		const body =
			'市发改委牵头，年底前完成项目建设。\n市住建局负责，6月底前完成老旧小区改造。\n市交通局负责，9月底前建成通车。\n市住建局负责，6月底前完成老旧小区改造。';
		const saved = addSource(t.db, { kind: 'minutes', title: '纪要', speaker: '市政府办公室', deliveredOn: '2026-05-15', body }, ctx());
		const [first, second] = proposalsOf(t.db, saved.source.id);
		rejectProposal(t.db, saved.source.id, second.id, ctx());
		proposeAgain(t.db, saved.source.id, ctx());
		const offered = proposalsOf(t.db, saved.source.id).filter((p) => p.status === 'open');
		expect(offered.map((p) => p.quoteStart)).toEqual([first.quoteStart, body.indexOf('市交通局'), body.lastIndexOf('市住建局')]);
		expect(() => mergeWithNext(t.db, saved.source.id, offered[0].id, ctx())).toThrow(WorkflowError);
		// Proposed again, an open proposal of the same words and steps keeps its id (a 立项 form opened on
		// it still goes through); one merged meanwhile is gone, its clauses offered again under new ids.
		const before = proposalsOf(t.db, saved.source.id).filter((p) => p.status === 'open');
		mergeWithNext(t.db, saved.source.id, before[1].id, ctx());
		const merged = proposalsOf(t.db, saved.source.id).find((p) => p.status === 'open' && p.quoteStart === before[1].quoteStart)!;
		proposeAgain(t.db, saved.source.id, ctx());
		const after = proposalsOf(t.db, saved.source.id).filter((p) => p.status === 'open');
		expect(after.map((p) => p.quoteStart)).toEqual(before.map((p) => p.quoteStart));
		expect(after[0].id).toBe(before[0].id);
		expect(after.map((p) => p.id)).not.toContain(merged.id);
		expect(after[1].id).not.toBe(before[1].id);
	});

	it('merges a proposal with the next, and splits one into its clauses', () => {
		const [first, second] = open();
		mergeWithNext(t.db, sourceId, first.id, ctx());
		const merged = open().find((x) => x.quoteStart === first.quoteStart)!;
		expect(merged.quoteEnd).toBe(second.quoteEnd);
		expect(merged.quote).toBe(text.slice(first.quoteStart, second.quoteEnd));
		splitProposal(t.db, sourceId, merged.id, ctx());
		const parts = open().filter((x) => x.quoteStart >= first.quoteStart && x.quoteEnd <= second.quoteEnd);
		expect(parts.length).toBeGreaterThan(2);
		for (const part of parts) expect(text.slice(part.quoteStart, part.quoteEnd)).toBe(part.quote);
		// The first of the new words keeps the id each time: a 立项 form open on it meets them (below), not a 404.
		expect(merged.id).toBe(first.id);
		expect(parts[0].id).toBe(first.id);
	});

	it('bounds what one sentence of many clauses and dates proposes, and what a split makes', () => {
		// One "sentence" of 400 dated clauses (a list pasted without its full stops): one proposal, its
		// steps at most what the 立项 form takes; a split of it refused, whole, with the reason.
		const body = `由市教育局牵头，${Array.from({ length: 400 }, (_, i) => `2027年${(i % 12) + 1}月底前完成第${i + 1}项`).join('，')}。`;
		const saved = addSource(t.db, { kind: 'minutes', title: '多期限', speaker: '市政府', deliveredOn: '2026-11-30', body }, ctx());
		const [only, ...others] = proposalsOf(t.db, saved.source.id);
		expect(others).toEqual([]);
		expect(only.milestones).toHaveLength(STEPS_MAX);
		expect(only.milestones[0]).toEqual({ title: '完成第1项', dueOn: '2027-01-31' });
		expect(() => splitProposal(t.db, saved.source.id, only.id, ctx())).toThrow(
			expect.objectContaining({ message: m.proposal_too_many_clauses({ count: 401, max: SPLIT_MAX }) })
		);
		expect(proposalsOf(t.db, saved.source.id)).toEqual([only]);
		// A split within the clause limit still divides it.
		const few = `由市教育局牵头，${Array.from({ length: 5 }, (_, i) => `2028年${i + 1}月底前建成第${i + 1}座`).join('，')}。`;
		const short = addSource(t.db, { kind: 'minutes', title: '五期限', speaker: '市政府', deliveredOn: '2026-11-30', body: few }, ctx());
		const [one] = proposalsOf(t.db, short.source.id);
		splitProposal(t.db, short.source.id, one.id, ctx());
		expect(proposalsOf(t.db, short.source.id).length).toBeGreaterThan(2);
	});

	it('refuses to register a proposal merged or split since its form was opened, and registers it once seen', () => {
		const [first] = open();
		const opened = openedSpan(first);
		mergeWithNext(t.db, sourceId, first.id, ctx());
		const now = open().find((x) => x.id === first.id)!;
		expect(openedSpan(now)).not.toBe(opened);
		const items = () => t.db.select().from(initiative).all().length;
		const count = items();
		expect(() => acceptProposal(t.db, sourceId, first.id, fields({ code: 'GOV-31', opened }) as never, ctx())).toThrow(
			expect.objectContaining({ status: 409, message: expect.stringContaining('已被合并或拆分') })
		);
		expect(items()).toBe(count);
		// (Merged, its words take in an item's made before by hand: registered with the tick that says it was checked.)
		const item = acceptProposal(
			t.db,
			sourceId,
			first.id,
			fields({ code: 'GOV-31', opened: openedSpan(now), confirmRepeat: true }) as never,
			ctx()
		);
		expect(item.sourceQuote).toBe(now.quote);
	});

	it('tells apart the same words standing twice by where they start', () => {
		const body = '一、要加强要素保障。\n二、要加强要素保障，2027年6月底前完成。';
		const saved = addSource(t.db, { kind: 'speech', title: '讲话', speaker: '市长', deliveredOn: '2026-11-20', body }, ctx());
		const twice = proposalsOf(t.db, saved.source.id).filter((p) => p.quote === '要加强要素保障');
		expect(twice).toHaveLength(2);
		const second = twice[1];
		const item = acceptProposal(t.db, saved.source.id, second.id, fields({ code: 'GOV-15', dueOn: null }) as never, ctx());
		expect(item.quoteStart).toBe(second.quoteStart);
		expect(body.indexOf(item.sourceQuote)).toBeLessThan(item.quoteStart);
	});

	it('gives an instruction that names no deadline the office’s reply time, in working days, and says so', () => {
		const body = '市委书记批示：请市商务局研究提出解决方案，并向企业反馈。';
		const saved = addSource(t.db, { kind: 'instruction', title: '批示', speaker: '市委书记', deliveredOn: '2026-09-28', body }, ctx());
		const [p] = proposalsOf(t.db, saved.source.id);
		// 10 working days from 2026-09-28: the National Day holiday (10-01 to 10-07) is skipped, 10-10 is a make-up day.
		expect(p).toMatchObject({ dueOn: '2026-10-16', leadName: '市商务局' });
		expect(p.why).toContainEqual({ kind: 'rule', words: '10个工作日内' });
		// A deadline in the text wins over the rule.
		const dated = addSource(
			t.db,
			{ kind: 'instruction', title: '批示', speaker: '市长', deliveredOn: '2026-09-28', body: '请市商务局两周内报送处理意见。' },
			ctx()
		);
		expect(proposalsOf(t.db, dated.source.id)[0]).toMatchObject({ dueOn: '2026-10-12' });
		expect(proposalsOf(t.db, dated.source.id)[0].why.some((c) => c.kind === 'rule')).toBe(false);
	});

	it('refuses staff and an empty text, and writes nothing then', () => {
		const before = t.db.select().from(source).all().length;
		const staff = sessionUser(t.db, 'staff');
		expect(() =>
			addSource(
				t.db,
				{ kind: 'minutes', title: 'x', speaker: 'y', deliveredOn: '2026-11-20', body: '纪要' },
				{ at: FIXED_NOW.toISOString(), actorId: staff.id, actor: staff }
			)
		).toThrow(WorkflowError);
		expect(() => addSource(t.db, { kind: 'minutes', title: 'x', speaker: 'y', deliveredOn: '2026-11-20', body: ' \n ' }, ctx())).toThrow(
			WorkflowError
		);
		expect(t.db.select().from(source).all().length).toBe(before);
		expect(
			t.db
				.select()
				.from(proposal)
				.all()
				.every((p) => p.sourceId !== before + 1)
		).toBe(true);
	});
});
