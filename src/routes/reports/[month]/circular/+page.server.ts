import { error } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { suzhouToday } from '$lib/dates';
import { m } from '$lib/i18n';
import { appDb } from '$lib/server/app-db';
import { requirePermission } from '$lib/server/auth/guard';
import { circularNumberOf, DOC_NUMBER_EXAMPLE, registerCircular, suggestedDocNumber } from '$lib/server/circulars';
import { user } from '$lib/server/db/schema';
import { circularTitle } from '$lib/server/documents/circular-docx';
import { formAction } from '$lib/server/form-action';
import { calendarDate, openedVersion, parseForm, text } from '$lib/server/forms';
import { hasSummary } from '$lib/server/monthly/summary';
import type { Actions, PageServerLoad } from './$types';

/** The month's 通报: its number and signing date as the office entered them, the form to enter them, the download. */
export const load = (({ params, locals, url }) => {
	requirePermission(locals, 'issueSlips');
	const today = suzhouToday();
	if (!hasSummary(params.month, today)) error(404, m.no_summary_for_month());
	const db = appDb();
	const issued = circularNumberOf(db, params.month);
	const by = issued?.registeredBy
		? db.select({ name: user.displayName }).from(user).where(eq(user.id, issued.registeredBy)).get()?.name
		: null;
	return {
		month: params.month,
		title: circularTitle(params.month),
		over: params.month < today.slice(0, 7),
		today,
		issued: issued && { docNumber: issued.docNumber, signedOn: issued.signedOn, version: issued.version, by: by ?? '—' },
		suggested: suggestedDocNumber(db, today),
		example: DOC_NUMBER_EXAMPLE,
		saved: url.searchParams.get('done') === 'saved'
	};
}) satisfies PageServerLoad;

const circularFields = z.object({
	docNumber: text(() => m.circular_doc_number(), 40),
	signedOn: calendarDate(() => m.circular_signed_on())
});

export const actions = {
	register: (event) =>
		formAction(event, {
			permission: 'issueSlips',
			parse: (form) => {
				const fields = parseForm(form, circularFields);
				if (!fields.ok) return fields;
				const opened = openedVersion(form);
				return opened.ok ? { ok: true, data: { ...fields.data, version: opened.version } } : { ok: false, errors: { form: opened.error } };
			},
			run: (ctx, input) => registerCircular(ctx.db, event.params.month, input, ctx.change, ctx.today),
			next: () => `/reports/${event.params.month}/circular?done=saved`
		})
} satisfies Actions;
