import { appDb, isDemo } from '$lib/server/app-db';
import { listSources } from '$lib/server/sources';
import { suzhouToday } from '$lib/dates';
import type { LayoutServerLoad } from './$types';

export const load = (() => ({
	demo: isDemo(),
	today: suzhouToday(),
	sources: listSources(appDb()).map(({ id, title }) => ({ id, title }))
})) satisfies LayoutServerLoad;
