/**
 * The monthly summary as an Excel ledger (exceljs), each sheet a document of its own as printed
 * (documents/sheet.ts). The ledger sheet (月报) groups its rows by theme or unit, marks lead units
 * with ★ and colours the light.
 */
import { formatDate } from '$lib/dates';
import type { Light } from '$lib/lights';
import {
	annexTitles,
	evidenceColumns,
	groups,
	summaryColumns,
	summaryMoment,
	summaryParagraphs,
	summaryTitle,
	unitColumns
} from './columns';
import type { MonthlySummary, SummaryRow } from './summary';
import { documentSheet, streamedWorkbook, type SheetColumn } from '../documents/sheet';
import { issuingOffice } from '../config';

const lightFill: Record<Light, string> = { green: 'FFC6EFCE', yellow: 'FFFFEB9C', red: 'FFFFC7CE' };

export async function summaryXlsx(s: MonthlySummary): Promise<Buffer> {
	const { book, file } = streamedWorkbook(summaryMoment(s), issuingOffice());
	const asOf = `统计截至${formatDate(s.asOf, 'zh-CN')}${s.closed ? '' : '（本月尚未结束）'}`;
	const title = summaryTitle(s.month);

	// The ledger's summary opens with the moment it was counted (截至…).
	const ledger = documentSheet(book, '月报', title, summaryParagraphs(s).join(''), summaryColumns);
	const statusColumn = summaryColumns.findIndex((c) => c.key === 'status') + 1;
	for (const group of groups(s.rows)) {
		ledger.addGroup(group.name);
		for (const row of group.rows) ledger.addRow(row, { [statusColumn]: lightFill[row.light] });
	}
	ledger.done();

	const units = documentSheet(book, '单位情况', `${title}·各单位情况`, asOf, [
		{ header: '序号', width: 6, value: (u: MonthlySummary['units'][number] & { no: number }) => u.no },
		...unitColumns
	]);
	s.units.forEach((u, i) => units.addRow({ ...u, no: i + 1 }));
	units.done();

	const annex = documentSheet(book, '滞后事项', `${title}·${annexTitles.lagging}`, asOf, summaryColumns as SheetColumn<SummaryRow>[]);
	for (const row of s.lagging) annex.addRow(row);
	if (s.lagging.length === 0) annex.addNote('本月无滞后事项。');
	annex.done();

	const files = documentSheet(book, '佐证材料', `${title}·${annexTitles.evidence}`, asOf, evidenceColumns);
	s.evidenceFiles.forEach((f, i) => files.addRow({ ...f, no: i + 1 }));
	if (s.evidenceFiles.length === 0) files.addNote('本月完成的时间节点没有上传佐证材料文件。');
	files.done();
	return file();
}
