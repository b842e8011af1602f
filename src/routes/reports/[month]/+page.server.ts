import { error } from '@sveltejs/kit';
import { isMonth, suzhouToday } from '$lib/dates';
import { can } from '$lib/roles';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { groups } from '$lib/server/monthly/columns';
import { FIRST_REPORT_MONTH, monthlySummary } from '$lib/server/monthly/summary';
import type { PageServerLoad } from './$types';

export const load = (({ params, url, locals }) => {
	const user = requireUser(locals);
	const today = suzhouToday();
	if (!isMonth(params.month)) error(404, `“${params.month.slice(0, 20)}”不是有效月份,格式为 年-月,例如 2026-10。`);
	if (params.month > today.slice(0, 7)) error(404, '未来月份尚无月报。');
	if (params.month < FIRST_REPORT_MONTH) error(404, `月报自 ${FIRST_REPORT_MONTH} 起。`);
	const groupBy = url.searchParams.get('group') === 'unit' ? 'unit' : 'theme';
	const report = monthlySummary(appDb(), params.month, today, groupBy);
	return { report, groups: groups(report.rows), mayExport: can(user.role, 'exportSummaries'), mayImport: can(user.role, 'importReports') };
}) satisfies PageServerLoad;
