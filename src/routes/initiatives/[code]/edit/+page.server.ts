import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { suzhouToday } from '$lib/dates';
import { appDb } from '$lib/server/app-db';
import { requirePermission } from '$lib/server/auth/guard';
import { itemFormOptions } from '$lib/server/catalogue-options';
import { formAction } from '$lib/server/form-action';
import { text, versionField } from '$lib/server/forms';
import { getInitiative, initiativeIdByCode } from '$lib/server/initiatives';
import { WorkflowError } from '$lib/server/workflow/errors';
import { openSlipsOfItem } from '$lib/server/workflow/slips';
import {
	addMilestone,
	itemChangeSchema,
	milestoneChangeSchema,
	milestoneSchema,
	removeMilestone,
	updateItem,
	updateMilestone
} from '$lib/server/workflow/items';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/i18n';

export const load = (({ params, locals }) => {
	requirePermission(locals, 'manageItems');
	const db = appDb();
	const item = getInitiative(db, params.code, suzhouToday());
	if (!item) error(404, m.item_not_found({ code: params.code.slice(0, 20) }));
	// Only what the forms show: the item's reports (a unit's unsent draft among them), files and
	// contributions are not the office's to read here (the whole item went to the page before).
	const { code, title, version, themeId, leadUnitId, coUnits, leader, startOn, dueOn, milestones } = item;
	return {
		item: { code, title, version, themeId, leadUnitId, coUnits, leader, startOn, dueOn, milestones },
		/** The months whose report the lead unit has begun and not sent: a change of lead unit hands them over. */
		draftMonths: item.reports.filter((r) => r.status === 'draft').map((r) => r.month),
		/** Slips not yet answered: they stay with the unit they press when the lead unit changes. */
		openSlips: openSlipsOfItem(db, item.id),
		...itemFormOptions(db)
	};
}) satisfies PageServerLoad;

function itemId(code: string): number {
	const id = initiativeIdByCode(appDb(), code);
	if (id === null) throw new WorkflowError('form', m.item_gone(), 404);
	return id;
}

const milestoneId = z.coerce
	.number({ error: () => m.milestone_invalid() })
	.int({ error: () => m.milestone_invalid() })
	.positive({ error: () => m.milestone_invalid() });

export const actions = {
	update: (event) =>
		formAction(event, {
			permission: 'manageItems',
			parse: itemChangeSchema,
			run: ({ db, change }, data) => updateItem(db, itemId(event.params.code), data, change),
			next: () => `/initiatives/${event.params.code}/edit?done=updated`
		}),
	addMilestone: (event) =>
		formAction(event, {
			permission: 'manageItems',
			parse: milestoneSchema,
			run: ({ db, change }, data) => addMilestone(db, itemId(event.params.code), data, change),
			next: () => `/initiatives/${event.params.code}/edit?done=added#milestones`
		}),
	updateMilestone: (event) =>
		formAction(event, {
			permission: 'manageItems',
			parse: milestoneChangeSchema.extend({ milestoneId }),
			run: ({ db, change }, { milestoneId: id, ...data }) => updateMilestone(db, itemId(event.params.code), id, data, change),
			next: () => `/initiatives/${event.params.code}/edit?done=saved#milestones`
		}),
	removeMilestone: (event) =>
		formAction(event, {
			permission: 'manageItems',
			parse: z.object({ milestoneId, version: versionField, reason: text(m.removal_reason, 200) }),
			run: ({ db, change }, data) => removeMilestone(db, itemId(event.params.code), data.milestoneId, data.version, data.reason, change),
			next: () => `/initiatives/${event.params.code}/edit?done=removed#milestones`
		})
} satisfies Actions;
