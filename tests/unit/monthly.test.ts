import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { pageBreaks } from '$lib/server/documents/sheet';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initiative, theme, unit, user } from '$lib/server/db/schema';
import { reportsOnTime } from '$lib/server/on-time';
import { endOfSuzhouDay, formatDate } from '$lib/dates';
import { updateTracked } from '$lib/server/history';
import { getInitiative } from '$lib/server/initiatives';
import { listInitiatives } from '$lib/server/portfolio';
import { readRuleSettings, saveRuleSettings, settingsVersion } from '$lib/server/rule-settings';
import { StaleVersionError } from '$lib/server/workflow/errors';
import { summaryColumns, summaryParagraphs, unitColumns } from '$lib/server/monthly/columns';
import { exportFormats } from '$lib/server/monthly/exports';
import { summaryDocx } from '$lib/server/monthly/export-docx';
import { monthlySummary, summaryMonths } from '$lib/server/monthly/summary';
import { openDatabase } from '$lib/server/db';
import { seedIfEmpty } from '$lib/server/seed';
import { updateItem } from '$lib/server/workflow/items';
import { approveReport, saveReport } from '$lib/server/workflow/reports';
import { sessionUser as sessionUserOf } from '../helpers/people';
import { FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';

const TODAY = '2026-11-27';
let t: TempDb;

const sessionUser = (username: string) => sessionUserOf(t.db, username);

beforeAll(() => {
	t = tempDatabase();
	seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW });
});
afterAll(() => t.close());

describe('the monthly summary', () => {
	it('lists every month from 2021-07, the current one first', () => {
		const months = summaryMonths(TODAY);
		expect(months[0]).toBe('2026-11');
		expect(months.at(-1)).toBe('2021-07');
	});

	it('counts lights and paces with shares that add up, and groups by theme or unit', () => {
		const s = monthlySummary(t.db, '2026-10', TODAY);
		expect(s.closed).toBe(true);
		expect(s.asOf).toBe('2026-10-31');
		expect(s.summary.lights.reduce((n, l) => n + l.count, 0)).toBe(s.summary.total);
		expect(s.summary.paces.reduce((n, p) => n + p.share, 0)).toBeCloseTo(1);
		expect(s.rows).toHaveLength(s.summary.total);
		expect(s.rows.map((r) => r.no)).toEqual(s.rows.map((_, i) => i + 1));
		const byUnit = monthlySummary(t.db, '2026-10', TODAY, 'unit');
		expect(byUnit.rows[0].group).toBe(byUnit.rows[0].leadUnit);
		expect(s.lagging.every((r) => r.pace === 'behind' || r.light === 'red')).toBe(true);
	});

	it("says a closed item's closing day as a document says a date (2026年8月15日), never as 2026-08-15", () => {
		const s = monthlySummary(t.db, '2026-10', TODAY);
		const closed = s.rows.filter((r) => r.remark.includes('销号'));
		expect(closed.length).toBeGreaterThan(0);
		for (const row of closed) expect(row.remark).toMatch(/已于\d{4}年\d{1,2}月\d{1,2}日销号/);
		expect(s.rows.filter((r) => /\d{4}-\d{2}-\d{2}/.test(r.remark))).toEqual([]);
	});

	it('reads the same for a past month after the data is edited today', () => {
		const before = JSON.stringify(monthlySummary(t.db, '2026-10', TODAY));
		const staff = sessionUser('staff');
		const office = sessionUser('supervisor');
		const item = getInitiative(t.db, 'INN-03', TODAY)!;
		const draft = item.reports.find((r) => r.month === '2026-11')!;
		const open = item.milestones.find((m) => m.completedOn === null && m.dueOn < TODAY)!;
		const at = (min: number) => new Date(FIXED_NOW.getTime() + min * 60_000).toISOString();
		const submitted = saveReport(
			t.db,
			staff,
			item.id,
			'2026-11',
			{
				progress: '补报',
				problems: '无',
				nextSteps: '继续',
				milestonesMet: [{ milestoneId: open.id, completedOn: '2026-10-15', evidence: '材料' }],
				version: draft.version,
				submit: true
			},
			{ at: at(1), actorId: staff.id },
			TODAY
		);
		approveReport(t.db, submitted.id, submitted.version, { at: at(2), actorId: office.id, actor: office });
		updateItem(
			t.db,
			item.id,
			{
				version: getInitiative(t.db, 'INN-03', TODAY)!.version,
				title: '改过的名称',
				themeId: item.themeId,
				leadUnitId: item.leadUnitId,
				coUnitIds: item.coUnitIds,
				leader: '新领导',
				startOn: item.startOn,
				dueOn: '2028-12-31'
			},
			{ at: at(3), actorId: office.id, actor: office }
		);
		expect(JSON.stringify(monthlySummary(t.db, '2026-10', TODAY))).toBe(before);
		// Computed afresh on another connection (nothing kept there), the closed month reads the same,
		// and the kept summary is the one served again.
		const other = openDatabase(t.path);
		try {
			expect(JSON.stringify(monthlySummary(other, '2026-10', TODAY))).toBe(before);
		} finally {
			other.$client.close();
		}
		expect(monthlySummary(t.db, '2026-10', TODAY)).toBe(monthlySummary(t.db, '2026-10', TODAY));
		// …while the current month shows the change.
		expect(monthlySummary(t.db, '2026-11', TODAY).rows.find((r) => r.code === 'INN-03')?.title).toBe('改过的名称');
	});
});

