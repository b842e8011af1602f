/**
 * The monthly summary as a Word circular (the `docx` package), laid out as a 公文
 * (documents/official-document.ts): the letter on a portrait page, then the tables on A4 landscape
 * pages in 宋体 小五, with their header repeated on every page and no row split across pages.
 */
import { AlignmentType, PageOrientation, Paragraph, TableRow, type ISectionOptions } from 'docx';
import { formatDate } from '$lib/dates';
import type { Light } from '$lib/lights';
import {
	annexTitles,
	evidenceColumns,
	documentColumns,
	groups,
	summaryParagraphs,
	summaryMoment,
	summaryTitle,
	summaryTitleLines,
	unitColumns,
	type LedgerColumn
} from './columns';
import type { MonthlySummary } from './summary';
import { issuingOffice } from '../config';
import {
	body,
	FONT,
	heading,
	letterSection,
	MM,
	officeBanner,
	officialDocx,
	pageNumberFooter,
	run,
	signature,
	table,
	textCell,
	title
} from '../documents/official-document';

const lightShade: Record<Light, string> = { green: 'C6EFCE', yellow: 'FFEB9C', red: 'FFC7CE' };

/**
 * Rows a table of the circular carries. A Word table of a province's every item (20,000 rows, some
 * thousand pages) took 28 s and 3.8 GB to write, the server answering no one meanwhile, and nobody
 * files such a circular: past this, a table lists its first rows and says where all of them are, the
 * month's Excel ledger. A city's few hundred items are all listed.
 */
export const WORD_TABLE_ROWS = 1000;

export async function summaryDocx(s: MonthlySummary, office = issuingOffice(), most = WORD_TABLE_ROWS): Promise<Buffer> {
	/** The first `most` of a table's rows, and the line saying so when there are more (`measure`: 项 of 任务, 个 of 文件). */
	const firstOf = <T>(list: T[], measure: string, things: string) => ({
		rows: list.slice(0, most),
		cut:
			list.length > most
				? [body(`本表列出前 ${most} ${measure}，共 ${list.length} ${measure}；全部${things}见同月月报的 Excel 台账。`)]
				: []
	});
	const main = firstOf(s.rows, '项', '任务');
	const lagging = firstOf(s.lagging, '项', '任务');
	const files = firstOf(s.evidenceFiles, '个', '文件');
	const lightIndex = documentColumns.findIndex((c) => c.key === 'status');
	const row = (r: MonthlySummary['rows'][number], shadeLight: boolean) =>
		new TableRow({
			cantSplit: true,
			children: documentColumns.map((c, i) => textCell(c.value(r), shadeLight && i === lightIndex ? { shade: lightShade[r.light] } : {}))
		});
	const mainRows = groups(main.rows).flatMap((g) => [
		new TableRow({ cantSplit: true, children: [textCell(g.name, { bold: true, shade: 'F2F2F2', span: documentColumns.length })] }),
		...g.rows.map((r) => row(r, true))
	]);
	const unitRows = s.units.map((u) => new TableRow({ cantSplit: true, children: unitColumns.map((c) => textCell(c.value(u))) }));
	const issuedOn = formatDate(s.asOf, 'zh-CN');
	// Word's cell margins take some 4 mm of every column: 序号 gets room for its header and four digits
	// (at the ledger's widths it wrapped "12" into "1" over "2"), and 完成时限 for a date written in
	// Chinese on two lines (2027年12月 / 31日, not four), both taken from 本月进展, the widest.
	const wordWidth: Partial<Record<LedgerColumn, number>> = { no: 11, dueOn: 20, progress: 24 };
	const widths = documentColumns.map((c) => wordWidth[c.key] ?? c.width);

	const letter = letterSection([
		...officeBanner(office),
		title(summaryTitleLines(s.month)),
		new Paragraph({
			alignment: AlignmentType.CENTER,
			spacing: { after: 240 },
			children: [run(`（统计截至${issuedOn}${s.closed ? '' : '，本月尚未结束'}）`, { font: FONT.kai })]
		}),
		heading('一、总体情况'),
		...summaryParagraphs(s).map((p) => body(p)),
		body('重点任务推进情况、各单位情况见附表，滞后事项清单和佐证材料清单见附件。', { keepNext: true }),
		...signature(office, issuedOn)
	]);
	const landscape = { orientation: PageOrientation.LANDSCAPE };
	const margin = { top: 20 * MM, bottom: 20 * MM, left: 20 * MM, right: 20 * MM };
	const section = (children: ISectionOptions['children']): ISectionOptions => ({
		properties: { page: { size: landscape, margin } },
		footers: { default: pageNumberFooter },
		children
	});
	const tables = section([
		heading('二、重点任务推进情况'),
		table(
			documentColumns.map((c) => c.header),
			mainRows,
			{ widths }
		),
		...main.cut,
		heading('三、各单位情况'),
		table(
			unitColumns.map((c) => c.header),
			unitRows
		)
	]);
	// 附件 begins on a page of its own (a section starts a new page).
	const annex = section([
		heading(annexTitles.lagging),
		...(s.lagging.length
			? [
					table(
						documentColumns.map((c) => c.header),
						lagging.rows.map((r) => row(r, false)),
						{ widths }
					),
					...lagging.cut
				]
			: [body('本月无滞后事项。')]),
		heading(annexTitles.evidence),
		...(s.evidenceFiles.length
			? [
					table(
						evidenceColumns.map((c) => c.header),
						files.rows.map(
							(f, i) => new TableRow({ cantSplit: true, children: evidenceColumns.map((c) => textCell(c.value({ ...f, no: i + 1 }))) })
						),
						{ widths: evidenceColumns.map((c) => c.width) }
					),
					...files.cut
				]
			: [body('本月完成的时间节点没有上传佐证材料文件。')])
	]);
	return officialDocx({ creator: office, title: summaryTitle(s.month) }, [letter, tables, annex], summaryMoment(s));
}
