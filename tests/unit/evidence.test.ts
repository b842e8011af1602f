/**
 * Evidence files (docs/domain.md, "Evidence files"): what an upload must be to be kept, how it is
 * stored (by SHA-256, once), attached to a report and its milestones in the history, withdrawn
 * without being deleted, and who may read it.
 */
import { updateTracked } from '$lib/server/history';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachment, changeLog, initiative, progressReport, storedFile, supervisionSlip } from '$lib/server/db/schema';
import { officeFiles } from '$lib/server/evidence/attachments';
import { readableAttachment } from '$lib/server/evidence/read';
import { blobPath, filesDir, incomingDir, putBlob } from '$lib/server/evidence/store';
import { checkUpload, stageUpload, type CheckedUpload } from '$lib/server/evidence/upload';
import { getInitiative } from '$lib/server/initiatives';
import { seedIfEmpty } from '$lib/server/seed';
import { withholdDrafts } from '$lib/server/workflow/access';
import { WorkflowError } from '$lib/server/workflow/errors';
import { approveReport, saveReport } from '$lib/server/workflow/reports';
import { decideClosure, requestClosure } from '$lib/server/workflow/requests';
import { applyImport, planImport, rowsAsPreviewed } from '$lib/server/monthly/import';
import { exportFormats } from '$lib/server/monthly/exports';
import { monthlySummary } from '$lib/server/monthly/summary';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { reportInput, sessionUser } from '../helpers/people';
import { docx, jpegWithExif, pdf, png, zipBombDocx } from '../helpers/files';
import { FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';

const TODAY = '2026-11-27';
const MB = 1024 * 1024;
let t: TempDb;
let tick = 0;
const ctx = () => ({ at: new Date(FIXED_NOW.getTime() + ++tick * 60_000).toISOString(), actorId: null, actorLabel: 'test' });

/** Stages `bytes` as the file `name` of the field `field`, as the form reader does. */
const stage = (bytes: Buffer, name: string, field = 'files', max = 2 * MB) =>
	stageUpload(Readable.from([bytes]), field, name, incomingDir(t.db), max);

/**
 * How reading a file is answered: the file's id, or the refusal's status and message. A file the reader
 * may not read is answered as one that does not exist, so that another unit cannot learn which ids do.
 */
function answer(idParam: string, reader: Parameters<typeof readableAttachment>[2]) {
	try {
		return readableAttachment(t.db, idParam, reader).id;
	} catch (e) {
		if (!(e instanceof WorkflowError)) throw e;
		return { status: e.status, message: e.message };
	}
}
const noSuchFile = () => answer('99999', sessionUser(t.db, 'supervisor'));

async function checked(bytes: Buffer, name: string, field = 'files'): Promise<CheckedUpload> {
	const result = await checkUpload(await stage(bytes, name, field), 2 * MB);
	if (!result.ok) throw new Error(result.reason);
	putBlob(filesDir(t.db), result.file.tempPath, result.file.sha256);
	return result.file;
}

async function refusal(bytes: Buffer, name: string): Promise<string> {
	const staged = await stage(bytes, name);
	const result = await checkUpload(staged, 2 * MB);
	expect(result.ok).toBe(false);
	expect(existsSync(staged.tempPath), 'a refused file is not kept').toBe(false);
	return result.ok ? '' : result.reason;
}

/**
 * An item the demo staff's unit leads whose November report can still be written (none, a draft or
 * returned), with at least `open` milestones open; `except` is left out.
 */
function writableItem(open: number, except: number[] = []) {
	const staff = sessionUser(t.db, 'staff');
	return t.db
		.select()
		.from(initiative)
		.where(and(eq(initiative.leadUnitId, staff.unitId!), eq(initiative.status, 'active')))
		.all()
		.find((i) => {
			const r = t.db
				.select()
				.from(progressReport)
				.where(and(eq(progressReport.initiativeId, i.id), eq(progressReport.month, '2026-11')))
				.get();
			const left = getInitiative(t.db, i.code, TODAY)!.milestones.filter((ms) => ms.completedOn === null).length;
			const writable = !r || r.status === 'draft' || r.status === 'returned';
			return writable && left >= open && (!i.startOn || i.startOn <= TODAY) && !except.includes(i.id);
		})!;
}

beforeAll(() => {
	t = tempDatabase();
	seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW });
});
afterAll(() => t.close());

