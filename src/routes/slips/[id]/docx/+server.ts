import { error } from '@sveltejs/kit';
import { suzhouToday } from '$lib/dates';
import { m } from '$lib/i18n';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { inDocumentLanguage } from '$lib/server/document-language';
import { slipDocx, slipTitle } from '$lib/server/documents/slip-docx';
import { download, fileTypes } from '$lib/server/download';
import { readableSlip } from '$lib/server/slip-register';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, locals }) => {
	const user = requireUser(locals);
	const slip = readableSlip(appDb(), params.id, user, suzhouToday());
	if (!slip) error(404, m.slip_gone());
	const body = await inDocumentLanguage(() => slipDocx(slip));
	const name = inDocumentLanguage(() => `${slip.number}${slipTitle(slip.colour)}.docx`);
	return download(body, fileTypes.docx, name, `slip-${slip.year}-${slip.colour}-${slip.serial}.docx`);
};
