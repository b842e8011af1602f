import { suzhouToday } from '$lib/dates';
import { appDb } from '$lib/server/app-db';
import { dashboard } from '$lib/server/dashboard';
import type { PageServerLoad } from './$types';

export const load = (() => {
	const date = suzhouToday();
	return { date, ...dashboard(appDb(), date) };
}) satisfies PageServerLoad;