describe('what an upload must be', () => {
	it('keeps images, PDFs and Office files by the type their content shows, with a photo’s capture time', async () => {
		expect((await checked(png(), '现场照片.png')).mime).toBe('image/png');
		const photo = await checked(jpegWithExif('2026:11:20 14:03:22'), 'IMG_0001.JPG');
		expect(photo.mime).toBe('image/jpeg');
		expect(photo.capturedAt).toBe('2026-11-20 14:03:22');
		expect((await checked(pdf(), '验收报告.pdf')).mime).toBe('application/pdf');
		expect((await checked(await docx(), '会议纪要.docx')).mime).toBe(
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
		);
	});

	it('refuses a type not allowed, content that does not match its name, empty and oversized files, a zip bomb and bad names', async () => {
		expect(await refusal(Buffer.from('MZ\x90\x00 program'), 'setup.exe')).toContain('不允许的文件类型');
		expect(await refusal(png(), '合同.pdf')).toContain('与扩展名不符');
		expect(await refusal(Buffer.from('<html><script>alert(1)</script></html>'), '报告.pdf')).toContain('不是允许的类型');
		expect(await refusal(Buffer.alloc(0), '空.png')).toContain('空的');
		expect(await refusal(Buffer.concat([png(), Buffer.alloc(3 * MB)]), '大.png')).toContain('大小限制');
		expect(await refusal(await zipBombDocx(), '材料.docx')).toContain('压缩炸弹');
		expect(await refusal(png(), '../../etc/passwd.png')).toContain('文件名');
		expect(await refusal(png(), 'a\u0007b.png')).toContain('文件名');
		// Shown as "png.exe.png" read backwards: refused, and named in the refusal as it is, the sentence after it reading as written.
		const reversed = await refusal(png(), '\u202egnp.exe.png');
		expect(reversed).toContain('文件名');
		expect(reversed).toContain('[U+202E]gnp.exe.png');
		// Names that read alike and differ (a zero-width space, a byte-order mark, a line separator), and a name that is only its type.
		for (const name of ['现场\u200b照片.png', '\ufeff现场照片.png', '现场\u2028照片.png', '.png', '  .png'])
			expect(await refusal(png(), name), JSON.stringify(name)).toContain('文件名');
		expect(readdirSync(incomingDir(t.db))).toEqual([]);
	});

	it('stores the same bytes once, under their SHA-256', async () => {
		const first = await checked(png(), 'a.png');
		const second = await checked(png(), 'b.png');
		expect(second.sha256).toBe(first.sha256);
		expect(readFileSync(blobPath(filesDir(t.db), first.sha256))).toEqual(png());
	});
});

