import { suzhouToday } from '$lib/dates';
import { m } from '$lib/i18n';
import { appDb } from '$lib/server/app-db';
import { requirePermission } from '$lib/server/auth/guard';
import { formAction } from '$lib/server/form-action';
import { MULTIPART_LIMITS } from '$lib/server/forms';
import { ExtractError, extractText, SOURCE_LIMITS } from '$lib/server/intake/extract';
import { addSource, newSourceSchema } from '$lib/server/intake/intake';
import { WorkflowError } from '$lib/server/workflow/errors';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals }) => {
	requirePermission(locals, 'manageItems');
	appDb();
	return { today: suzhouToday(), maxBytes: MULTIPART_LIMITS.fileBytes, maxCharacters: SOURCE_LIMITS.characters };
}) satisfies PageServerLoad;

/** The text pasted, or the text of the file sent (one of the two). */
async function sourceText(form: FormData, pasted: string | null): Promise<string> {
	const file = form.get('file');
	const chosen = file instanceof File && (file.size > 0 || file.name !== '');
	if (!chosen) return pasted ?? '';
	if (pasted?.trim()) throw new WorkflowError('file', m.intake_text_and_file());
	try {
		return await extractText(file.name, new Uint8Array(await file.arrayBuffer()));
	} catch (e) {
		if (e instanceof ExtractError) throw new WorkflowError('file', e.message);
		throw e;
	}
}

export const actions = {
	add: (event) =>
		formAction(event, {
			permission: 'manageItems',
			parse: newSourceSchema,
			run: async ({ db, change, form }, data) => addSource(db, { ...data, body: await sourceText(form, data.body) }, change),
			next: ({ source, again }) => `/sources/${source.id}/review?done=${again ? 'again' : 'added'}`
		})
} satisfies Actions;
