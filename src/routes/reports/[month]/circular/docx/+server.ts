import { error } from '@sveltejs/kit';
import { suzhouToday } from '$lib/dates';
import { m } from '$lib/i18n';
import { appDb } from '$lib/server/app-db';
import { requirePermission } from '$lib/server/auth/guard';
import { inDocumentLanguage } from '$lib/server/document-language';
import { circularNumberOf } from '$lib/server/circulars';
import { circularDocx, circularTitle } from '$lib/server/documents/circular-docx';
import { download, fileTypes } from '$lib/server/download';
import { hasSummary, monthlySummary } from '$lib/server/monthly/summary';
import { slipsIssuedIn } from '$lib/server/slip-register';
import type { RequestHandler } from './$types';

/**
 * The month's 通报 as Word: made from the month's summary and the slips issued in it, as of its last
 * day, with the number and signing date the office gave it (circulars.ts), if it did.
 */
export const GET: RequestHandler = async ({ params, locals }) => {
	requirePermission(locals, 'issueSlips');
	const today = suzhouToday();
	if (!hasSummary(params.month, today)) error(404, m.no_summary_for_month());
	const db = appDb();
	// All of it in Chinese, the summary it is made from too: its labels (lights, paces, remarks) are in it.
	const body = await inDocumentLanguage(() => {
		const summary = monthlySummary(db, params.month, today, 'theme');
		return circularDocx(summary, slipsIssuedIn(db, params.month, summary.asOf), circularNumberOf(db, params.month));
	});
	return download(body, fileTypes.docx, `${circularTitle(params.month)}.docx`, `circular-${params.month}.docx`);
};