describe('attached to a report', () => {
	/** The item the tests of this block write to, chosen once (it changes as they go). */
	let chosen: { staff: ReturnType<typeof sessionUser>; item: typeof initiative.$inferSelect } | null = null;
	function leadItem() {
		return (chosen ??= { staff: sessionUser(t.db, 'staff'), item: writableItem(2) });
	}

	it('attaches files to the report and to a milestone met; a file counts as the milestone’s evidence; the history has them', async () => {
		const { staff, item } = leadItem();
		const detail = getInitiative(t.db, item.code, TODAY)!;
		const milestone = detail.milestones.find((ms) => ms.completedOn === null)!;
		const existing = detail.reports.find((r) => r.month === '2026-11');
		const files = [await checked(pdf(), '验收报告.pdf'), await checked(png(), '现场.png', `files-${milestone.id}`)];
		const report = saveReport(
			t.db,
			staff,
			item.id,
			'2026-11',
			reportInput({
				milestonesMet: [{ milestoneId: milestone.id, completedOn: TODAY, evidence: '' }],
				version: existing?.version ?? null,
				files
			}),
			{ ...ctx(), actorId: staff.id },
			TODAY
		);
		const rows = t.db.select().from(attachment).where(eq(attachment.reportId, report.id)).all();
		expect(rows.map((r) => [r.fileName, r.milestoneId])).toEqual([
			['验收报告.pdf', null],
			['现场.png', milestone.id]
		]);
		expect(t.db.select().from(storedFile).where(eq(storedFile.sha256, files[0].sha256)).get()?.size).toBe(pdf().length);
		const logged = t.db
			.select()
			.from(changeLog)
			.where(and(eq(changeLog.entity, 'attachment'), eq(changeLog.action, 'insert')))
			.all();
		expect(logged.length).toBeGreaterThanOrEqual(2);

		// Without text and without a file, a milestone met is refused: evidence is one or the other.
		const other = detail.milestones.filter((ms) => ms.completedOn === null)[1];
		expect(() =>
			saveReport(
				t.db,
				staff,
				item.id,
				'2026-11',
				reportInput({ milestonesMet: [{ milestoneId: other.id, completedOn: TODAY, evidence: '' }], version: report.version }),
				{ ...ctx(), actorId: staff.id },
				TODAY
			)
		).toThrow(WorkflowError);

		// The milestone unticked: its file stays with the report, as the report's own, not under a
		// milestone the report no longer claims met.
		const unticked = saveReport(
			t.db,
			staff,
			item.id,
			'2026-11',
			reportInput({ milestonesMet: [], version: report.version }),
			{ ...ctx(), actorId: staff.id },
			TODAY
		);
		expect(
			t.db
				.select()
				.from(attachment)
				.where(eq(attachment.reportId, unticked.id))
				.all()
				.map((r) => [r.fileName, r.milestoneId, r.withdrawnAt])
		).toEqual([
			['验收报告.pdf', null, null],
			['现场.png', null, null]
		]);
		// As the next tests expect it: the picture as the milestone's evidence again.
		const picture = t.db
			.select()
			.from(attachment)
			.where(and(eq(attachment.reportId, unticked.id), eq(attachment.fileName, '现场.png')))
			.get()!;
		updateTracked(t.db, attachment, picture.id, { milestoneId: milestone.id }, { ...ctx(), actorId: staff.id });
	});

	it('withdraws a file without deleting it: the office still reads it, others do not; a draft’s files are the lead unit’s', async () => {
		const { staff, item } = leadItem();
		const report = t.db
			.select()
			.from(progressReport)
			.where(and(eq(progressReport.initiativeId, item.id), eq(progressReport.month, '2026-11')))
			.get()!;
		const [file] = t.db.select().from(attachment).where(eq(attachment.reportId, report.id)).all();
		const leader = sessionUser(t.db, 'leader');
		const office = sessionUser(t.db, 'supervisor');
		const other = sessionUser(t.db, 'staff-tc');
		// The report is a draft: only the lead unit reads its files.
		expect(readableAttachment(t.db, String(file.id), staff).id).toBe(file.id);
		expect(answer(String(file.id), leader)).toEqual(noSuchFile());
		expect(withholdDrafts(leader, getInitiative(t.db, item.code, TODAY)!).attachments.some((a) => a.id === file.id)).toBe(false);
		const milestonesMet = t.db
			.select()
			.from(attachment)
			.where(eq(attachment.reportId, report.id))
			.all()
			.flatMap((a) => (a.milestoneId ? [{ milestoneId: a.milestoneId, completedOn: TODAY, evidence: '' }] : []));
		const submitted = saveReport(
			t.db,
			staff,
			item.id,
			'2026-11',
			reportInput({ milestonesMet, version: report.version, withdraw: [file.id], submit: true }),
			{ ...ctx(), actorId: staff.id },
			TODAY
		);
		expect(submitted.status).toBe('submitted');
		const withdrawn = t.db.select().from(attachment).where(eq(attachment.id, file.id)).get()!;
		expect(withdrawn.withdrawnAt).not.toBeNull();
		expect(existsSync(blobPath(filesDir(t.db), withdrawn.sha256))).toBe(true);
		expect(readableAttachment(t.db, String(file.id), office).id).toBe(file.id);
		expect(answer(String(file.id), leader)).toEqual(noSuchFile());
		expect(answer(String(file.id), other)).toEqual(noSuchFile());
		const kept = t.db
			.select()
			.from(attachment)
			.where(eq(attachment.reportId, report.id))
			.all()
			.find((a) => !a.withdrawnAt)!;
		expect(readableAttachment(t.db, String(kept.id), leader).id).toBe(kept.id);
		expect(noSuchFile()).toEqual({ status: 404, message: '该文件不存在。' });
		expect(answer('../1', office)).toEqual(noSuchFile());
	});

	it('once approved, a milestone’s file is listed in the month’s annex (name, size, hash), in the summary, Word and Excel', async () => {
		const { item } = leadItem();
		const office = sessionUser(t.db, 'supervisor');
		const report = t.db
			.select()
			.from(progressReport)
			.where(and(eq(progressReport.initiativeId, item.id), eq(progressReport.month, '2026-11')))
			.get()!;
		approveReport(t.db, report.id, report.version, { ...ctx(), actorId: office.id, actor: office });
		const file = t.db
			.select()
			.from(attachment)
			.where(eq(attachment.reportId, report.id))
			.all()
			.find((a) => a.milestoneId !== null)!;
		const summary = monthlySummary(t.db, '2026-11', TODAY);
		expect(summary.evidenceFiles).toContainEqual(
			expect.objectContaining({ code: item.code, fileName: file.fileName, size: file.size, sha256: file.sha256 })
		);
		// A withdrawn file is not evidence of anything.
		expect(summary.evidenceFiles.some((f) => f.fileName === '验收报告.pdf')).toBe(false);
		const xml = await (await JSZip.loadAsync(await exportFormats.docx.render(summary))).file('word/document.xml')!.async('string');
		expect(xml).toContain('附件2：佐证材料清单');
		expect(xml).toContain(file.sha256);
		const book = new ExcelJS.Workbook();
		await book.xlsx.load((await exportFormats.xlsx.render(summary)) as unknown as ArrayBuffer);
		expect(JSON.stringify(book.getWorksheet('佐证材料')!.getSheetValues())).toContain(file.sha256);
	});

	it('a ledger row may name a file uploaded before (文件：名称): the import attaches it to the milestones met; an unknown name is an error', async () => {
		const staff = sessionUser(t.db, 'staff');
		// Another item of the staff's unit whose November report can still be written.
		const item = writableItem(1, [leadItem().item.id]);
		const draft = t.db
			.select()
			.from(progressReport)
			.where(and(eq(progressReport.initiativeId, item.id), eq(progressReport.month, '2026-11')))
			.get();
		expect(draft?.status ?? 'draft').toBe('draft');
		const upload = await checked(png(), '竣工照片.png');
		const saved = saveReport(
			t.db,
			staff,
			item.id,
			'2026-11',
			reportInput({ version: draft?.version ?? null, files: [upload] }),
			{ ...ctx(), actorId: staff.id },
			TODAY
		);
		const open = getInitiative(t.db, item.code, TODAY)!.milestones.find((ms) => ms.completedOn === null)!;
		const row = (evidence: string) => ({
			line: 4,
			code: item.code,
			progress: '导入的进展。',
			problems: '暂无。',
			nextSteps: '继续推进。',
			completions: [{ title: open.title, date: TODAY }],
			evidence
		});
		const missing = planImport(t.db, staff, '2026-11', [row('文件：没有这个.png')], TODAY);
		expect(missing.issues.map((i) => i.message).join()).toContain('没有这个.png');
		const planned = planImport(t.db, staff, '2026-11', [row('竣工验收。\n文件：竣工照片.png')], TODAY);
		expect(planned.issues).toEqual([]);
		expect(planned.changes[0].files).toEqual([{ name: '竣工照片.png', size: png().length }]);
		applyImport(
			t.db,
			staff,
			'2026-11',
			rowsAsPreviewed([row('竣工验收。\n文件：竣工照片.png')], planned.changes),
			{ ...ctx(), actorId: staff.id },
			TODAY
		);
		const onMilestone = t.db
			.select()
			.from(attachment)
			.where(and(eq(attachment.reportId, saved.id), eq(attachment.milestoneId, open.id)))
			.all();
		expect(onMilestone.map((a) => [a.fileName, a.sha256])).toEqual([['竣工照片.png', upload.sha256]]);
	});

	it('the office attaches files to an item and to a slip; a slip’s files are read as the slip is', async () => {
		const office = sessionUser(t.db, 'supervisor');
		const staff = sessionUser(t.db, 'staff');
		const item = t.db.select().from(initiative).where(eq(initiative.code, 'YRD-01')).get()!;
		const officeCtx = { ...ctx(), actorId: office.id, actor: office };
		const [onItem] = officeFiles(t.db, { initiativeId: item.id, slipId: null }, [await checked(pdf(), '督查通知.pdf')], [], officeCtx);
		expect(readableAttachment(t.db, String(onItem.id), sessionUser(t.db, 'staff-tc')).id).toBe(onItem.id);
		// The demo's first slip is addressed to the demo staff's unit.
		const slip = t.db.select().from(supervisionSlip).where(eq(supervisionSlip.unitId, staff.unitId!)).get()!;
		const [onSlip] = officeFiles(
			t.db,
			{ initiativeId: slip.initiativeId, slipId: slip.id },
			[await checked(png(), '现场核查.png')],
			[],
			officeCtx
		);
		expect(readableAttachment(t.db, String(onSlip.id), staff).id).toBe(onSlip.id);
		expect(answer(String(onSlip.id), sessionUser(t.db, 'staff-tc'))).toEqual(noSuchFile());
		// Staff do not attach the office's files; nothing chosen is a refusal; a withdrawal is marked.
		expect(() =>
			officeFiles(t.db, { initiativeId: item.id, slipId: null }, [], [onItem.id], { ...ctx(), actorId: staff.id, actor: staff })
		).toThrow(WorkflowError);
		expect(() => officeFiles(t.db, { initiativeId: item.id, slipId: null }, [], [], officeCtx)).toThrow(WorkflowError);
		officeFiles(t.db, { initiativeId: item.id, slipId: null }, [], [onItem.id], officeCtx);
		expect(t.db.select().from(attachment).where(eq(attachment.id, onItem.id)).get()!.withdrawnAt).not.toBeNull();
		expect(answer(String(onItem.id), staff)).toEqual(noSuchFile());
		expect(readableAttachment(t.db, String(onItem.id), office).id).toBe(onItem.id);
	});

	it('a closure (销号) carries the unit’s evidence files and the office’s papers of its decision, shown with the item', async () => {
		const office = sessionUser(t.db, 'supervisor');
		const staff = sessionUser(t.db, 'staff');
		const item = t.db
			.select()
			.from(initiative)
			.where(and(eq(initiative.leadUnitId, staff.unitId!), eq(initiative.status, 'active')))
			.all()
			.at(-1)!;
		const request = requestClosure(
			t.db,
			staff,
			{ initiativeId: item.id, evidence: '验收材料附后。', files: [await checked(pdf(), '竣工验收报告.pdf')] },
			{ ...ctx(), actorId: staff.id }
		);
		// A milestone's field is a report's; on a closure it is a forged form, and nothing is kept.
		const forged = { ...(await checked(png(), '照片.png')), field: 'files-1' };
		expect(() =>
			decideClosure(
				t.db,
				{ initiativeId: item.id, requestId: request.id, version: request.version, approve: true, comment: '', files: [forged] },
				{ ...ctx(), actorId: office.id, actor: office },
				TODAY
			)
		).toThrow(WorkflowError);
		expect(t.db.select().from(initiative).where(eq(initiative.id, item.id)).get()!.status).toBe('active');
		decideClosure(
			t.db,
			{
				initiativeId: item.id,
				requestId: request.id,
				version: request.version,
				approve: true,
				comment: '',
				files: [await checked(png(), '销号审批表.png')]
			},
			{ ...ctx(), actorId: office.id, actor: office },
			TODAY
		);
		const files = t.db.select().from(attachment).where(eq(attachment.closureRequestId, request.id)).all();
		expect(files.map((f) => [f.fileName, f.uploadedBy, f.reportId, f.milestoneId])).toEqual([
			['竣工验收报告.pdf', staff.id, null, null],
			['销号审批表.png', office.id, null, null]
		]);
		const shown = withholdDrafts(sessionUser(t.db, 'staff-tc'), getInitiative(t.db, item.code, TODAY)!);
		expect(shown.attachments.filter((a) => a.closureRequestId === request.id)).toHaveLength(2);
		expect(readableAttachment(t.db, String(files[0].id), sessionUser(t.db, 'leader')).id).toBe(files[0].id);
		// Not the office's own files: its form on the item cannot withdraw them.
		expect(() =>
			officeFiles(t.db, { initiativeId: item.id, slipId: null }, [], [files[0].id], { ...ctx(), actorId: office.id, actor: office })
		).toThrow(WorkflowError);
		expect(t.db.select().from(attachment).where(eq(attachment.id, files[0].id)).get()!.withdrawnAt).toBeNull();
		// Each recorded in the item's history.
		const logged = t.db
			.select()
			.from(changeLog)
			.where(and(eq(changeLog.entity, 'attachment'), eq(changeLog.entityId, String(files[1].id))))
			.all();
		expect(logged).toHaveLength(1);
	});

	it('the demo shows one picture on YRD-02, in the store with its hash', () => {
		const row = t.db.select().from(attachment).where(eq(attachment.fileName, '现场照片.png')).get()!;
		expect(readFileSync(blobPath(filesDir(t.db), row.sha256))).toEqual(png());
	});
});
