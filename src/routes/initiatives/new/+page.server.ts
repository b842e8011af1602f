import { appDb } from '$lib/server/app-db';
import { requirePermission } from '$lib/server/auth/guard';
import { itemFormOptions } from '$lib/server/catalogue-options';
import { formAction } from '$lib/server/form-action';
import { createItem, newItemSchema } from '$lib/server/workflow/items';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals }) => {
	requirePermission(locals, 'manageItems');
	return itemFormOptions(appDb());
}) satisfies PageServerLoad;

export const actions = {
	create: (event) =>
		formAction(event, {
			permission: 'manageItems',
			parse: newItemSchema,
			run: ({ db, change }, data) => createItem(db, data, change),
			next: (item) => `/initiatives/${item.code}/edit?done=created`
		})
} satisfies Actions;
