/**
 * Import of a filled-in monthly ledger (.xlsx or .csv, as exported): 本月进展 / 存在问题 / 下步打算
 * and milestones met. Reading checks the file's shape and month; planning checks every row against
 * the database and lists every problem by row and column; applying re-plans and, only when nothing
 * is wrong, saves every row as a submitted report in one transaction — the same path and the same
 * review as a report written in the form.
 *
 * A milestone is marked met by a line `✓ 节点名称(YYYY-MM-DD)` in 具体举措/节点; its evidence is the
 * row's 备注 (required then).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { isCalendarDate, type CalendarDate, type Month } from '$lib/dates';
import type { SessionUser } from '../auth/sessions';
import type { Db, Tx } from '../db';
import type { ChangeContext } from '../history';
import { initiativeIdByCode } from '../initiatives';
import { itemState } from '../item-state';
import { isItemUnitStaff } from '../workflow/access';
import { WorkflowError } from '../workflow/errors';
import { saveReport } from '../workflow/reports';
import { summaryTitle } from './columns';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const MAX_ROWS = 2000;
const TEXT_MAX = 2000;

export type ImportRow = {
	/** The line of the file (1-based), for messages. */
	line: number;
	code: string;
	progress: string;
	problems: string;
	nextSteps: string;
	completions: { title: string; date: string }[];
	evidence: string;
};

export type ImportIssue = { line: number; column: string; message: string };

export type PlannedChange = {
	line: number;
	code: string;
	title: string;
	fields: { field: '进展情况' | '存在问题' | '下步打算'; before: string; after: string }[];
	milestones: { title: string; date: string }[];
};

const required = ['重点任务', '具体举措/节点', '本月进展', '存在问题', '下步打算', '备注'] as const;

function rowsFromTable(table: string[][], headerIndex: number): { rows: ImportRow[]; issues: ImportIssue[] } {
	const header = table[headerIndex].map((h) => h.trim());
	const col = Object.fromEntries(required.map((h) => [h, header.indexOf(h)])) as Record<(typeof required)[number], number>;
	const rows: ImportRow[] = [];
	const issues: ImportIssue[] = [];
	for (let i = headerIndex + 1; i < table.length; i++) {
		const cells = table[i];
		const get = (h: (typeof required)[number]) => (cells[col[h]] ?? '').trim();
		const task = get('重点任务');
		const code = /^([A-Z]{2,6}-\d{2,3})\b/.exec(task)?.[1];
		if (!code) continue; // group rows, blank lines, notes
		const line = i + 1;
		for (const h of ['本月进展', '存在问题', '下步打算'] as const) {
			if (get(h).length > TEXT_MAX) issues.push({ line, column: h, message: `不能超过 ${TEXT_MAX} 字` });
		}
		const completions = get('具体举措/节点')
			.split(/\r?\n/)
			.map((l) => l.trim())
			.filter((l) => l.startsWith('✓'))
			.map((l) => {
				const m = /^✓\s*(.+?)[((](\d{4}-\d{2}-\d{2})[))]$/.exec(l);
				if (!m || !isCalendarDate(m[2])) {
					issues.push({ line, column: '具体举措/节点', message: `“${l.slice(0, 40)}”应写作“✓ 节点名称(年-月-日)”,且日期须真实存在` });
					return null;
				}
				return { title: m[1].trim(), date: m[2] };
			})
			.filter((c): c is { title: string; date: string } => c !== null);
		rows.push({
			line,
			code,
			progress: get('本月进展'),
			problems: get('存在问题'),
			nextSteps: get('下步打算'),
			completions,
			evidence: get('备注').slice(0, 500)
		});
	}
	return { rows, issues };
}

function findHeader(table: string[][]): number {
	return table.findIndex((r) => required.every((h) => r.map((c) => c.trim()).includes(h)));
}

