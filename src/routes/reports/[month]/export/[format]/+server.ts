import { error } from '@sveltejs/kit';
import { suzhouToday } from '$lib/dates';
import { appDb } from '$lib/server/app-db';
import { requirePermission } from '$lib/server/auth/guard';
import { inDocumentLanguage } from '$lib/server/document-language';
import { download } from '$lib/server/download';
import { exportAsciiName, exportFileName, exportFormats, isExportFormat } from '$lib/server/monthly/exports';
import { hasSummary, monthlySummary } from '$lib/server/monthly/summary';
import type { RequestHandler } from './$types';
import { m } from '$lib/i18n';

export const GET: RequestHandler = async ({ params, url, locals }) => {
	requirePermission(locals, 'exportSummaries');
	const today = suzhouToday();
	if (!hasSummary(params.month, today)) error(404, m.no_summary_for_month());
	if (!isExportFormat(params.format)) error(404, m.export_format_unknown());
	const format = exportFormats[params.format];
	const group = url.searchParams.get('group') === 'unit' ? 'unit' : 'theme';
	const body = await inDocumentLanguage(() => format.render(monthlySummary(appDb(), params.month, today, group)));
	return download(body, format.type, exportFileName(params.month, params.format), exportAsciiName(params.month, params.format));
};
