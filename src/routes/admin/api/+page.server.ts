import { z } from 'zod';
import { m } from '$lib/i18n';
import { appDb } from '$lib/server/app-db';
import { requirePermission } from '$lib/server/auth/guard';
import { formAction, type ActionContext } from '$lib/server/form-action';
import { calendarDate, optionalId } from '$lib/server/forms';
import { addYearsToDate, suzhouToday } from '$lib/dates';
import { issueToken, KEY_YEARS_MAX, keyExpiryOffered, listTokens, recentCalls, revokeToken } from '$lib/server/api/tokens';
import { listUnits } from '$lib/server/units';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals, url }) => {
	requirePermission(locals, 'manageSettings');
	const db = appDb();
	const today = suzhouToday();
	return {
		tokens: listTokens(db),
		calls: recentCalls(db),
		units: listUnits(db),
		revoked: url.searchParams.has('revoked'),
		today,
		expiry: { offered: keyExpiryOffered(today), latest: addYearsToDate(today, KEY_YEARS_MAX) }
	};
}) satisfies PageServerLoad;

const issueSchema = z.object({
	name: z
		.string({ error: () => m.api_token_name_missing() })
		.trim()
		.min(1, { error: () => m.api_token_name_missing() })
		.max(100, { error: () => m.form_too_long({ label: m.field_name(), max: 100 }) }),
	// Empty is a key of the whole city; anything else must name a unit: a garbled choice never widens a key.
	unitId: optionalId(m.api_token_scope),
	expiresOn: calendarDate(m.api_token_expires)
});

/** Who changes the keys: the security log records it with the change (tokens.ts). */
const keyChange = (ctx: ActionContext) => ({ actorId: ctx.user.id, at: ctx.change.at, address: ctx.change.address });

export const actions = {
	/** The key is in the answer, shown once; never in an address. */
	issue: (event) =>
		formAction(event, {
			permission: 'manageSettings',
			parse: issueSchema,
			run: (ctx, data) => {
				const { key } = issueToken(ctx.db, { name: data.name, unitId: data.unitId, expiresOn: data.expiresOn }, keyChange(ctx));
				return { key, name: data.name, expiresOn: data.expiresOn };
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
				revokeToken(ctx.db, id, keyChange(ctx));
			},
			next: () => '/admin/api?revoked'
		})
} satisfies Actions;
