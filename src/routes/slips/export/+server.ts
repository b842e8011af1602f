import { suzhouToday } from '$lib/dates';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { inDocumentLanguage } from '$lib/server/document-language';
import { slipRegisterXlsx } from '$lib/server/documents/slip-register-xlsx';
import { download, fileTypes } from '$lib/server/download';
import { slipRegister } from '$lib/server/slip-register';
import { staffUnitOf } from '$lib/server/workflow/access';
import { slipFilterOf } from '../filter';
import type { RequestHandler } from './$types';

/** The register as the page shows it (the same filter, the same reader's scope), every row. */
export const GET: RequestHandler = async ({ url, locals }) => {
	const user = requireUser(locals);
	const today = suzhouToday();
	const filter = slipFilterOf(url.searchParams);
	const rows = slipRegister(appDb(), filter, staffUnitOf(user), today);
	const scope = filter.year ? `${filter.year}年` : '全部年度';
	const body = await inDocumentLanguage(() => slipRegisterXlsx(rows, scope, today));
	return download(body, fileTypes.xlsx, `督办单登记簿（${today}）.xlsx`, `slip-register-${today}.xlsx`);
};
