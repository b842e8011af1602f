/**
 * 通报: the office's monthly circular, made from the month's summary as a Word 公文. It ranks the
 * units (按时报送, 销号, 逾期), names the red items with why, and reports the month's slips: how many
 * of each kind, which are answered and which are not. Made in Chinese (inDocumentLanguage).
 */
import { percent } from '$lib/progress';
import { byChineseName } from '$lib/order';
import { Paragraph, TableRow } from 'docx';
import { formatDate, startOfSuzhouDay } from '$lib/dates';
import { reportsOwed } from '$lib/reporting-calendar';
import { slipColours, slipKindLabels } from '$lib/slips';
import { issuingOffice } from '../config';
import { summaryParagraphs } from '../monthly/columns';
import type { MonthlySummary } from '../monthly/summary';
import type { RegisterRow } from '../slip-register';
import { body, heading, letterSection, officeBanner, officialDocx, run, signature, table, textCell, title } from './official-document';

type UnitRow = MonthlySummary['units'][number];

/**
 * 排名: on-time reporting first, then closure, then fewest overdue. A unit with no report due this
 * month (its items all closed, or none begun yet) missed nothing: it ranks with the units that sent
 * every report, by its closure, not after the units that were late.
 */
export function rankUnits(units: UnitRow[]): UnitRow[] {
	return [...units].sort(
		(a, b) =>
			(b.onTimeRate ?? 1) - (a.onTimeRate ?? 1) || b.closureRate - a.closureRate || a.overdue - b.overdue || byChineseName(a.unit, b.unit)
	);
}

/** The 通报's title as it prints, on two lines. */
export function circularTitleLines(month: string): string[] {
	return [`关于${month.slice(0, 4)}年${Number(month.slice(5, 7))}月全市重点任务`, '推进情况的通报'];
}

export function circularTitle(month: string): string {
	return circularTitleLines(month).join('');
}

const joined = (names: string[]) => names.join('、');
/** A remark as a sentence: ended with a full stop unless it ends with one already. */
const sentence = (text: string) => (/[。！？]$/.test(text) ? text : `${text}。`);

/**
 * `issued`: the number and signing date the office gave the circular (circulars.ts); without them it
 * prints no number and is dated the month's last day.
 */
export async function circularDocx(
	s: MonthlySummary,
	slips: RegisterRow[],
	issued: { docNumber: string; signedOn: string } | null,
	office = issuingOffice()
): Promise<Buffer> {
	const ranked = rankUnits(s.units);
	const allOnTime = ranked.filter((u) => u.onTimeRate === 1).map((u) => u.unit);
	const late = ranked.filter((u) => u.onTimeRate !== null && u.onTimeRate < 1).map((u) => `${u.unit}（${u.onTime}/${u.due}）`);
	const withOverdue = ranked.filter((u) => u.overdue > 0).map((u) => `${u.unit}（${u.overdue} 项）`);
	const red = s.rows.filter((r) => r.light === 'red');
	const unanswered = slips.filter((sl) => sl.state === 'overdue');

	const unitRows = ranked.map(
		(u, i) =>
			new TableRow({
				cantSplit: true,
				children: [
					textCell(i + 1),
					textCell(u.unit),
					textCell(u.items),
					textCell(u.onTimeRate === null ? '—' : `${u.onTime}/${u.due}`),
					textCell(percent(u.closureRate)),
					textCell(u.overdue)
				]
			})
	);
	const slipCounts = slipColours
		.map((c) => ({ c, n: slips.filter((sl) => sl.colour === c && sl.state !== 'voided').length }))
		.filter((x) => x.n > 0)
		.map((x) => `${slipKindLabels[x.c]} ${x.n} 份`);
	const answered = slips.filter((sl) => sl.state === 'answered').length;

	const children = [
		...officeBanner(office, issued?.docNumber),
		title(circularTitleLines(s.month)),
		new Paragraph({ spacing: { before: 240 }, children: [run('各市（区）人民政府，市各有关部门和单位：')] }),
		body(`现将${s.month.slice(0, 4)}年${Number(s.month.slice(5, 7))}月全市重点任务推进情况通报如下。`),
		// A month not over is a draft of its circular: it says so, as the 月报 does.
		...(s.closed ? [] : [body(`（统计截至${formatDate(s.asOf, 'zh-CN')}，本月尚未结束，数据仍会变化。）`)]),
		heading('一、总体情况'),
		...summaryParagraphs(s).map((p) => body(p)),
		heading('二、各单位推进情况'),
		...(!reportsOwed(s.closed, s.asOf, s.dueOn)
			? [body(`本月进展报送截止日为${formatDate(s.dueOn, 'zh-CN')}，尚未到期，按时报送情况在截止日后统计。`)]
			: [
					body(
						allOnTime.length
							? `本月按时报送全部进展的单位有：${joined(allOnTime)}，共 ${allOnTime.length} 个。`
							: '本月没有按时报送全部进展的单位。'
					),
					body(late.length ? `未按时报送全部进展的单位有：${joined(late)}（按时报送数/应报送数）。` : '各单位均按时报送了本月进展。')
				]),
		body(withOverdue.length ? `存在逾期事项的单位有：${joined(withOverdue)}。` : '本月各单位无逾期事项。'),
		body(
			ranked.some((u) => u.onTimeRate === null)
				? '各单位排名见下表（按按时报送率、销号率、逾期事项数依次排序；本月无应报送进展的单位，按时报送栏记“—”，视同全部按时报送）。'
				: '各单位排名见下表（按按时报送率、销号率、逾期事项数依次排序）。'
		),
		table(['排名', '牵头单位', '牵头任务', '按时报送', '销号率', '有逾期'], unitRows, {
			widths: [1, 4, 1.4, 1.6, 1.4, 1.2],
			page: 'portrait',
			size: 21
		}),
		heading('三、红灯事项'),
		...(red.length
			? red.map((r, i) => body(`（${i + 1}）${r.code} ${r.title}，牵头单位${r.leadUnit ?? '未定'}。${sentence(r.remark || r.status)}`))
			: [body('本月无红灯事项。')]),
		heading('四、督办情况'),
		body(
			slips.length
				? `本月签发${joined(slipCounts)}，已反馈 ${answered} 份${unanswered.length ? `；逾期未反馈 ${unanswered.length} 份：${joined(unanswered.map((sl) => `${sl.number}（${sl.unitName}）`))}` : ''}。`
				: '本月未签发督办单。'
		),
		heading('五、下步工作要求'),
		body(
			'各责任单位要对照时间节点逐项推进，红灯事项的牵头单位要逐项分析原因、制定整改措施，确保按期完成；收到督办单的单位要在反馈时限内书面反馈办理情况。我办将持续跟踪，并在下月通报中反映整改情况。',
			{ keepNext: true }
		),
		...signature(office, formatDate(issued?.signedOn ?? s.asOf, 'zh-CN'))
	];
	return officialDocx(
		{ creator: office, title: circularTitle(s.month) },
		[letterSection(children)],
		new Date(startOfSuzhouDay(issued?.signedOn ?? s.asOf))
	);
}
