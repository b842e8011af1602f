/**
 * The dashboard's filters, kept in the URL so that a link reproduces a view: theme, unit, light,
 * pace, leader and an as-of date, and the page of the item list shown. An unknown filter value is
 * dropped and reported; the as-of date follows the one rule of `view-moment.ts` (a bad one is a 400,
 * never replaced by today).
 */
import type { CalendarDate } from './dates';
import { lights, type Light } from './lights';
import { paces, type Pace } from './progress';
import { viewMomentOf } from './view-moment';
import { m } from '$lib/i18n';

/**
 * Rows of the item table a page carries, the rest a page further (`?page=`). A city's list (the
 * lecture's some forty items) fits on one; a province's thousands are no list to read on a phone, each
 * row is sent twice (HTML and data) to every leader on every look, and filters narrow the view, the
 * 月报 exports hold every item.
 */
export const ITEM_TABLE_ROWS = 50;

export type DashboardFilters = {
	theme: string | null;
	unit: number | null;
	light: Light | null;
	pace: Pace | null;
	leader: string | null;
	asOf: CalendarDate | null;
	/** The page of the item list (`ITEM_TABLE_ROWS` a page), from the second on: the first is null, its address has none. */
	page: number | null;
};

export const noFilters: DashboardFilters = { theme: null, unit: null, light: null, pace: null, leader: null, asOf: null, page: null };

export function parseFilters(params: URLSearchParams, today: CalendarDate): { filters: DashboardFilters; problems: string[] } {
	const problems: string[] = [];
	const get = (key: string) => {
		const v = params.get(key)?.trim();
		return v ? v.slice(0, 100) : null;
	};
	// An address may repeat a filter (?unit=1&unit=2): the view is filtered by the first, and says so.
	if (['theme', 'unit', 'light', 'pace', 'leader', 'page'].some((key) => params.getAll(key).length > 1)) problems.push(m.filter_repeated());
	const theme = get('theme');
	const unitRaw = get('unit');
	const unit = unitRaw && /^\d{1,9}$/.test(unitRaw) ? Number(unitRaw) : null;
	if (unitRaw && unit === null) problems.push(m.filter_unit_invalid());
	const lightRaw = get('light');
	const light = lights.find((l) => l === lightRaw) ?? null;
	if (lightRaw && !light) problems.push(m.filter_light_invalid());
	const paceRaw = get('pace');
	const pace = paces.find((p) => p === paceRaw) ?? null;
	if (paceRaw && !pace) problems.push(m.filter_pace_invalid());
	const pageRaw = get('page');
	// Any page number one could type is one: past the last page it shows the last (and says so).
	const page = pageRaw && /^\d{1,15}$/.test(pageRaw) && Number(pageRaw) >= 1 ? Number(pageRaw) : null;
	if (pageRaw && page === null) problems.push(m.filter_page_invalid());
	const { asOf } = viewMomentOf(params, today);
	return { filters: { theme, unit, light, pace, leader: get('leader'), asOf, page: page === 1 ? null : page }, problems };
}

/** The query string of a view, leaving out filters that are not set. */
export function filterQuery(filters: DashboardFilters): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(filters)) if (value !== null) params.set(key, String(value));
	const q = params.toString();
	return q ? `?${q}` : '';
}
