import { error } from '@sveltejs/kit';
import { isMonth, suzhouToday } from '$lib/dates';
import { appDb } from '$lib/server/app-db';
import { requirePermission } from '$lib/server/auth/guard';
import { exportFileName, exportFormats, isExportFormat } from '$lib/server/monthly/exports';
import { FIRST_REPORT_MONTH, monthlySummary } from '$lib/server/monthly/summary';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, locals }) => {
	requirePermission(locals, 'exportSummaries');
	const today = suzhouToday();
	if (!isMonth(params.month) || params.month > today.slice(0, 7) || params.month < FIRST_REPORT_MONTH) error(404, '没有该月份的月报。');
	if (!isExportFormat(params.format)) error(404, '不支持该导出格式,可选 xlsx、docx、csv、json。');
	const summary = monthlySummary(appDb(), params.month, today, url.searchParams.get('group') === 'unit' ? 'unit' : 'theme');
	const format = exportFormats[params.format];
	const body = await format.render(summary);
	return new Response(new Uint8Array(body), {
		headers: {
			'content-type': format.type,
			'content-disposition': `attachment; filename="${exportFileName(params.month, params.format)}"`
		}
	});
};
