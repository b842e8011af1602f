/**
 * The moment a view shows (查看时点), one rule for every page that takes `?asOf=` (the dashboard,
 * unit and theme views, the item page): absent or today is now, the live view with its actions; a
 * past calendar date is the end of that day in Suzhou, rebuilt from the history; anything else (not a
 * date, a date to come, two different dates) is refused with the reason as a 400, never silently
 * replaced by another moment. Summaries and exports take a month, whose moment is the end of its last day.
 */
import { error } from '@sveltejs/kit';
import { formatDate, isCalendarDate, type CalendarDate } from './dates';
import { FIRST_MONTH } from './reporting-calendar';
import { m } from './i18n';

/** `asOf` is null for the live view, else the past day whose end the view shows. */
export type ViewMoment = { date: CalendarDate; asOf: CalendarDate | null };

export function parseViewMoment(
	raw: string | null,
	today: CalendarDate
): { ok: true; moment: ViewMoment } | { ok: false; message: string } {
	const value = raw?.trim() ?? '';
	if (value === '' || value === today) return { ok: true, moment: { date: today, asOf: null } };
	if (!isCalendarDate(value)) return { ok: false, message: m.as_of_invalid({ date: value.slice(0, 20) }) };
	if (value > today) return { ok: false, message: m.as_of_future() };
	if (value < `${FIRST_MONTH}-01`) return { ok: false, message: m.as_of_too_early({ date: formatDate(`${FIRST_MONTH}-01`) }) };
	return { ok: true, moment: { date: value, asOf: value } };
}

/** The address of `path` at the view's moment: with `?asOf=` for a past day, as it is for now. A view of the past links to the past. */
export function asOfPath(path: string, asOf: CalendarDate | null): string {
	return asOf ? `${path}?asOf=${asOf}` : path;
}

/** The moment a request asks for, or a 400 with the reason. */
export function viewMomentOf(params: URLSearchParams, today: CalendarDate): ViewMoment {
	// Two different moments asked for at once (an edited link): neither is chosen for the reader.
	if (new Set(params.getAll('asOf').map((v) => v.trim())).size > 1) error(400, m.as_of_repeated());
	const parsed = parseViewMoment(params.get('asOf'), today);
	if (!parsed.ok) error(400, parsed.message);
	return parsed.moment;
}
