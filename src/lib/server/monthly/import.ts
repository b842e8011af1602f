/**
 * Import of a filled-in monthly ledger (.xlsx or .csv, as exported): 本月进展 / 存在问题 / 下步打算
 * and milestones met. Reading checks the file's shape and month; planning checks every row against
 * the database and lists every problem by row and column; applying re-plans and, only when nothing
 * is wrong, saves every row as a submitted report in one transaction — the same path and the same
 * review as a report written in the form.
 *
 * A milestone is marked met by a line `✓ 节点名称（YYYY-MM-DD）` in 具体举措/节点 (ledger-format.ts reads
 * the ticks, brackets and dates people type); its evidence is the
 * row's 佐证材料 (required then); 备注 holds the system's remarks and is never read.
 */
import { endOfSuzhouDay, formatDate, isCalendarDate, lastDayOf, monthOf, type CalendarDate, type Month } from '$lib/dates';
import type { SessionUser } from '../auth/sessions';
import type { Db, Tx } from '../db';
import type { ChangeContext } from '../history';
import { initiativeIdByCode } from '../initiatives';
import { itemState, type ItemState } from '../item-state';
import { hiddenReason } from '../evidence/read';
import { isLeadUnitStaff, mayReadDraft } from '../workflow/access';
import { WorkflowError } from '../workflow/errors';
import { checkReportMonth, milestonesReportedMet, saveReport } from '../workflow/reports';
import { isAnnexTitle, ledgerHeaders, summaryColumns, summaryTitle, summaryTitleLines } from './columns';
import type { SummaryRow } from './summary';
import { unitName } from '../units';
import {
	evidenceCell,
	excelSerialDate,
	looksLikeMetLine,
	readFileReferences,
	readLedgerDate,
	readLedgerMonth,
	readMetLine
} from './ledger-format';
import { completedBeforeRecordedIn, listedAsMetIn } from './met-in-month';
import { cellKey, cellRange, ledgerKind, ledgerTable, type LedgerTable } from './ledger-file';
import { xmlSafeText } from '../xml-safe-text';
import { withoutBlankEnds } from '../forms';
import { m } from '$lib/i18n';
import { quoted } from '$lib/chinese-quotes';
import { EVIDENCE_MAX, REPORT_TEXT_MAX } from '$lib/report-limits';

export type ImportRow = {
	/** The line of the file (1-based), for messages. */
	line: number;
	code: string;
	progress: string;
	problems: string;
	nextSteps: string;
	completions: { title: string; date: string }[];
	evidence: string;
	/** The version of the item's report for the month when the preview was shown (null: none then). */
	seenVersion?: number | null;
	/** What the row holds in the columns the import does not read (`unreadColumns`), to say when it differs from the item (none: the file has none of them). */
	unread?: Partial<Record<UnreadColumn, string>>;
};

/**
 * Columns the ledger prints of an item that the import does not read: the office keeps them on the
 * item's page (a deadline moves by an extension, 延期申请). A cell changed in one is said in the
 * preview, never passed over as if it had been taken.
 */
const unreadColumns = ['item', 'leadUnit', 'coUnits', 'leader', 'dueOn'] as const;
type UnreadColumn = (typeof unreadColumns)[number];

/** A problem with a row (nothing is imported while there is one), or a note on it (said, and the rest imported). */
export type ImportIssue = { line: number; column: string; message: string };

export type PlannedChange = {
	line: number;
	code: string;
	title: string;
	fields: { field: 'progress' | 'problems' | 'nextSteps'; before: string; after: string }[];
	milestones: { title: string; date: string }[];
	/** Milestones the report already reports met that the ledger does not name: they stay, as they are. */
	kept: KeptMilestone[];
	/** The evidence (佐证材料) the milestones met are reported with. */
	evidence: string;
	/** Files uploaded before that the evidence names (`文件：名称`), attached with the milestones met. */
	files: { name: string; size: number }[];
	/** The report's texts as the import submits them: the file's, else what the importer may read of the report. */
	texts: { progress: string; problems: string; nextSteps: string };
	/** The version of the month's report the change was planned against (null: no report yet). */
	reportVersion: number | null;
};

