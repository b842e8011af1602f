import { error } from '@sveltejs/kit';
import { suzhouToday } from '$lib/dates';
import { appDb } from '$lib/server/app-db';
import { getInitiative } from '$lib/server/initiatives';
import type { PageServerLoad } from './$types';

export const load = (({ params }) => {
	const date = suzhouToday();
	const item = getInitiative(appDb(), params.code, date);
	if (!item) error(404, `没有编号为“${params.code}”的重点任务。`);
	return { date, item };
}) satisfies PageServerLoad;
