import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { suzhouToday } from '$lib/dates';
import { m } from '$lib/i18n';
import { can } from '$lib/roles';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { readOrNotFound } from '$lib/server/auth/hidden';
import { formAction } from '$lib/server/form-action';
import { longText, parseFileForm, versionField } from '$lib/server/forms';
import { officeFiles } from '$lib/server/evidence/attachments';
import { attachment, supervisionSlip } from '$lib/server/db/schema';
import { readsWithdrawnFiles } from '$lib/server/workflow/access';
import { WorkflowError } from '$lib/server/workflow/errors';
import { eq } from 'drizzle-orm';
import { readableSlip } from '$lib/server/slip-register';
import { answerSlip, voidSlip } from '$lib/server/workflow/slips';
import type { Actions, PageServerLoad } from './$types';

export const load = ((event) => {
	const user = requireUser(event.locals);
	const today = suzhouToday();
	const db = appDb();
	const slip = readOrNotFound(event, db, user, () => readableSlip(db, event.params.id, user, today));
	const files = db
		.select()
		.from(attachment)
		.where(eq(attachment.slipId, slip.id))
		.all()
		.filter((a) => a.withdrawnAt === null || readsWithdrawnFiles(user));
	return {
		slip,
		files,
		mayAttach: can(user.role, 'issueSlips'),
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
			parse: z.object({ version: versionField, reply: longText(m.field_slip_reply, 2000) }),
			run: ({ db, user, change }, data) => answerSlip(db, user, slipId(event.params.id), data.version, data.reply, change),
			next: () => `/slips/${event.params.id}?done=answered`
		}),
	attachFiles: (event) =>
		formAction(event, {
			permission: 'issueSlips',
			files: true,
			parse: parseFileForm,
			run: ({ db, change, uploads }, data) => {
				const slip = db
					.select()
					.from(supervisionSlip)
					.where(eq(supervisionSlip.id, slipId(event.params.id)))
					.get();
				if (!slip) throw new WorkflowError('form', m.slip_gone(), 404);
				return officeFiles(db, { initiativeId: slip.initiativeId, slipId: slip.id }, uploads, data.withdraw, change);
			},
			next: () => `/slips/${event.params.id}?done=files`
		}),
	void: (event) =>
		formAction(event, {
			permission: 'issueSlips',
			parse: z.object({ version: versionField, reason: longText(m.field_void_reason, 500) }),
			run: ({ db, change }, data) => voidSlip(db, slipId(event.params.id), data.version, data.reason, change),
			next: () => `/slips/${event.params.id}?done=voided`
		})
} satisfies Actions;