/** The columns the import reads, found by the headers the export writes (columns.ts). */
const readColumns = ['item', 'measures', 'progress', 'problems', 'nextSteps', 'evidence'] as const;
const required = readColumns.map((key) => ledgerHeaders[key]);
type Header = (typeof required)[number];

/**
 * An item's code at the start of a 重点任务 cell, as the export writes it (`YRD-01 打造…`) or as people
 * retype it: in full width from a Chinese input method (ＹＲＤ－０１) or in lower case.
 */
const ITEM_CODE = /^[A-Za-zＡ-Ｚａ-ｚ]{2,6}[-－][\d０-９]{2,3}(?![\d０-９])/;

function itemCodeIn(task: string): string | null {
	const code = ITEM_CODE.exec(task)?.[0];
	return code ? code.normalize('NFKC').toUpperCase() : null;
}

/**
 * The milestones a 具体举措/节点 cell reports met, and its first tick line that cannot be read (named
 * once: a cell of thousands of such lines is one error, not thousands). Kept by text for the file
 * (`read`): an .xlsx may give one shared text of 20,000 characters to every row.
 */
type MetLines = { completions: { title: string; date: string }[]; unreadable?: string };
function metLines(cell: string, known: Map<string, MetLines>): MetLines {
	const before = known.get(cell);
	if (before) return { ...before, completions: [...before.completions] };
	const read: MetLines = { completions: [] };
	for (const line of cell.split('\n')) {
		if (!looksLikeMetLine(line)) continue;
		const met = readMetLine(line);
		if (met) read.completions.push(met);
		else read.unreadable ??= line.trim();
	}
	known.set(cell, read);
	return { ...read, completions: [...read.completions] };
}

function rowsFromTable(table: LedgerTable, headerIndex: number): { rows: ImportRow[]; issues: ImportIssue[] } {
	const header = table.cells[headerIndex].map((h) => h.trim());
	const col = Object.fromEntries(required.map((h) => [h, header.indexOf(h)])) as Record<Header, number>;
	const readLines = new Map<string, MetLines>();
	const unreadAt = Object.fromEntries(unreadColumns.map((key) => [key, header.indexOf(ledgerHeaders[key])])) as Record<
		UnreadColumn,
		number
	>;
	const rows: ImportRow[] = [];
	const issues: ImportIssue[] = [];
	for (let i = headerIndex + 1; i < table.cells.length; i++) {
		const cells = table.cells[i];
		// Trimmed as a form's text is, invisible characters too: a cell of them alone is empty (`withoutBlankEnds`).
		const get = (h: Header) => withoutBlankEnds(cells[col[h]] ?? '');
		const line = i + 1;
		const task = get('重点任务');
		const code = itemCodeIn(task);
		const written =
			(['本月进展', '存在问题', '下步打算', '佐证材料'] as const).some((h) => get(h) !== '') ||
			get('具体举措/节点').split('\n').some(looksLikeMetLine);
		if (!code) {
			// Group rows, blank lines and notes have no code; a row someone reported in must have one.
			if (written) issues.push({ line, column: '重点任务', message: m.import_row_without_code({ text: quoted(task.slice(0, 30)) }) });
			continue;
		}
		// A number, a date or a truth value is not read as the text its cell showed: refused, not guessed.
		for (const h of required) {
			if (table.typed.has(cellKey(i, col[h])) && get(h) !== '') issues.push({ line, column: h, message: m.import_cell_not_text() });
		}
		const { completions, unreadable } = metLines(get('具体举措/节点'), readLines);
		if (unreadable !== undefined)
			issues.push({ line, column: '具体举措/节点', message: m.import_completion_format({ text: quoted(unreadable.slice(0, 40)) }) });
		const unread = Object.fromEntries(
			unreadColumns.filter((key) => unreadAt[key] >= 0).map((key) => [key, unreadText(table, i, key, unreadAt)])
		);
		rows.push({
			line,
			code,
			unread,
			progress: get('本月进展'),
			problems: get('存在问题'),
			nextSteps: get('下步打算'),
			completions,
			evidence: get('佐证材料')
		});
	}
	issues.push(...mergedCellIssues(table, rows, Object.values(col), header));
	unreadThroughMerges(table, rows, unreadAt);
	return { rows, issues };
}

