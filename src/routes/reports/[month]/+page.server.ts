import { error } from '@sveltejs/kit';
import { isMonth, suzhouToday } from '$lib/dates';
import { can } from '$lib/roles';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { groups } from '$lib/server/monthly/columns';
import { FIRST_MONTH } from '$lib/reporting-calendar';
import { isFinalMonth } from '$lib/server/monthly/summary';
import { WORD_TABLE_ROWS } from '$lib/server/monthly/export-docx';
import { NAMED_IN_TEXT, summaryPage } from '$lib/server/monthly/summary-page';
import { keepAcrossWrites } from '$lib/server/page-cache';
import type { PageServerLoad } from './$types';
import { m } from '$lib/i18n';

/**
 * The month's summary is a document: tables and links, nothing that runs in the browser. Served
 * without SvelteKit's client, it carries no copy of its rows for hydration (at 20,000 items half the
 * page: a hundred rows of texts again as script, serialized, hashed for the CSP and parsed by the
 * browser), and a phone shows it as soon as it arrives. Links and forms work as they do without JS.
 */
export const csr = false;

export const load = (({ params, url, locals }) => {
	const user = requireUser(locals);
	const today = suzhouToday();
	if (!isMonth(params.month)) error(404, m.month_invalid({ month: params.month.slice(0, 20) }));
	if (params.month > today.slice(0, 7)) error(404, m.summary_future_month());
	if (params.month < FIRST_MONTH) error(404, m.summary_first_month({ month: FIRST_MONTH }));
	const groupBy = url.searchParams.get('group') === 'unit' ? 'unit' : 'theme';
	const db = appDb();
	if (isFinalMonth(db, params.month, today)) keepAcrossWrites(locals);
	const { report, counts } = summaryPage(db, params.month, today, groupBy);
	return {
		report,
		counts,
		namedInText: NAMED_IN_TEXT,
		// Rows the Word file's tables list: past them, only the Excel file holds every item.
		wordRows: WORD_TABLE_ROWS,
		groups: groups(report.rows),
		mayExport: can(user.role, 'exportSummaries'),
		mayImport: can(user.role, 'importReports'),
		mayCircular: can(user.role, 'issueSlips')
	};
}) satisfies PageServerLoad;
