import { requirePermission } from '$lib/server/auth/guard';
import { z } from 'zod';
import { suzhouToday } from '$lib/dates';
import { m } from '$lib/i18n';
import { appDb } from '$lib/server/app-db';
import { formAction } from '$lib/server/form-action';
import { calendarYear, calendarYears, saveCalendarYear } from '$lib/server/working-calendar';
import { LONGEST_RANGE_DAYS, parseDateList, writeDateList } from '$lib/working-days';
import type { Actions, PageServerLoad } from './$types';

/**
 * The years, and the one the form edits (`?year=`, else next year) filled with its days as they are
 * now, so that correcting one day keeps the others, and with the calendar's version it saves over.
 */
export const load = (({ locals, url }) => {
	requirePermission(locals, 'manageSettings');
	const db = appDb();
	const nextYear = Number(suzhouToday().slice(0, 4)) + 1;
	const asked = yearField.safeParse(url.searchParams.get('year') ?? undefined);
	const editing = calendarYear(db, asked.success ? asked.data : nextYear);
	return {
		years: calendarYears(db),
		nextYear,
		editing: { ...editing, holidays: writeDateList(editing.holidays), workdays: writeDateList(editing.workdays) },
		done: url.searchParams.get('done')
	};
}) satisfies PageServerLoad;

const yearField = z.coerce
	.number({ error: () => m.calendar_year_invalid() })
	.int({ error: () => m.calendar_year_invalid() })
	.min(2000, { error: () => m.calendar_year_invalid() })
	.max(2100, { error: () => m.calendar_year_invalid() });

/** The calendar's version a form was opened at: 0 before any year was entered. */
const versionField = z.coerce
	.number({ error: () => m.form_stale() })
	.int({ error: () => m.form_stale() })
	.min(0, { error: () => m.form_stale() });

/** The dates of one year as the office types them (docs: parseDateList), all within that year. */
function datesOf(form: FormData, field: 'holidays' | 'workdays', year: number, errors: Record<string, string>) {
	const text = String(form.get(field) ?? '');
	if (text.length > 5000) {
		errors[field] = m.calendar_list_too_long();
		return [];
	}
	const parsed = parseDateList(text);
	if (!parsed.ok) {
		const entry = parsed.entry.slice(0, 40);
		errors[field] =
			parsed.reason === 'backwards'
				? m.calendar_range_backwards({ entry, year })
				: parsed.reason === 'too_long'
					? m.calendar_range_too_long({ entry, days: LONGEST_RANGE_DAYS })
					: m.calendar_entry_invalid({ entry, year });
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
				const version = versionField.safeParse(form.get('version') ?? undefined);
				if (!version.success) return { ok: false, errors: { form: m.form_stale() } };
				const errors: Record<string, string> = {};
				const holidays = datesOf(form, 'holidays', year.data, errors);
				const workdays = datesOf(form, 'workdays', year.data, errors);
				if (!errors.holidays && !holidays.length) errors.holidays = m.calendar_holidays_missing();
				const both = workdays.find((d) => holidays.includes(d));
				if (both) errors.workdays = m.calendar_both({ date: both });
				return Object.keys(errors).length
					? { ok: false, errors }
					: { ok: true, data: { year: year.data, version: version.data, holidays, workdays } };
			},
			run: (ctx, { year, version, ...calendar }) => saveCalendarYear(ctx.db, year, calendar, version, ctx.change),
			next: (_, ctx) => `/admin/calendar?year=${ctx.form.get('year')}&done=${ctx.form.get('year')}`
		}),
	remove: (event) =>
		formAction(event, {
			permission: 'manageSettings',
			parse: z.object({ year: yearField, version: versionField }),
			run: (ctx, { year, version }) => saveCalendarYear(ctx.db, year, null, version, ctx.change),
			next: (_, ctx) => `/admin/calendar?year=${ctx.form.get('year')}&done=removed`
		})
} satisfies Actions;