/**
 * A cell of a column the import does not read, as Excel shows it: a date typed as a date (which the
 * file keeps as a day count, 46752) as a date.
 */
function unreadText(table: LedgerTable, row: number, key: UnreadColumn, at: Record<UnreadColumn, number>): string {
	const text = withoutBlankEnds(table.cells[row]?.[at[key]] ?? '');
	return key === 'dueOn' && table.typed.has(cellKey(row, at[key])) ? (excelSerialDate(text) ?? text) : text;
}

/**
 * The cells of columns the import does not read that a merge covers, as Excel shows them: the merged
 * text, kept in the range's first cell (牵头单位 merged over a unit's items is that unit on each row,
 * not an empty cell to note).
 */
function unreadThroughMerges(table: LedgerTable, rows: ImportRow[], at: Record<UnreadColumn, number>) {
	// Each item row's cell takes one range's text: ranges that overlap (no program writes them) are not walked twice.
	const taken = new Set<string>();
	for (const ref of table.merged) {
		const range = cellRange(ref);
		if (!range) continue;
		for (const key of unreadColumns.filter((k) => at[k] >= range.left && at[k] <= range.right)) {
			const shown = unreadText(table, range.top, key, { ...at, [key]: range.left });
			for (let i = firstRowFrom(rows, range.top); i < rows.length && rows[i].line - 1 <= range.bottom; i++) {
				const row = rows[i];
				const line = row.line - 1;
				if (taken.has(`${i}:${key}`)) break;
				taken.add(`${i}:${key}`);
				if (row.unread && (line !== range.top || at[key] !== range.left)) row.unread[key] = shown;
			}
		}
	}
}

