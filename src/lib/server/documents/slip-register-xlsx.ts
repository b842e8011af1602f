/** The register of slips (督办单登记簿) as a spreadsheet the office prints and files; made in Chinese (inDocumentLanguage). */
import { formatDate, formatInstant, startOfSuzhouDay, type CalendarDate } from '$lib/dates';
import { issuingOffice } from '../config';
import { slipKindLabels, slipStateLabels } from '$lib/slips';
import type { RegisterRow } from '../slip-register';
import { documentSheet, streamedWorkbook, type SheetColumn } from './sheet';

const columns: SheetColumn<RegisterRow & { no: number }>[] = [
	{ header: '序号', width: 6, value: (r) => r.no },
	{ header: '文号', width: 20, value: (r) => r.number },
	{ header: '类别', width: 10, value: (r) => slipKindLabels[r.colour] },
	{ header: '督办事项', width: 34, value: (r) => `${r.code} ${r.title}` },
	{ header: '主送单位', width: 18, value: (r) => r.unitName },
	{ header: '签发日期', width: 14, value: (r) => formatDate(r.issuedOn, 'zh-CN') },
	{ header: '反馈时限', width: 14, value: (r) => formatDate(r.replyBy, 'zh-CN') },
	{ header: '状态', width: 12, value: (r) => slipStateLabels[r.state] },
	{ header: '反馈情况', width: 40, value: (r) => (r.voidedAt ? `作废：${r.voidReason ?? ''}` : (r.reply ?? '')) },
	{ header: '反馈时间', width: 18, value: (r) => (r.repliedAt ? formatInstant(r.repliedAt, 'zh-CN') : '') }
];

export async function slipRegisterXlsx(rows: RegisterRow[], scope: string, today: CalendarDate): Promise<Buffer> {
	const { book, file } = streamedWorkbook(new Date(startOfSuzhouDay(today)), issuingOffice());
	const sheet = documentSheet(
		book,
		'督办单登记簿',
		'督办单登记簿',
		`${scope}（统计截至${formatDate(today, 'zh-CN')}，共 ${rows.length} 件）`,
		columns
	);
	rows.forEach((r, i) => sheet.addRow({ ...r, no: i + 1 }));
	if (rows.length === 0) sheet.addNote('（无）');
	sheet.done();
	return file();
}
