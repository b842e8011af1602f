import { requirePermission } from '$lib/server/auth/guard';
import { isCalendarDate } from '$lib/dates';
import { m } from '$lib/i18n';
import { appDb } from '$lib/server/app-db';
import { changeActors, countChanges, listChanges, type ChangeFilters } from '$lib/server/audit';
import { countSecurityEvents, listSecurityEvents } from '$lib/server/auth/security-log';
import { listUnits } from '$lib/server/units';
import { trackedTableNames } from '$lib/server/history';
import { initiativeIdByCode } from '$lib/server/initiatives';
import type { Tx } from '$lib/server/db';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 100;

/** The data-change log's filters from the address; a value that is not valid is named and ignored. */
function changeFilters(db: Tx, params: URLSearchParams): { filters: ChangeFilters; problems: string[] } {
	const problems: string[] = [];
	const value = (key: string) => (params.get(key) ?? '').trim().slice(0, 40);
	const bad = (v: string) => problems.push(m.audit_filter_bad({ value: v }));
	const actorText = value('actor');
	const actor = actorText === 'system' ? 'system' : /^\d{1,9}$/.test(actorText) ? Number(actorText) : null;
	if (actorText && actor === null) bad(actorText);
	const entityText = value('entity');
	const entity = (trackedTableNames as readonly string[]).includes(entityText) ? entityText : null;
	if (entityText && entity === null) bad(entityText);
	const code = value('item').toUpperCase();
	const itemId = code ? initiativeIdByCode(db, code) : null;
	if (code && itemId === null) problems.push(m.audit_item_unknown({ code }));
	const date = (key: string) => {
		const v = value(key);
		if (v && !isCalendarDate(v)) bad(v);
		return v && isCalendarDate(v) ? v : null;
	};
	return { filters: { actor, entity, itemId, from: date('from'), to: date('to') }, problems };
}

export const load = (({ locals, url }) => {
	requirePermission(locals, 'viewAudit');
	const log = url.searchParams.get('log') === 'changes' ? 'changes' : 'security';
	const requested = Number(url.searchParams.get('page') ?? '1');
	const pageNo = Number.isInteger(requested) && requested >= 1 && requested <= 1_000_000 ? requested : 1;
	const offset = (pageNo - 1) * PAGE_SIZE;
	const db = appDb();
	if (log === 'security') {
		return {
			log,
			pageNo,
			pageSize: PAGE_SIZE,
			total: countSecurityEvents(db),
			security: listSecurityEvents(db, PAGE_SIZE, offset),
			// The units an administrator's change names (a person's unit, a key's, a robot's).
			unitNames: Object.fromEntries(listUnits(db).map((u) => [u.id, u.name])),
			changes: []
		};
	}
	const { filters, problems } = changeFilters(db, url.searchParams);
	return {
		log,
		pageNo,
		pageSize: PAGE_SIZE,
		total: countChanges(db, filters),
		security: [],
		changes: listChanges(db, filters, PAGE_SIZE, offset),
		problems,
		actors: changeActors(db),
		entities: trackedTableNames
	};
}) satisfies PageServerLoad;
