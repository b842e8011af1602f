import { error } from '@sveltejs/kit';
import { isMonth, suzhouToday } from '$lib/dates';
import { can } from '$lib/roles';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { groups } from '$lib/server/monthly/columns';
import { FIRST_REPORT_MONTH, isFinalMonth, monthlySummary } from '$lib/server/monthly/summary';
import { keepAcrossWrites } from '$lib/server/page-cache';
import type { PageServerLoad } from './$types';
import { m } from '$lib/i18n';

const SHOWN_ROWS = 200;
/** Items named in a sentence of the summary (本月未报送 …); the rest are counted. */
const NAMED_IN_TEXT = 30;

export const load = (({ params, url, locals }) => {
	const user = requireUser(locals);
	const today = suzhouToday();
	if (!isMonth(params.month)) error(404, m.month_invalid({ month: params.month.slice(0, 20) }));
	if (params.month > today.slice(0, 7)) error(404, m.summary_future_month());
	if (params.month < FIRST_REPORT_MONTH) error(404, m.summary_first_month({ month: FIRST_REPORT_MONTH }));
	const groupBy = url.searchParams.get('group') === 'unit' ? 'unit' : 'theme';
	const db = appDb();
	if (isFinalMonth(db, params.month, today)) keepAcrossWrites(locals);
	const full = monthlySummary(db, params.month, today, groupBy);
	// The screen shows the first rows of each list and says how many there are; the exports hold
	// them all (a province's ledger runs to thousands of rows, too many for a page).
	const shown = <T>(list: T[]) => list.slice(0, SHOWN_ROWS);
	const named = <T>(list: T[]) => list.slice(0, NAMED_IN_TEXT);
	const report = {
		...full,
		rows: shown(full.rows),
		lagging: shown(full.lagging),
		summary: {
			...full.summary,
			completed: named(full.summary.completed),
			reportsMissing: named(full.summary.reportsMissing),
			changes: named(full.summary.changes)
		}
	};
	const counts = {
		rows: full.rows.length,
		lagging: full.lagging.length,
		completed: full.summary.completed.length,
		reportsMissing: full.summary.reportsMissing.length,
		changes: full.summary.changes.length
	};
	return {
		report,
		counts,
		namedInText: NAMED_IN_TEXT,
		groups: groups(report.rows),
		mayExport: can(user.role, 'exportSummaries'),
		mayImport: can(user.role, 'importReports'),
		mayCircular: can(user.role, 'issueSlips')
	};
}) satisfies PageServerLoad;