/** Reads an uploaded ledger; refuses a file of the wrong kind, shape or month with one reason. */
export async function readImportFile(name: string, bytes: Uint8Array, month: Month): Promise<{ rows: ImportRow[]; issues: ImportIssue[] }> {
	if (bytes.length === 0) throw new WorkflowError('file', '请选择要导入的文件。');
	if (bytes.length > MAX_IMPORT_BYTES) throw new WorkflowError('file', `文件不能超过 ${MAX_IMPORT_BYTES / 1024 / 1024} MB。`);
	const lower = name.toLowerCase();
	let table: string[][];
	if (lower.endsWith('.xlsx')) {
		const book = new ExcelJS.Workbook();
		try {
			await book.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
		} catch {
			throw new WorkflowError('file', '无法读取该 Excel 文件,请确认是由本系统导出的 .xlsx 文件。');
		}
		const sheet = book.getWorksheet('月报') ?? book.worksheets[0];
		if (!sheet) throw new WorkflowError('file', 'Excel 文件中没有工作表。');
		if (sheet.rowCount > MAX_ROWS) throw new WorkflowError('file', `行数过多(超过 ${MAX_ROWS} 行)。`);
		const title = String(sheet.getCell(1, 1).value ?? '');
		if (!title.includes(summaryTitle(month).slice(-10))) {
			throw new WorkflowError('file', `该文件不是 ${month} 的月报(标题为“${title.slice(0, 40)}”)。`);
		}
		table = [];
		sheet.eachRow({ includeEmpty: true }, (row, n) => {
			table[n - 1] = summaryCellTexts(row, sheet.columnCount);
		});
		for (let i = 0; i < table.length; i++) table[i] ??= [];
	} else if (lower.endsWith('.csv')) {
		try {
			table = parseCsv(Buffer.from(bytes).toString('utf8'), { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
		} catch {
			throw new WorkflowError('file', '无法解析该 CSV 文件,请确认为 UTF-8 编码、逗号分隔。');
		}
		if (table.length > MAX_ROWS) throw new WorkflowError('file', `行数过多(超过 ${MAX_ROWS} 行)。`);
		const months = new Set(
			table
				.slice(1)
				.map((r) => r[0]?.trim())
				.filter((m) => m && /^\d{4}-\d{2}$/.test(m))
		);
		if (months.size !== 1 || !months.has(month)) {
			throw new WorkflowError('file', `该文件不是 ${month} 的月报(月份列为 ${[...months].join('、') || '空'})。`);
		}
	} else {
		throw new WorkflowError('file', '只能导入 .xlsx 或 .csv 文件。');
	}
	const headerIndex = findHeader(table);
	if (headerIndex < 0)
		throw new WorkflowError('file', `文件格式不符:找不到表头(须含 ${required.join('、')} 列)。请使用本系统导出的月报填写。`);
	const read = rowsFromTable(table, headerIndex);
	if (read.rows.length === 0) throw new WorkflowError('file', '文件中没有任何任务行。');
	return read;
}

function summaryCellTexts(row: ExcelJS.Row, columns: number): string[] {
	const out: string[] = [];
	for (let c = 1; c <= columns; c++) {
		const v = row.getCell(c).value;
		out.push(
			v === null || v === undefined ? '' : typeof v === 'object' && 'richText' in v ? v.richText.map((t) => t.text).join('') : String(v)
		);
	}
	return out;
}

/** Checks every row against the database for `actor`; returns the changes and every problem found. */
export function planImport(
	db: Tx,
	actor: SessionUser,
	month: Month,
	rows: ImportRow[],
	today: CalendarDate
): { changes: PlannedChange[]; issues: ImportIssue[] } {
	const issues: ImportIssue[] = [];
	const changes: PlannedChange[] = [];
	const seen = new Set<string>();
	for (const row of rows) {
		const problem = (column: string, message: string) => issues.push({ line: row.line, column, message });
		if (seen.has(row.code)) {
			problem('重点任务', `${row.code} 在文件中出现了不止一次`);
			continue;
		}
		seen.add(row.code);
		const id = initiativeIdByCode(db, row.code);
		const state = id === null ? null : itemState(db, id, null);
		if (!state) {
			problem('重点任务', `没有编号为 ${row.code} 的任务`);
			continue;
		}
		const report = state.reports.find((r) => r.month === month);
		const fields = (
			[
				['进展情况', report?.progress ?? '', row.progress],
				['存在问题', report?.problems ?? '', row.problems],
				['下步打算', report?.nextSteps ?? '', row.nextSteps]
			] as const
		)
			.filter(([, before, after]) => after !== '' && before !== after)
			.map(([field, before, after]) => ({ field, before, after }));
		const open = state.milestones.filter((m) => m.completedOn === null);
		const milestones = row.completions.filter((c) => !state.milestones.some((m) => m.title === c.title && m.completedOn !== null));
		for (const c of milestones) {
			if (!open.some((m) => m.title === c.title)) problem('具体举措/节点', `${row.code} 没有名为“${c.title}”的未完成节点`);
			else if (c.date > today) problem('具体举措/节点', `完成日期 ${c.date} 晚于今天`);
		}
		if (milestones.length && !row.evidence) problem('备注', '标记节点完成时,请在备注中填写佐证材料');
		// Rows left as exported are no change, whoever's they are; only changed rows must be one's own.
		if (fields.length === 0 && milestones.length === 0) continue;
		if (actor.role !== 'supervisor' && !isItemUnitStaff(actor, state)) {
			problem('重点任务', `${row.code} 不是本单位牵头或配合的任务`);
			continue;
		}
		if (report && (report.status === 'submitted' || report.status === 'approved')) {
			problem('本月进展', `${row.code} 本月进展${report.status === 'approved' ? '已审核通过' : '已提交待审核'},不能再修改`);
			continue;
		}
		if (state.item.status !== 'active') {
			problem('重点任务', `${row.code} 已销号或撤销`);
			continue;
		}
		const complete = {
			progress: row.progress || report?.progress || '',
			problems: row.problems || report?.problems || '',
			nextSteps: row.nextSteps || report?.nextSteps || ''
		};
		for (const [key, label] of [
			['progress', '本月进展'],
			['problems', '存在问题'],
			['nextSteps', '下步打算']
		] as const) {
			if (!complete[key]) problem(label, `${row.code} 提交前须填写${label}`);
		}
		changes.push({ line: row.line, code: row.code, title: state.item.title, fields, milestones });
	}
	return { changes, issues };
}

/** Applies the import: all rows or none, each as a submitted report under `actor`'s name. */
export function applyImport(db: Db, actor: SessionUser, month: Month, rows: ImportRow[], ctx: ChangeContext, today: CalendarDate): number {
	return db.transaction((tx) => {
		const { changes, issues } = planImport(tx, actor, month, rows, today);
		if (issues.length) throw new WorkflowError('file', `文件中有 ${issues.length} 处错误,未导入任何内容。`);
		for (const change of changes) {
			const row = rows.find((r) => r.line === change.line)!;
			const state = itemState(tx, initiativeIdByCode(tx, row.code)!, null)!;
			const report = state.reports.find((r) => r.month === month);
			saveReport(
				tx,
				actor,
				state.item.id,
				month,
				{
					progress: row.progress || report?.progress || '',
					problems: row.problems || report?.problems || '',
					nextSteps: row.nextSteps || report?.nextSteps || '',
					milestonesMet: change.milestones.map((c) => ({
						milestoneId: state.milestones.find((m) => m.title === c.title && m.completedOn === null)!.id,
						completedOn: c.date,
						evidence: row.evidence
					})),
					version: report?.version ?? null,
					submit: true
				},
				{ ...ctx, note: '月报导入' },
				today
			);
		}
		return changes.length;
	});
}
