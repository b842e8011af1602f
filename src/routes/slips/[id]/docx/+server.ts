import { suzhouToday } from '$lib/dates';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { readOrNotFound } from '$lib/server/auth/hidden';
import { inDocumentLanguage } from '$lib/server/document-language';
import { slipDocx, slipTitle } from '$lib/server/documents/slip-docx';
import { download, fileTypes } from '$lib/server/download';
import { readableSlip } from '$lib/server/slip-register';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const user = requireUser(event.locals);
	const db = appDb();
	const slip = readOrNotFound(event, db, user, () => readableSlip(db, event.params.id, user, suzhouToday()));
	const body = await inDocumentLanguage(() => slipDocx(slip));
	const name = inDocumentLanguage(() => `${slip.number}${slipTitle(slip.colour)}.docx`);
	return download(body, fileTypes.docx, name, `slip-${slip.year}-${slip.colour}-${slip.serial}.docx`);
};