describe('the past is judged by the rules and names of its own time', () => {
	it('changing a threshold or the due day, or renaming a unit or a theme, today leaves past months and as-of views as they were', () => {
		const admin = t.db.select().from(user).where(eq(user.username, 'admin')).get()!;
		const actor = { id: admin.id, role: admin.role, unitId: admin.unitId };
		const item = getInitiative(t.db, 'YRD-02', TODAY)!;
		const pastSummary = JSON.stringify(monthlySummary(t.db, '2026-09', TODAY));
		const pastItem = JSON.stringify(getInitiative(t.db, 'YRD-02', '2026-06-30', true));
		const pastCity = JSON.stringify(listInitiatives(t.db, '2026-06-30', true));
		// The lead unit's on-time rate on its page as of that day, and as the page shows it today: the months
		// it judged under the due day then (25) are judged so after the due day is changed below, not by the new one.
		const pastRate = reportsOnTime(t.db, item.leadUnitId!, '2026-06-30', endOfSuzhouDay('2026-06-30'));
		const rateNow = reportsOnTime(t.db, item.leadUnitId!, TODAY, null);
		expect(rateNow.onTime).toBeGreaterThan(0);
		expect(pastRate.due).toBeGreaterThan(0);
		const reviewer = getInitiative(t.db, 'YRD-02', '2026-06-30', true)!.reports.find((r) => r.reviewedBy !== null)!.reviewedBy!;
		expect(pastItem).toContain(t.db.select().from(user).where(eq(user.id, reviewer)).get()!.displayName);
		const later = new Date(FIXED_NOW.getTime() + 3600_000).toISOString();
		const strict = {
			reportDueDay: 2,
			deadlineWarningDays: 60,
			paceYellowPoints: 1,
			paceRedPoints: 2,
			missedReportsYellow: 1,
			missedReportsRed: 2,
			instructionReplyDays: 10,
			proposalReplyMonths: 3
		};
		const opened = settingsVersion(t.db);
		saveRuleSettings(t.db, strict, opened, { at: later, actorId: admin.id, actor });
		// A second administrator's form, opened before that save, is refused and told what changed.
		let stale: unknown;
		try {
			saveRuleSettings(t.db, { ...strict, reportDueDay: 20 }, opened, { at: later, actorId: admin.id, actor });
		} catch (e) {
			stale = e;
		}
		expect(stale).toBeInstanceOf(StaleVersionError);
		expect((stale as StaleVersionError).changes).toContainEqual({ field: 'reportDueDay', before: 25, after: 2 });
		expect(readRuleSettings(t.db).reportDueDay).toBe(2);
		const system = { at: later, actorId: null, actorLabel: 'test' };
		updateTracked(t.db, unit, item.leadUnitId!, { name: '改名后的牵头单位' }, system);
		updateTracked(t.db, theme, item.themeId, { name: '改名后的类别' }, system);
		// The account that approved its reports renamed for its next holder; the item's start moved later today.
		updateTracked(t.db, user, reviewer, { displayName: '改名后的审核人' }, system);
		updateTracked(t.db, initiative, item.id, { startOn: '2026-11-01' }, system);
		expect(reportsOnTime(t.db, item.leadUnitId!, '2026-06-30', endOfSuzhouDay('2026-06-30'))).toEqual(pastRate);
		updateTracked(t.db, initiative, item.id, { startOn: item.startOn }, system);
		expect(JSON.stringify(monthlySummary(t.db, '2026-09', TODAY))).toBe(pastSummary);
		expect(JSON.stringify(getInitiative(t.db, 'YRD-02', '2026-06-30', true))).toBe(pastItem);
		expect(JSON.stringify(listInitiatives(t.db, '2026-06-30', true))).toBe(pastCity);
		// …while today's view uses the new names and rules.
		expect(getInitiative(t.db, 'YRD-02', TODAY)!.leadUnitName).toBe('改名后的牵头单位');
		expect(getInitiative(t.db, 'YRD-02', TODAY)!.themeName).toBe('改名后的类别');
	});

	it('an item handed to another unit takes its future months with it, never its past record', () => {
		const item = getInitiative(t.db, 'OPN-04', TODAY)!;
		const other = t.db
			.select()
			.from(unit)
			.all()
			.find((u) => u.id !== item.leadUnitId)!;
		const rate = (unitId: number) => reportsOnTime(t.db, unitId, TODAY, null);
		const [before, otherBefore] = [rate(item.leadUnitId!), rate(other.id)];
		// As of the end of October, before the handover, for either unit.
		const asOfOctober = (unitId: number) => reportsOnTime(t.db, unitId, '2026-10-31', endOfSuzhouDay('2026-10-31'));
		const october = [asOfOctober(item.leadUnitId!), asOfOctober(other.id)];
		expect(before.due).toBeGreaterThan(0);
		const later = new Date(FIXED_NOW.getTime() + 2 * 3600_000).toISOString();
		updateTracked(t.db, initiative, item.id, { leadUnitId: other.id }, { at: later, actorId: null, actorLabel: 'test' });
		try {
			// The eleven months that ended before the handover stay the former unit's; the month in course
			// (November, its due day past, not yet ended) is read as the item stands now, as every reader of it does.
			const [after, otherAfter] = [rate(item.leadUnitId!), rate(other.id)];
			expect([after.due, otherAfter.due]).toEqual([before.due - 1, otherBefore.due + 1]);
			expect(after.onTime + otherAfter.onTime).toBe(before.onTime + otherBefore.onTime);
			expect([asOfOctober(item.leadUnitId!), asOfOctober(other.id)]).toEqual(october);
			expect(october[0].due).toBeGreaterThan(0);
		} finally {
			updateTracked(t.db, initiative, item.id, { leadUnitId: item.leadUnitId }, { at: later, actorId: null, actorLabel: 'test' });
		}
	});
});

