import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { suzhouToday } from '$lib/dates';
import { m } from '$lib/i18n';
import { can } from '$lib/roles';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { formAction } from '$lib/server/form-action';
import { text, versionField } from '$lib/server/forms';
import { readableSlip } from '$lib/server/slip-register';
import { answerSlip, voidSlip } from '$lib/server/workflow/slips';
import { orHttpError } from '$lib/server/workflow/errors';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ params, locals }) => {
	const user = requireUser(locals);
	const today = suzhouToday();
	const slip = orHttpError(() => readableSlip(appDb(), params.id, user, today));
	return {
		slip,
		today,
		may: {
			answer: slip.state !== 'voided' && slip.reply === null && user.role === 'staff' && user.unitId === slip.unitId,
			void: slip.state !== 'voided' && slip.reply === null && can(user.role, 'issueSlips')
		}
	};
}) satisfies PageServerLoad;

const slipId = (id: string) => {
	if (!/^\d{1,9}$/.test(id)) error(404, m.slip_gone());
	return Number(id);
};

export const actions = {
	answer: (event) =>
		formAction(event, {
			permission: 'writeReports',
			parse: z.object({ version: versionField, reply: text(m.field_slip_reply, 2000) }),
			run: ({ db, user, change }, data) => answerSlip(db, user, slipId(event.params.id), data.version, data.reply, change),
			next: () => `/slips/${event.params.id}?done=answered`
		}),
	void: (event) =>
		formAction(event, {
			permission: 'issueSlips',
			parse: z.object({ version: versionField, reason: text(m.field_void_reason, 500) }),
			run: ({ db, change }, data) => voidSlip(db, slipId(event.params.id), data.version, data.reason, change),
			next: () => `/slips/${event.params.id}?done=voided`
		})
} satisfies Actions;
