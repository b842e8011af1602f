import { requirePermission } from '$lib/server/auth/guard';
import { z } from 'zod';
import { suzhouToday } from '$lib/dates';
import { m } from '$lib/i18n';
import { appDb } from '$lib/server/app-db';
import { formAction } from '$lib/server/form-action';
import { calendarYears, saveCalendarYear } from '$lib/server/working-calendar';
import { parseDateList } from '$lib/working-days';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals, url }) => {
	requirePermission(locals, 'manageSettings');
	return { years: calendarYears(appDb()), nextYear: Number(suzhouToday().slice(0, 4)) + 1, done: url.searchParams.get('done') };
}) satisfies PageServerLoad;

const yearField = z.coerce
	.number({ error: () => m.calendar_year_invalid() })
	.int({ error: () => m.calendar_year_invalid() })
	.min(2000, { error: () => m.calendar_year_invalid() })
	.max(2100, { error: () => m.calendar_year_invalid() });

/** The dates of one year as the office types them (docs: parseDateList), all within that year. */
function datesOf(form: FormData, field: 'holidays' | 'workdays', year: number, errors: Record<string, string>) {
	const text = String(form.get(field) ?? '');
	if (text.length > 5000) {
		errors[field] = m.calendar_list_too_long();
		return [];
	}
	const parsed = parseDateList(text);
	if (!parsed.ok) {
		errors[field] = m.calendar_entry_invalid({ entry: parsed.entry.slice(0, 40) });
		return [];
	}
	const outside = parsed.dates.find((d) => !d.startsWith(`${year}-`));
	if (outside) errors[field] = m.calendar_outside_year({ date: outside, year });
	return parsed.dates;
}

export const actions = {
	save: (event) =>
		formAction(event, {
			permission: 'manageSettings',
			parse: (form) => {
				const year = yearField.safeParse(form.get('year'));
				if (!year.success) return { ok: false, errors: { year: m.calendar_year_invalid() } };
				const errors: Record<string, string> = {};
				const holidays = datesOf(form, 'holidays', year.data, errors);
				const workdays = datesOf(form, 'workdays', year.data, errors);
				if (!errors.holidays && !holidays.length) errors.holidays = m.calendar_holidays_missing();
				const both = workdays.find((d) => holidays.includes(d));
				if (both) errors.workdays = m.calendar_both({ date: both });
				return Object.keys(errors).length ? { ok: false, errors } : { ok: true, data: { year: year.data, holidays, workdays } };
			},
			run: (ctx, { year, ...calendar }) => saveCalendarYear(ctx.db, year, calendar, ctx.change),
			next: (_, ctx) => `/admin/calendar?done=${ctx.form.get('year')}`
		}),
	remove: (event) =>
		formAction(event, {
			permission: 'manageSettings',
			parse: z.object({ year: yearField }),
			run: (ctx, { year }) => saveCalendarYear(ctx.db, year, null, ctx.change),
			next: () => '/admin/calendar?done=removed'
		})
} satisfies Actions;