/** The index of the first of `rows` (in the file's order) at or below the table's row `top` (from 0). */
function firstRowFrom(rows: ImportRow[], top: number): number {
	let lo = 0;
	for (let hi = rows.length; lo < hi;) {
		const mid = (lo + hi) >> 1;
		if (rows[mid].line - 1 < top) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * Cells merged over an item's cell that the import reads: Excel shows the merged text in every cell
 * of the range, the file holds it in the first (top left) only, so the others would read as empty
 * (two items' 本月进展 merged into one: the second item's text lost without a word). Said, on the
 * first such cell of each range. A range of one item's own (the export merges a long text's row over
 * the rows below it, which have no item) is no problem.
 */
function mergedCellIssues(table: LedgerTable, rows: ImportRow[], readColumns: number[], header: string[]): ImportIssue[] {
	const itemRows = rows.map((r) => r.line - 1);
	const issues: ImportIssue[] = [];
	for (const ref of table.merged) {
		const range = cellRange(ref);
		if (!range) continue;
		const columns = readColumns.filter((c) => c >= range.left && c <= range.right);
		if (columns.length === 0) continue;
		// The item rows within the range, from the first at or below its top (the rows are in order).
		for (let i = firstRowFrom(rows, range.top); i < itemRows.length && itemRows[i] <= range.bottom; i++) {
			const row = itemRows[i];
			const column = columns.find((c) => row !== range.top || c !== range.left);
			if (column === undefined) continue;
			const first = ref.split(':')[0];
			issues.push({ line: row + 1, column: header[column], message: m.import_merged_cell({ range: ref, first }) });
			break;
		}
	}
	return issues;
}

function findHeader(table: string[][]): number {
	return table.findIndex((r) => required.every((h) => r.map((c) => c.trim()).includes(h)));
}

/** Reads an uploaded ledger; refuses a file of the wrong kind, shape or month with one reason. */
export async function readImportFile(name: string, bytes: Uint8Array, month: Month): Promise<{ rows: ImportRow[]; issues: ImportIssue[] }> {
	const kind = ledgerKind(name);
	if (!kind) {
		const extension = /\.[^./\\]{1,10}$/.exec(name)?.[0].toLowerCase();
		throw new WorkflowError('file', extension ? m.import_wrong_type({ extension }) : m.import_no_extension());
	}
	const table = await ledgerTable(kind, bytes);
	const title = table.cells[0]?.[0] ?? '';
	// The workbook's layout (a title, then the header), also when a CSV was saved from it (LibreOffice
	// and Excel keep its rows), or the CSV's own (each line led by its month).
	if (kind === 'xlsx' || title.includes(summaryTitleLines(month)[0])) {
		// Brackets of either width: ledgers exported before the title took full-width ones still read.
		const plain = (text: string) => text.replace(/（/g, '(').replace(/）/g, ')');
		if (!plain(title).includes(plain(summaryTitle(month)).slice(-10))) {
			throw new WorkflowError('file', m.import_wrong_title({ month, title: title.slice(0, 40) }));
		}
		// An annex (滞后事项清单) has the ledger's columns, but only some of its rows: the ledger's edits would be missed.
		if (isAnnexTitle(title)) throw new WorkflowError('file', m.import_annex_sheet({ title: title.slice(0, 60) }));
	} else {
		// The month column, in any of the spellings people type; what was found is named when refused.
		const found = table.cells
			.slice(1)
			.map((r) => r[0]?.trim() ?? '')
			.filter(Boolean);
		const months = new Set(found.map(readLedgerMonth).filter((x) => x !== null));
		if (months.size !== 1 || !months.has(month)) {
			const shown = months.size ? [...months] : [...new Set(found)].slice(0, 3).map((v) => `“${v.slice(0, 20)}”`);
			throw new WorkflowError('file', m.import_wrong_months({ month, months: shown.join(m.list_separator()) || m.value_empty() }));
		}
	}
	const headerIndex = findHeader(table.cells);
	if (headerIndex < 0) throw new WorkflowError('file', m.import_no_header({ columns: required.join('、') }));
	// A column the import reads, found twice (a copy pasted beside it): which one is meant is not guessed.
	const header = table.cells[headerIndex].map((h) => h.trim());
	const twice = required.find((h) => header.indexOf(h) !== header.lastIndexOf(h));
	if (twice) throw new WorkflowError('file', m.import_header_twice({ column: twice, count: header.filter((h) => h === twice).length }));
	const read = rowsFromTable(table, headerIndex);
	if (read.rows.length === 0) throw new WorkflowError('file', m.import_no_rows());
	return read;
}

type Completion = { title: string; date: string };

/**
 * The milestone met before that a completion line names, or null when it names one still open (or
 * none). Two milestones may share a title (a yearly task): one done before does not hide a new line
 * for the one still open.
 */
function metBefore(state: ItemState, c: Completion): ItemState['milestones'][number] | null {
	const done = state.milestones.filter((m) => m.completedOn !== null && m.title === c.title);
	const sameDay = done.find((m) => m.completedOn === c.date);
	if (sameDay) return sameDay;
	return done.length === 0 || state.milestones.some((m) => m.completedOn === null && m.title === c.title) ? null : done[0];
}

/**
 * The completion lines of a row that say something new. A line naming a completed milestone is no
 * change: as the ledger wrote it (its title and completion date), or with another date when no
 * milestone of that title is open (the office corrected the date after the export).
 */
function newCompletions(state: ItemState, completions: Completion[]): Completion[] {
	return completions.filter((c) => metBefore(state, c) === null);
}

/** The 佐证材料 cell the month's ledger writes for an item (`evidenceCell`), of the milestones it lists as met. */
function exportedEvidence(db: Tx, state: ItemState, month: Month): string {
	const recordedLate = completedBeforeRecordedIn(
		db,
		month,
		state.milestones.map((ms) => ms.id)
	);
	return evidenceCell(state.milestones.filter(listedAsMetIn(month, recordedLate)));
}

/**
 * The open milestone each completion line names (null: none left of that title). Lines of one title
 * take that title's open milestones one each, in the item's order, those the report already reports
 * met first (the line then is the same claim again); never one milestone twice.
 */
function openMilestonesNamed(state: ItemState, completions: Completion[], reported: { milestoneId: number }[]): (number | null)[] {
	const already = new Set(reported.map((r) => r.milestoneId));
	const open = state.milestones.filter((m) => m.completedOn === null);
	const candidates = [...open.filter((m) => already.has(m.id)), ...open.filter((m) => !already.has(m.id))];
	const taken = new Set<number>();
	return completions.map((c) => {
		const found = candidates.find((m) => m.title === c.title && !taken.has(m.id));
		if (!found) return null;
		taken.add(found.id);
		return found.id;
	});
}

/**
 * Checks every row against the database for `actor`; returns the changes, every problem found, and
 * the notes the preview says beside them (cells the import does not read, a draft replaced).
 */
export function planImport(
	db: Tx,
	actor: SessionUser,
	month: Month,
	rows: ImportRow[],
	today: CalendarDate
): { changes: PlannedChange[]; issues: ImportIssue[]; notes: ImportIssue[] } {
	const issues: ImportIssue[] = [];
	const notes: ImportIssue[] = [];
	const changes: PlannedChange[] = [];
	const seen = new Set<string>();
	for (const row of rows) {
		const problem = (column: string, message: string) => issues.push({ line: row.line, column, message });
		if (seen.has(row.code)) {
			problem('重点任务', m.import_duplicate_row({ code: row.code }));
			continue;
		}
		seen.add(row.code);
		const id = initiativeIdByCode(db, row.code);
		const state = id === null ? null : itemState(db, id, null);
		if (!state) {
			problem('重点任务', m.item_not_found({ code: row.code }));
			continue;
		}
		notes.push(...unreadEdits(db, row, state));
		const report = state.reports.find((r) => r.month === month);
		// A draft's texts are its writers' until submitted: an import by anyone else (the office) neither
		// shows them nor replaces them (`saveReport` refuses it too).
		const readable = report && (report.status !== 'draft' || mayReadDraft(actor, state)) ? report : undefined;
		// As the ledger's cell reads back (its breaks as `\n`, trimmed): a text kept otherwise is no change.
		const before = (field: 'progress' | 'problems' | 'nextSteps') =>
			readable ? withoutBlankEnds(xmlSafeText(readable[field])) : report ? m.draft_text_withheld() : '';
		const fields = (
			[
				['progress', before('progress'), row.progress],
				['problems', before('problems'), row.problems],
				['nextSteps', before('nextSteps'), row.nextSteps]
			] as const
		)
			.filter(([, before, after]) => after !== '' && before !== after)
			.map(([field, before, after]) => ({ field, before, after }));
		// Evidence belongs to the milestones met it is written for: without one it would be stored nowhere.
		if (row.evidence && row.completions.length === 0) {
			problem(ledgerHeaders.evidence, m.import_evidence_without_milestone());
			continue;
		}
		// A closed month's ledger prints the item as it stood at the month's end (kept): a line naming a
		// milestone met then, renamed or removed by the office since, is no change either. Read only for
		// a row whose lines the item as it is now does not explain (the history of one item, a few ms).
		let printedThen: ItemState | undefined;
		const printed = () =>
			(printedThen ??= month < monthOf(today) ? (itemState(db, state.item.id, endOfSuzhouDay(lastDayOf(month))) ?? state) : state);
		const milestones = newCompletions(state, row.completions).filter((c) => metBefore(printed(), c) === null);
		// Rows left as exported are no change, whoever's they are; only changed rows must be one's own,
		// and nothing more of an item is told (its milestones, its files) to one it is not.
		if (fields.length === 0 && milestones.length === 0) continue;
		if (actor.role !== 'supervisor' && !isLeadUnitStaff(actor, state)) {
			problem('重点任务', m.import_not_own_item({ code: row.code }));
			continue;
		}
		if (report && (report.status === 'submitted' || report.status === 'approved')) {
			problem(
				'本月进展',
				report.status === 'approved' ? m.import_report_approved({ code: row.code }) : m.import_report_submitted({ code: row.code })
			);
			continue;
		}
		if (report && !readable) {
			problem('本月进展', m.report_draft_of_unit({ code: row.code }));
			continue;
		}
		// A report returned to its unit is the unit's to correct (`saveReport` refuses the office too).
		if (report?.status === 'returned' && !isLeadUnitStaff(actor, state)) {
			problem('本月进展', m.import_report_returned({ code: row.code }));
			continue;
		}
		if (state.item.status !== 'active') {
			problem('重点任务', m.import_item_not_active({ code: row.code }));
			continue;
		}
		// The month the form would refuse for this item (before it started, or too long ago).
		const monthProblem = reportMonthProblem(month, state, today);
		if (monthProblem) {
			problem('重点任务', `${row.code}${m.list_intro()}${monthProblem}`);
			continue;
		}
		// A tick on a milestone met before the month, on another day than it was met on, is no line the
		// month's ledger wrote (it lists the milestones met in the month): said, not passed over.
		for (const c of row.completions) {
			const done = metBefore(state, c);
			if (done?.completedOn && done.completedOn !== c.date && monthOf(done.completedOn) < month)
				problem('具体举措/节点', m.import_milestone_met_before({ title: c.title, date: formatDate(done.completedOn) }));
		}
		// Evidence goes with the milestones met this month: with none, evidence other than the ledger
		// wrote would be stored nowhere.
		if (
			row.evidence &&
			milestones.length === 0 &&
			row.evidence !== exportedEvidence(db, state, month) &&
			row.evidence !== exportedEvidence(db, printed(), month)
		) {
			problem(ledgerHeaders.evidence, m.import_evidence_without_milestone());
			continue;
		}
		const open = state.milestones.filter((m) => m.completedOn === null);
		const reported = readable ? milestonesReportedMet(db, [readable.id]) : [];
		const named = openMilestonesNamed(state, milestones, reported);
		milestones.forEach((c, i) => {
			if (!isCalendarDate(c.date))
				problem('具体举措/节点', m.import_completion_format({ text: quoted(`${c.title}（${c.date}）`.slice(0, 40)) }));
			else if (named[i] === null) problem('具体举措/节点', m.import_no_open_milestone({ code: row.code, title: c.title }));
			else if (c.date > today) problem('具体举措/节点', m.import_completed_after_today({ date: c.date }));
			else if (state.item.startOn && c.date < state.item.startOn) problem('具体举措/节点', m.completed_before_start());
		});
		if (milestones.length && !row.evidence) problem(ledgerHeaders.evidence, m.import_evidence_missing());
		// The lengths of what the row changes, as its form would take them. A cell left as exported is no
		// change whatever its length: the month's 佐证材料 cell joins every milestone's evidence, each up
		// to the limit, and refusing it refused every unit's whole file.
		for (const f of fields)
			if (f.after.length > REPORT_TEXT_MAX) problem(ledgerHeaders[f.field], m.import_too_long({ max: REPORT_TEXT_MAX }));
		if (milestones.length && row.evidence.length > EVIDENCE_MAX) problem(ledgerHeaders.evidence, m.import_too_long({ max: EVIDENCE_MAX }));
		const files = referencedFiles(
			db,
			actor,
			state,
			row.evidence,
			(name) => problem(ledgerHeaders.evidence, m.import_file_not_found({ name: name.slice(0, 60) })),
			(name) => problem(ledgerHeaders.evidence, m.import_file_ambiguous({ name: name.slice(0, 60) }))
		);
		// The milestones the draft (or the returned report) reports met and the ledger does not name stay
		// reported, with their own dates and evidence: the import adds to the report, it takes nothing out.
		const kept = reported
			.filter((k) => open.some((o) => o.id === k.milestoneId) && !named.includes(k.milestoneId))
			.map(({ milestoneId, title, completedOn, evidence }) => ({ milestoneId, title, date: completedOn, evidence }));
		const complete = {
			progress: row.progress || readable?.progress || '',
			problems: row.problems || readable?.problems || '',
			nextSteps: row.nextSteps || readable?.nextSteps || ''
		};
		for (const [key, label] of [
			['progress', '本月进展'],
			['problems', '存在问题'],
			['nextSteps', '下步打算']
		] as const) {
			if (!complete[key]) problem(label, m.import_fill_before_submit({ code: row.code, label }));
		}
		// The unit's own text not yet submitted (a draft, a report returned to it), replaced by the file's: shown above as before → after, and said.
		const replaced = fields.filter((f) => f.before !== '').map((f) => ledgerHeaders[f.field]);
		if (readable && (readable.status === 'draft' || readable.status === 'returned') && replaced.length)
			notes.push({
				line: row.line,
				column: replaced[0],
				message: m.import_replaces_unsent({ code: row.code, columns: replaced.join(m.list_separator()) })
			});
		changes.push({
			line: row.line,
			code: row.code,
			title: state.item.title,
			fields,
			milestones,
			kept,
			evidence: row.evidence,
			files: files.map((f) => ({ name: f.fileName, size: f.size })),
			texts: complete,
			reportVersion: report?.version ?? null
		});
	}
	return { changes, issues, notes };
}

/** A ledger's cell as compared with what the ledger prints: the ways people retype the same thing are the same. */
const sameCell: Record<UnreadColumn, (inFile: string, printed: string) => boolean> = {
	// The code is read (and may be retyped: ｙｒｄ－０１); the title after it is not.
	item: (inFile, printed) => inFile.replace(ITEM_CODE, '').trim() === printed.replace(ITEM_CODE, '').trim(),
	leadUnit: (inFile, printed) => inFile.replace(/^[★☆*]\s*/, '') === printed.replace(/^★/, ''),
	coUnits: (inFile, printed) => {
		const names = (text: string) =>
			text
				.split(/[、,，;；\s]+/)
				.filter(Boolean)
				.sort()
				.join('、');
		return names(inFile) === names(printed);
	},
	leader: (inFile, printed) => inFile === printed,
	dueOn: (inFile, printed) => (readLedgerDate(inFile) ?? inFile) === printed
};

/**
 * The row's cells in columns the import does not read that differ from the item as the ledger
 * prints it now (`summaryColumns`): said, so that a deadline moved in the file is not taken for moved.
 * The file of a closed month may also differ because the office changed the item since: said the
 * same way, "the file holds …, the system …", which is true either way.
 */
function unreadEdits(db: Tx, row: ImportRow, state: ItemState): ImportIssue[] {
	const item = {
		code: row.code,
		title: state.item.title,
		leadUnit: unitName(db, state.item.leadUnitId),
		coUnits: state.coUnitIds.map((id) => unitName(db, id) ?? ''),
		leader: state.item.leader,
		dueOn: state.item.dueOn
	} as SummaryRow;
	return unreadColumns.flatMap((key) => {
		const inFile = row.unread?.[key];
		const column = summaryColumns.find((c) => c.key === key)!;
		const printed = String(column.value(item));
		if (inFile === undefined || sameCell[key](inFile, printed)) return [];
		const shown = (text: string) => (text ? quoted(text.slice(0, 60)) : m.value_empty());
		const hint = key === 'dueOn' ? m.import_unread_due_hint() : m.import_unread_item_hint();
		return [
			{ line: row.line, column: column.header, message: m.import_unread_column({ file: shown(inFile), system: shown(printed), hint }) }
		];
	});
}

type KeptMilestone = { milestoneId: number; title: string; date: string; evidence: string };

/**
 * The item's files a 佐证材料 cell names, among those the importer may read (`hiddenReason`: not
 * another's draft, another unit's slip, nor withdrawn); `missing` is told of names none has, and
 * `ambiguous` of names two different files have (the same file uploaded twice is one). A file the
 * importer may not read is not found: the import neither copies it onto a report the importer then
 * reads, nor tells by its answer that a file of that name is there.
 */
function referencedFiles(
	db: Tx,
	actor: SessionUser,
	state: ItemState,
	evidence: string,
	missing: (name: string) => void,
	ambiguous: (name: string) => void
) {
	return readFileReferences(evidence).flatMap((name) => {
		const named = state.attachments.filter((a) => a.fileName === name && a.withdrawnAt === null && hiddenReason(db, a, actor) === null);
		// Two different files of one name (the unit's and the office's, say): a name cannot tell which is
		// meant, and a file uploaded under it after the preview must not take the place of the one shown.
		if (new Set(named.map((a) => a.sha256)).size > 1) {
			ambiguous(name);
			return [];
		}
		const file = named.at(-1);
		if (!file) missing(name);
		return file ? [file] : [];
	});
}

/** What the apply does with a problem the plan it ran just before found none of. */
const ignore = () => {};

/** The rows as the preview showed them: each with the version of the report it was planned against. */
export function rowsAsPreviewed(rows: ImportRow[], changes: PlannedChange[]): ImportRow[] {
	return rows.map((r) => ({ ...r, seenVersion: changes.find((c) => c.line === r.line)?.reportVersion ?? null }));
}

/**
 * Saves one row; a refusal the plan did not foresee is said on the file, naming the row's item (its
 * own field, a form's, is not on the import's page: the page showed nothing and nothing was imported).
 */
function saveRow(code: string, save: () => void) {
	try {
		save();
	} catch (e) {
		if (e instanceof WorkflowError && e.field !== 'file') throw new WorkflowError('file', `${code}${m.list_intro()}${e.message}`, e.status);
		throw e;
	}
}

/** The reason the month's report of this item may not be written, or null. */
function reportMonthProblem(month: Month, state: ItemState, today: CalendarDate): string | null {
	try {
		checkReportMonth(month, state, today);
		return null;
	} catch (e) {
		if (e instanceof WorkflowError) return e.message;
		throw e;
	}
}

/** `第 5 行（本月进展）：…；第 9 行（…）：…`, in the interface's language. */
function issuesText(issues: ImportIssue[]): string {
	return issues
		.map(
			(i) => `${m.with_aside({ text: m.row_number({ line: i.line }), aside: i.column })}${m.list_intro()}${i.message.replace(/[。.]$/, '')}`
		)
		.join(m.remark_separator());
}

/** Applies the import: all rows or none, each as a submitted report under `actor`'s name. */
export function applyImport(db: Db, actor: SessionUser, month: Month, rows: ImportRow[], ctx: ChangeContext, today: CalendarDate): number {
	// Each row is found again by its line: a payload naming one line twice is not the preview's.
	if (new Set(rows.map((r) => r.line)).size !== rows.length) throw new WorkflowError('file', m.import_payload_invalid());
	return db.transaction((tx) => {
		const { changes, issues } = planImport(tx, actor, month, rows, today);
		// Only a change since the preview (which showed none) makes one: said here, the first few in full.
		if (issues.length)
			throw new WorkflowError('file', m.import_has_errors({ count: issues.length, issues: issuesText(issues.slice(0, 5)) }));
		// A report changed since the preview is not overwritten with what the preview did not show.
		const changedSince = changes.filter((c) => (rows.find((r) => r.line === c.line)!.seenVersion ?? null) !== c.reportVersion);
		if (changedSince.length) {
			throw new WorkflowError(
				'file',
				m.import_changed_since_preview({ codes: changedSince.map((c) => c.code).join(m.list_separator()) }),
				409
			);
		}
		for (const change of changes) {
			const row = rows.find((r) => r.line === change.line)!;
			const state = itemState(tx, initiativeIdByCode(tx, row.code)!, null)!;
			const readable = state.reports.find((r) => r.month === month);
			const met = openMilestonesNamed(state, change.milestones, readable ? milestonesReportedMet(tx, [readable.id]) : []) as number[];
			// The files named are attached again, to each milestone met (to the report when none is).
			const files = referencedFiles(tx, actor, state, row.evidence, ignore, ignore).flatMap((f) =>
				(met.length ? met : [null]).map((milestoneId) => ({
					field: milestoneId === null ? 'files' : `files-${milestoneId}`,
					name: f.fileName,
					sha256: f.sha256,
					mime: f.mime,
					size: f.size,
					capturedAt: f.capturedAt
				}))
			);
			saveRow(row.code, () =>
				saveReport(
					tx,
					actor,
					state.item.id,
					month,
					{
						...change.texts,
						milestonesMet: [
							...change.milestones.map((c, i) => ({ milestoneId: met[i], completedOn: c.date, evidence: row.evidence })),
							...change.kept.map((k) => ({ milestoneId: k.milestoneId, completedOn: k.date, evidence: k.evidence }))
						],
						version: change.reportVersion,
						submit: true,
						files
					},
					{ ...ctx, note: '月报导入' },
					today
				)
			);
		}
		return changes.length;
	});
}
