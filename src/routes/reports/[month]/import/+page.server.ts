import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { suzhouToday } from '$lib/dates';
import { appDb } from '$lib/server/app-db';
import { readForm } from '$lib/server/forms';
import { requirePermission } from '$lib/server/auth/guard';
import { formAction } from '$lib/server/form-action';
import { applyImport, planImport, readImportFile, rowsAsPreviewed, type ImportRow } from '$lib/server/monthly/import';
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
	return { month: params.month };
}) satisfies PageServerLoad;

const importRow = z.object({
	line: z.number().int().positive(),
	code: z.string().max(20),
	progress: z.string().max(2000),
	problems: z.string().max(2000),
	nextSteps: z.string().max(2000),
	completions: z.array(z.object({ title: z.string().max(200), date: z.string().max(10) })).max(50),
	evidence: z.string().max(500),
	seenVersion: z.number().int().positive().nullable().optional()
});
const payload = z.object({
	payload: z
		.string()
		.max(3_000_000)
		.transform((text, ctx) => {
			try {
				return z.array(importRow).max(2000).parse(JSON.parse(text)) as ImportRow[];
			} catch {
				ctx.addIssue({ code: 'custom', message: m.import_payload_invalid() });
				return z.NEVER;
			}
		})
});

export const actions = {
	preview: async (event) => {
		const user = requirePermission(event.locals, 'importReports');
		checkMonth(event.params.month);
		const form = await readForm(event.request);
		const file = form.get('file');
		if (!(file instanceof File)) return fail(400, { errors: { file: m.import_choose_file() } as Record<string, string> });
		try {
			const read = await readImportFile(file.name, new Uint8Array(await file.arrayBuffer()), event.params.month);
			const plan = planImport(appDb(), user, event.params.month, read.rows, suzhouToday());
			const issues = [...read.issues, ...plan.issues].sort((a, b) => a.line - b.line);
			// Each row carries the version of the report it was previewed against: apply refuses a report changed since.
			const payload = JSON.stringify(rowsAsPreviewed(read.rows, plan.changes));
			return { preview: { fileName: file.name, changes: plan.changes, issues, payload } };
		} catch (e) {
			if (e instanceof WorkflowError) return fail(e.status, { errors: { file: e.message } as Record<string, string> });
			throw e;
		}
	},
	apply: (event) =>
		formAction(event, {
			permission: 'importReports',
			parse: payload,
			run: ({ db, user, change, today }, data) => {
				checkMonth(event.params.month);
				return applyImport(db, user, event.params.month, data.payload, change, today);
			},
			next: (count) => `/reports/${event.params.month}/import?done=${count}`
		})
} satisfies Actions;
