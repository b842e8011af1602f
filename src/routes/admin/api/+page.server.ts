import { z } from 'zod';
import { m } from '$lib/i18n';
import { appDb } from '$lib/server/app-db';
import { recordSecurityEvent } from '$lib/server/auth/security-log';
import { formAction, type ActionContext } from '$lib/server/form-action';
import { issueToken, listTokens, recentCalls, revokeToken } from '$lib/server/api/tokens';
import { listUnits } from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ url }) => {
	const db = appDb();
	return { tokens: listTokens(db), calls: recentCalls(db), units: listUnits(db), revoked: url.searchParams.has('revoked') };
}) satisfies PageServerLoad;

const issueSchema = z.object({
	name: z
		.string({ error: () => m.api_token_name_missing() })
		.trim()
		.min(1, { error: () => m.api_token_name_missing() })
		.max(100, { error: () => m.api_token_name_missing() }),
	unitId: z
		.string()
		.optional()
		.transform((v) => (v && /^\d{1,9}$/.test(v) ? Number(v) : null))
});

const audit = (ctx: ActionContext, detail: Record<string, unknown>) =>
	recordSecurityEvent(ctx.db, { kind: 'api_keys_changed', at: ctx.change.at, actorId: ctx.user.id, address: ctx.change.address, detail });

export const actions = {
	/** The key is in the answer, shown once; never in an address. */
	issue: (event) =>
		formAction(event, {
			permission: 'manageSettings',
			parse: issueSchema,
			run: (ctx, data) => {
				const unitId = data.unitId !== null && listUnits(ctx.db).some((u) => u.id === data.unitId) ? data.unitId : null;
				const { key, id } = issueToken(ctx.db, { name: data.name, unitId }, ctx.user.id, ctx.change.at);
				audit(ctx, { apiTokenIssued: { id, name: data.name, unitId } });
				return { key, name: data.name };
			},
			reply: (issued) => ({ issued })
		}),
	revoke: (event) =>
		formAction(event, {
			permission: 'manageSettings',
			parse: z.object({
				id: z.coerce
					.number({ error: () => m.form_stale() })
					.int()
					.positive()
			}),
			run: (ctx, { id }) => {
				if (revokeToken(ctx.db, id, ctx.change.at)) audit(ctx, { apiTokenRevoked: { id } });
			},
			next: () => '/admin/api?revoked'
		})
} satisfies Actions;
