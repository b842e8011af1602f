import { error, fail, isHttpError } from '@sveltejs/kit';
import { z } from 'zod';
import { suzhouToday } from '$lib/dates';
import { appDb } from '$lib/server/app-db';
import { readForm } from '$lib/server/forms';
import { requirePermission } from '$lib/server/auth/guard';
import { formAction } from '$lib/server/form-action';
import { applyImport, planImport, readImportFile, rowsAsPreviewed } from '$lib/server/monthly/import';
import { LEDGER_LIMITS } from '$lib/server/monthly/ledger-file';
import { appliedCount, forgetPreview, keepPreview, previewedRows } from '$lib/server/monthly/import-previews';
import { hasSummary } from '$lib/server/monthly/summary';
import { WorkflowError } from '$lib/server/workflow/errors';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/i18n';

function checkMonth(month: string) {
	const today = suzhouToday();
	if (!hasSummary(month, today)) error(404, m.no_summary_for_month());
}

export const load = (({ params, locals }) => {
	requirePermission(locals, 'importReports');
	checkMonth(params.month);
	return { month: params.month, maxBytes: LEDGER_LIMITS.bytes };
}) satisfies PageServerLoad;

/** The confirmation names the preview it confirms; the rows are the server's (import-previews.ts). */
const confirmation = z.object({ preview: z.string().max(64) });

/** The problems, and the notes, a preview lists. */
const LISTED_ROWS = 200;

export const actions = {
	preview: async (event) => {
		const user = requirePermission(event.locals, 'importReports');
		checkMonth(event.params.month);
		let form: FormData;
		try {
			form = await readForm(event.request);
		} catch (e) {
			// A file past the limit (sent without the page's scripts, which refuse it before): said on the form, not on an error page.
			if (isHttpError(e, 413)) return fail(413, { errors: { file: e.body.message } as Record<string, string> });
			throw e;
		}
		const file = form.get('file');
		if (!(file instanceof File)) return fail(400, { errors: { file: m.import_choose_file() } as Record<string, string> });
		try {
			const read = await readImportFile(file.name, new Uint8Array(await file.arrayBuffer()), event.params.month);
			const plan = planImport(appDb(), user, event.params.month, read.rows, suzhouToday());
			const issues = [...read.issues, ...plan.issues].sort((a, b) => a.line - b.line);
			const notes = plan.notes.sort((a, b) => a.line - b.line);
			// Kept with the version of the report each row was previewed against: apply refuses a report changed since.
			const key =
				issues.length === 0 && plan.changes.length
					? keepPreview(user.id, event.params.month, file.name, rowsAsPreviewed(read.rows, plan.changes))
					: null;
			// A page lists the first of them (a file may hold a problem in every cell), and says how many there are.
			const listed = (list: typeof issues) => ({ count: list.length, rows: list.slice(0, LISTED_ROWS) });
			return { preview: { fileName: file.name, changes: plan.changes, issues: listed(issues), notes: listed(notes), key } };
		} catch (e) {
			if (e instanceof WorkflowError) return fail(e.status, { errors: { file: e.message } as Record<string, string> });
			throw e;
		}
	},
	apply: (event) =>
		formAction(event, {
			permission: 'importReports',
			parse: confirmation,
			run: ({ db, user, change, today }, data) => {
				checkMonth(event.params.month);
				const previewed = previewedRows(data.preview, user.id, event.params.month);
				if (!previewed) {
					// Confirmed twice (a double click, a second tab): the first imported it, and that is said.
					const count = appliedCount(data.preview, user.id, event.params.month);
					throw new WorkflowError('file', count === null ? m.import_preview_gone() : m.import_preview_applied({ count }), 409);
				}
				const count = applyImport(db, user, event.params.month, previewed.rows, change, today);
				forgetPreview(data.preview, user.id, event.params.month, count);
				return count;
			},
			next: (count) => `/reports/${event.params.month}/import?done=${count}`
		})
} satisfies Actions;
