import { suzhouToday } from '$lib/dates';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { inDocumentLanguage } from '$lib/server/document-language';
import { slipDocx, slipTitle } from '$lib/server/documents/slip-docx';
import { download, fileTypes } from '$lib/server/download';
import { readableSlip } from '$lib/server/slip-register';
import { orHttpError } from '$lib/server/workflow/errors';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, locals }) => {
	const user = requireUser(locals);
	const slip = orHttpError(() => readableSlip(appDb(), params.id, user, suzhouToday()));
	const body = await inDocumentLanguage(() => slipDocx(slip));
	const name = inDocumentLanguage(() => `${slip.number}${slipTitle(slip.colour)}.docx`);
	return download(body, fileTypes.docx, name, `slip-${slip.year}-${slip.colour}-${slip.serial}.docx`);
};
