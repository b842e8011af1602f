import { error } from '@sveltejs/kit';
import { appDb } from '$lib/server/app-db';
import { getSource } from '$lib/server/sources';
import type { PageServerLoad } from './$types';

export const load = (({ params }) => {
	const id = /^\d{1,9}$/.test(params.id) ? Number(params.id) : null;
	const source = id === null ? null : getSource(appDb(), id);
	if (!source) error(404, `没有编号为“${params.id}”的任务来源。`);
	return { source };
}) satisfies PageServerLoad;
