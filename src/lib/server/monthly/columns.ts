/**
 * The columns of the monthly table (docs/domain.md), shared by every export and by the import, which
 * finds its columns by these headers: the ledger's one spelling of them.
 */
import { percent } from '$lib/progress';
import { formatDate, startOfSuzhouDay, type CalendarDate } from '$lib/dates';
import { formatBytes } from '$lib/evidence';
import { isoDate, measuresText, type DateText } from '$lib/measure-lines';
import type { SummaryRow } from './summary';

/** The ledger's column headers, by what they hold. */
export const ledgerHeaders = {
	no: '序号',
	item: '重点任务',
	measures: '具体举措/节点',
	leadUnit: '牵头单位',
	coUnits: '配合单位',
	leader: '责任领导',
	dueOn: '完成时限',
	progress: '本月进展',
	problems: '存在问题',
	nextSteps: '下步打算',
	evidence: '佐证材料',
	status: '进度/亮灯',
	remark: '备注'
} as const;
export type LedgerColumn = keyof typeof ledgerHeaders;

export type Column = { key: LedgerColumn; header: string; width: number; value: (row: SummaryRow) => string | number };

const column = (key: LedgerColumn, width: number, value: Column['value']): Column => ({ key, header: ledgerHeaders[key], width, value });

/**
 * The columns with their dates spelt by `dateText`: a ledger file (Excel, CSV) writes them as the
 * import reads them best (2026-11-20), a Word 公文 as prose writes them (2026年11月20日), so that one
 * document never mixes the two (docs/domain.md).
 */
function columnsWithDates(dateText: DateText): Column[] {
	return [
		column('no', 6, (r) => r.no),
		column('item', 22, (r) => `${r.code} ${r.title}`),
		column('measures', 30, (r) => measuresText(r.measures, dateText)),
		column('leadUnit', 14, (r) => (r.leadUnit ? `★${r.leadUnit}` : '')),
		column('coUnits', 18, (r) => r.coUnits.join('、')),
		column('leader', 12, (r) => r.leader ?? ''),
		column('dueOn', 13, (r) => (r.dueOn ? dateText(r.dueOn) : '')),
		column('progress', 36, (r) => r.progress),
		column('problems', 24, (r) => r.problems),
		column('nextSteps', 24, (r) => r.nextSteps),
		// Evidence of the milestones met, apart from the system's remarks: the import reads it from here.
		column('evidence', 22, (r) => r.evidence),
		column('status', 14, (r) => r.status),
		column('remark', 18, (r) => r.remark)
	];
}

/** The ledger's columns (Excel, CSV), which the import reads back. */
export const summaryColumns = columnsWithDates(isoDate);

/** The same columns as a Word 公文 prints them. */
export const documentColumns = columnsWithDates((date) => formatDate(date, 'zh-CN'));

type UnitRow = import('./summary').MonthlySummary['units'][number];

/** The columns of the per-unit table (各单位情况). */
export const unitColumns: { header: string; width: number; value: (u: UnitRow) => string | number }[] = [
	{ header: '牵头单位', width: 22, value: (u) => u.unit },
	{ header: '牵头任务', width: 10, value: (u) => u.items },
	{ header: '已销号', width: 10, value: (u) => u.closed },
	{ header: '销号率', width: 10, value: (u) => percent(u.closureRate) },
	{ header: '有逾期', width: 10, value: (u) => u.overdue },
	{ header: '本月按时报送', width: 14, value: (u) => (u.onTimeRate === null ? '—' : `${u.onTime}/${u.due}`) }
];

/** The rows grouped in order of first appearance (theme or lead unit), as printed tables group them. */
export function groups(rows: SummaryRow[]): { name: string; rows: SummaryRow[] }[] {
	const out: { name: string; rows: SummaryRow[] }[] = [];
	for (const row of rows) {
		const last = out.at(-1);
		if (last && last.name === row.group) last.rows.push(row);
		else out.push({ name: row.group, rows: [row] });
	}
	return out;
}

/** The 月报's title as a document prints it, on two lines. */
export function summaryTitleLines(month: string): string[] {
	return ['苏州市重点任务推进情况月报', `（${month.slice(0, 4)}年${Number(month.slice(5, 7))}月）`];
}

export function summaryTitle(month: string): string {
	return summaryTitleLines(month).join('');
}

/**
 * The moment a 月报 file is dated by, in its properties and its zip: the start of the day it counts
 * to, never the moment it was downloaded, so that a closed month's file is the same file every time.
 */
export const summaryMoment = (s: { asOf: CalendarDate }): Date => new Date(startOfSuzhouDay(s.asOf));

/** The 月报's annexes (附件), headed so in the circular and on the ledger's sheets. */
export const annexTitles = { lagging: '附件1：滞后事项清单', evidence: '附件2：佐证材料清单' } as const;

/** Whether a sheet's title names an annex (…·附件1：…): its columns are the ledger's, but it is none. */
export const isAnnexTitle = (title: string): boolean => /附件\d*[：:]/.test(title);

/** The summary in sentences, for the head of the circular and the page. */
export function summaryParagraphs(s: import('./summary').MonthlySummary): string[] {
	const lights = s.summary.lights.map((l) => `${l.label} ${l.count} 项（${l.percent}%）`).join('，');
	const paces = s.summary.paces
		.filter((p) => p.count > 0)
		.map((p) => `${p.label} ${p.count} 项（${p.percent}%）`)
		.join('，');
	return [
		`截至${formatDate(s.asOf, 'zh-CN')}，纳入跟踪的重点任务共 ${s.summary.total} 项。其中${lights}；${paces}。`,
		`本月完成（销号）任务 ${s.summary.completed.length} 项；完成时间节点 ${s.summary.milestonesMet} 个${s.summary.milestonesMetEarlier ? `（其中补报此前完成 ${s.summary.milestonesMetEarlier} 个）` : ''}，本月到期未完成节点 ${s.summary.milestonesMissed} 个；下月到期节点 ${s.summary.dueNextMonth.length} 个。`,
		`本月未报送进展的任务 ${s.summary.reportsMissing.length} 项；亮灯较上月变化的任务 ${s.summary.changes.length} 项。`
	];
}

type EvidenceFileRow = import('./summary').MonthlySummary['evidenceFiles'][number] & { no: number };

/** The columns of the annex of evidence files (佐证材料清单): each file of a milestone met in the month. */
export const evidenceColumns: { header: string; width: number; value: (f: EvidenceFileRow) => string | number }[] = [
	{ header: '序号', width: 6, value: (f) => f.no },
	{ header: '重点任务', width: 26, value: (f) => `${f.code} ${f.title}` },
	{ header: '时间节点', width: 30, value: (f) => f.milestone },
	{ header: '文件名', width: 26, value: (f) => f.fileName },
	{ header: '大小', width: 10, value: (f) => formatBytes(f.size) },
	{ header: 'SHA-256', width: 66, value: (f) => f.sha256 }
];
