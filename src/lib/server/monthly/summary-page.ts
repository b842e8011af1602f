/**
 * The monthly summary (月报) as its page shows it: the first rows of each list and how many there are.
 * A province's ledger runs to thousands of rows, too many for a page; the exports hold them all.
 *
 * A closed month's page is kept in the database on its own, beside the whole summary: after a restart
 * its first view reads a few hundred kilobytes, not the whole ledger (11 MB at 20,000 items).
 */
import type { CalendarDate, Month } from '$lib/dates';
import type { Tx } from '../db';
import { KeptAnswers } from '../kept-answers';
import { keptOnceFinal, monthlySummary, type MonthlySummary } from './summary';

/** Rows of the ledger and of the annex (滞后事项) a page carries. */
export const SHOWN_ROWS = 100;
/** Items named in a sentence of the summary (本月未报送 …); the rest are counted. */
export const NAMED_IN_TEXT = 30;

export type SummaryPage = ReturnType<typeof pageOf>;

const keptPages = new KeptAnswers<SummaryPage>(12);

export function summaryPage(db: Tx, month: Month, today: CalendarDate, groupBy: 'theme' | 'unit'): SummaryPage {
	return keptOnceFinal(db, keptPages, 'summary-page', month, today, groupBy, () => pageOf(monthlySummary(db, month, today, groupBy)));
}

function pageOf(full: MonthlySummary) {
	const shown = <T>(list: T[]) => list.slice(0, SHOWN_ROWS);
	const named = <T>(list: T[]) => list.slice(0, NAMED_IN_TEXT);
	// The page counts the milestones due next month and lists no files: the exports list both.
	const { evidenceFiles: _files, ...rest } = full;
	const { dueNextMonth: _next, ...summary } = full.summary;
	return {
		report: {
			...rest,
			rows: shown(full.rows),
			lagging: shown(full.lagging),
			summary: {
				...summary,
				completed: named(full.summary.completed),
				reportsMissing: named(full.summary.reportsMissing),
				changes: named(full.summary.changes)
			}
		},
		counts: {
			rows: full.rows.length,
			lagging: full.lagging.length,
			completed: full.summary.completed.length,
			reportsMissing: full.summary.reportsMissing.length,
			changes: full.summary.changes.length,
			dueNextMonth: full.summary.dueNextMonth.length
		}
	};
}