/** A zip entry's (zoneless) time as its fields say it: JSZip reads them as if in UTC. */
const suzhouWallClock = (date: Date) => date.toISOString().slice(0, 19).replace('T', ' ');

describe('exports', () => {
	const summary = () => monthlySummary(t.db, '2026-10', TODAY);

	it('says how many of the milestones met in a month were met in an earlier one and recorded late (补报), as its rows do', () => {
		let earlier = 0;
		for (const month of summaryMonths(TODAY).slice(0, 24)) {
			const s = monthlySummary(t.db, month, TODAY);
			// The rows' remarks (补报此前完成的节点 N 个) add up to the headline's count.
			const fromRows = s.rows
				.map((r) => /补报此前完成的节点 (\d+) 个/.exec(r.remark))
				.reduce((sum, match) => sum + (match ? Number(match[1]) : 0), 0);
			expect(s.summary.milestonesMetEarlier, month).toBe(fromRows);
			expect(s.summary.milestonesMetEarlier, month).toBeLessThanOrEqual(s.summary.milestonesMet);
			const headline = summaryParagraphs(s)[1];
			if (fromRows) expect(headline, month).toContain(`完成时间节点 ${s.summary.milestonesMet} 个（其中补报此前完成 ${fromRows} 个）`);
			else expect(headline, month).not.toContain('补报');
			earlier += fromRows;
		}
		expect(earlier).toBeGreaterThan(0);
	});

	it("a closed month's .xlsx and .docx are the same file every time: dated by the day they count to, inside and in the zip", async () => {
		const first = { xlsx: await exportFormats.xlsx.render(summary()), docx: await exportFormats.docx.render(summary()) };
		// A zip entry's time has two-second steps: written again after them, the files would differ were they stamped with the clock.
		await new Promise((resolve) => setTimeout(resolve, 2_100));
		for (const format of ['xlsx', 'docx'] as const) {
			const again = await exportFormats[format].render(summary());
			expect(Buffer.compare(first[format], again), format).toBe(0);
			const zip = await JSZip.loadAsync(again);
			// 2026-10-31 00:00 in Suzhou, as the office's machines show a zip's (zoneless) entry times.
			const times = new Set(Object.values(zip.files).map((f) => suzhouWallClock(f.date)));
			expect([...times], format).toEqual(['2026-10-31 00:00:00']);
			const core = await zip.file('docProps/core.xml')!.async('string');
			expect(core, format).toMatch(/<dcterms:created[^>]*>2026-10-30T16:00:00Z</);
			expect(core, format).toMatch(/<dcterms:modified[^>]*>2026-10-30T16:00:00Z</);
			expect(core, format).toContain('<dc:creator>');
		}
	});

	it('xlsx: a frozen header, merged group rows, ★ lead units, light colours, A4 landscape', async () => {
		const file = await exportFormats.xlsx.render(summary());
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(file as unknown as ArrayBuffer);
		const sheet = book.getWorksheet('月报')!;
		expect(sheet.getCell('A1').value).toContain('2026年10月');
		expect(sheet.getRow(3).values).toEqual([undefined, ...summaryColumns.map((c) => c.header)]);
		expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
		expect(sheet.getCell('A4').value).toBe('长三角一体化');
		expect(sheet.getCell('A4').isMerged).toBe(true);
		expect(String(sheet.getCell('D5').value)).toMatch(/^★/);
		const lightCell = sheet.getCell(5, summaryColumns.length - 1);
		expect(String(lightCell.value)).toMatch(/[绿黄红]灯/);
		expect((lightCell.fill as ExcelJS.FillPattern).fgColor?.argb).toMatch(/^FF/);
		expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9 });
		// Every sheet is a document of its own: title, month, bordered header repeated on each page,
		// 宋体, page numbers in the footer.
		for (const name of ['月报', '单位情况', '滞后事项']) {
			const s = book.getWorksheet(name)!;
			expect(String(s.getCell('A1').value), name).toContain('2026年10月');
			expect(String(s.getCell('A2').value), name).toMatch(/^(统计)?截至2026年10月31日/);
			expect(s.getCell('A3').border?.top?.style, name).toBe('thin');
			expect(s.getCell('A4').font?.name, name).toBe('SimSun');
			expect(s.pageSetup.printTitlesRow, name).toBe('3:3');
			expect(s.pageSetup, name).toMatchObject({ fitToPage: true, fitToWidth: 1, fitToHeight: 0, horizontalCentered: true });
			expect(s.headerFooter.oddFooter, name).toMatch(/第 &P 页，共 &N 页/);
		}
		// The ledger's own page breaks, none right after a group's header (written as the rows stream out).
		const zip = await JSZip.loadAsync(file);
		const ledgerXml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
		// Stamped with the month's end, not the moment of export: the same month is the same document.
		expect(await zip.file('docProps/core.xml')!.async('string')).toMatch(/<dcterms:modified[^>]*>2026-10-30T16:00:00Z</);
		const breaks = [...ledgerXml.matchAll(/<brk id="(\d+)"/g)].map((b) => Number(b[1]));
		expect(breaks.length).toBeGreaterThan(1);
		for (const after of breaks) expect(sheet.getCell(after, 1).isMerged, `break after row ${after}`).toBe(false);
		const units = book.getWorksheet('单位情况')!;
		expect(units.getRow(3).values).toEqual([undefined, '序号', ...unitColumns.map((c) => c.header)]);
		expect(units.getCell('A4').value).toBe(1);
		expect(typeof units.getCell('C4').value).toBe('number'); // 牵头任务 stays a number in its column
	});

	it('docx: a 公文 (issuing office, title, Chinese date, 仿宋 body, 黑体 headings, page numbers), then the tables in landscape with repeated headers', async () => {
		const zip = await JSZip.loadAsync(await exportFormats.docx.render(summary()));
		const xml = await zip.file('word/document.xml')!.async('string');
		expect(xml).toContain('苏州市重点任务督查督办办公室');
		// The title on two lines, broken where its words allow.
		expect(xml).toMatch(/苏州市重点任务推进情况月报<\/w:t><\/w:r><w:r>(?:(?!<\/w:r>).)*<w:br\/>(?:(?!<\/w:r>).)*<w:t[^>]*>（2026年10月）</);
		expect(xml).toContain('2026年10月31日');
		expect(xml).toContain('一、总体情况');
		// The circular's own sentences use Chinese punctuation (item titles are the catalogue's).
		for (const p of summaryParagraphs(summary())) expect(p).not.toMatch(/[\u4e00-\u9fff][,;:(]|[,;:)][\u4e00-\u9fff]/);
		expect(xml).toContain('★');
		for (const h of summaryColumns.map((c) => c.header)) expect(xml).toContain(h);
		expect(xml).toMatch(/w:eastAsia="FangSong"/);
		expect(xml).toMatch(/w:eastAsia="SimHei"/);
		// The letter, the tables, and 附件 on a page of its own; no row split across pages.
		expect(xml.match(/<w:sectPr/g)).toHaveLength(3);
		expect(xml).toContain('<w:cantSplit/>');
		expect(xml).toMatch(/w:orient="landscape"/);
		expect(xml).toContain('<w:tblHeader/>');
		const footers = Object.keys(zip.files).filter((f) => /^word\/footer\d*\.xml$/.test(f));
		expect(footers.length).toBeGreaterThan(0);
		expect(await zip.file(footers[0])!.async('string')).toMatch(/PAGE/);
		// Dates one way in the document: 完成时限 and the milestones' lines as its letter writes them.
		const row = summary().rows.find((r) => r.dueOn && r.measures.length)!;
		expect(xml).toContain(`>${formatDate(row.dueOn!, 'zh-CN')}<`);
		expect(xml).toContain(`（${formatDate(row.measures[0].on, 'zh-CN')}）`);
		expect(xml).not.toMatch(/\d{4}-\d{2}-\d{2}/);
	});

	it('docx: a table longer than the circular carries lists its first rows and says where all of them are', async () => {
		const s = summary();
		const most = 5;
		expect(s.rows.length).toBeGreaterThan(most);
		const xml = await (
			await JSZip.loadAsync(await summaryDocx(s, '苏州市重点任务督查督办办公室', most))
		)
			.file('word/document.xml')!
			.async('string');
		const codes = s.rows.map((r) => r.code);
		for (const code of codes.slice(0, most)) expect(xml).toContain(code);
		for (const code of codes.slice(most).filter((c) => !s.lagging.slice(0, most).some((r) => r.code === c)))
			expect(xml, code).not.toContain(`>${code} `);
		expect(xml).toContain(`本表列出前 ${most} 项，共 ${s.rows.length} 项；全部任务见同月月报的 Excel 台账。`);
		// Within the limit (the default: 1000 rows a table), every row is there and nothing is said.
		const whole = await (await JSZip.loadAsync(await summaryDocx(s))).file('word/document.xml')!.async('string');
		for (const code of codes) expect(whole).toContain(`>${code} `);
		expect(whole).not.toContain('本表列出前');
	});

	it('xlsx: pages break where the ledger says, never right after a group header', async () => {
		const zip = await JSZip.loadAsync(await exportFormats.xlsx.render(summary()));
		const xml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
		const breaks = [...xml.matchAll(/<brk id="(\d+)"[^>]*man="1"/g)].map((b) => Number(b[1]));
		expect(breaks.length).toBeGreaterThan(0);
		const book = new ExcelJS.Workbook();
		await book.xlsx.load((await exportFormats.xlsx.render(summary())) as unknown as ArrayBuffer);
		const sheet = book.getWorksheet('月报')!;
		const groupNames = new Set(summary().rows.map((r) => r.group));
		for (const b of breaks) expect(groupNames.has(String(sheet.getCell(b, 1).value)), `row ${b} ends a page`).toBe(false);
	});

	it('pageBreaks: pages are filled, never end on a group header, which goes over with its first row', () => {
		const heights = new Map<number, number>([
			[1, 24],
			[2, 20],
			[3, 30]
		]);
		for (let r = 4; r <= 60; r++) heights.set(r, r % 10 === 0 ? 15 : 80);
		const headers = new Set([...heights.keys()].filter((r) => r % 10 === 0));
		const widths = [6, 22, 30, 14, 18, 12, 13, 36, 24, 24, 22, 14, 18];
		const breaks = pageBreaks(heights, 4, widths, headers);
		expect(breaks.length).toBeGreaterThan(2);
		for (const b of breaks) expect(headers.has(b)).toBe(false);
		const pages = [3, ...breaks, 60].slice(1).map((end, i, all) => {
			const start = (i === 0 ? 3 : all[i - 1]) + 1;
			let sum = 0;
			for (let r = start; r <= end; r++) sum += heights.get(r)!;
			return sum;
		});
		const capacity = Math.max(...pages.slice(1));
		expect(Math.min(...pages.slice(0, -1))).toBeGreaterThan(capacity / 2);
	});

	it('xlsx and docx stay readable when a stored text holds characters XML forbids', async () => {
		const s = structuredClone(summary());
		s.rows[0].progress = 'CTL\u0001\u0008\uFFFE\uFFFF 进展';
		const book = new ExcelJS.Workbook();
		await book.xlsx.load((await exportFormats.xlsx.render(s)) as unknown as ArrayBuffer);
		expect(JSON.stringify(book.getWorksheet('月报')!.getSheetValues())).toContain('CTL 进展');
		const zip = await JSZip.loadAsync(await exportFormats.docx.render(s));
		expect(await zip.file('word/document.xml')!.async('string')).toContain('CTL 进展');
	});

	it('csv: UTF-8 with a byte-order mark, one header and a line per item', async () => {
		const text = (await exportFormats.csv.render(summary())).toString('utf8');
		expect(text.charCodeAt(0)).toBe(0xfeff);
		const lines = text.slice(1).trimEnd().split('\r\n');
		expect(lines[0]).toBe(['月份', '类别/分组', ...summaryColumns.map((c) => c.header)].join(','));
		expect(lines[1].startsWith('2026-10,')).toBe(true);
		expect(text).toContain('"'); // multi-line cells are quoted
	});

	it('json: the same content for other systems', async () => {
		const parsed = JSON.parse((await exportFormats.json.render(summary())).toString('utf8'));
		expect(parsed).toEqual(JSON.parse(JSON.stringify(summary())));
	});
});
