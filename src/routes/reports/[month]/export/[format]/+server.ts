import { error } from '@sveltejs/kit';
import { suzhouToday } from '$lib/dates';
import { appDb } from '$lib/server/app-db';
import { inDocumentLanguage } from '$lib/server/document-language';
import { requirePermission } from '$lib/server/auth/guard';
import { download } from '$lib/server/download';
import { exportAsciiName, exportFileName, exportFormats, isExportFormat, renderExport } from '$lib/server/monthly/exports';
import { hasSummary, monthlySummary } from '$lib/server/monthly/summary';
import type { RequestHandler } from './$types';
import { m } from '$lib/i18n';

export const GET: RequestHandler = async ({ params, url, locals }) => {
	requirePermission(locals, 'exportSummaries');
	const today = suzhouToday();
	if (!hasSummary(params.month, today)) error(404, m.no_summary_for_month());
	if (!isExportFormat(params.format)) error(404, m.export_format_unknown());
	const group = url.searchParams.get('group') === 'unit' ? 'unit' : 'theme';
	// The summary in the document's language (its labels are part of it), the file written by the export worker.
	const summary = inDocumentLanguage(() => monthlySummary(appDb(), params.month, today, group));
	const body = await renderExport(params.format, summary);
	return download(
		body,
		exportFormats[params.format].type,
		exportFileName(params.month, params.format),
		exportAsciiName(params.month, params.format)
	);
};
