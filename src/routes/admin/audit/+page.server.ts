import { appDb } from '$lib/server/app-db';
import { listChanges, countChanges } from '$lib/server/audit';
import { countSecurityEvents, listSecurityEvents } from '$lib/server/auth/security-log';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 100;

export const load = (({ url }) => {
	const log = url.searchParams.get('log') === 'changes' ? 'changes' : 'security';
	const requested = Number(url.searchParams.get('page') ?? '1');
	const pageNo = Number.isInteger(requested) && requested >= 1 && requested <= 1_000_000 ? requested : 1;
	const offset = (pageNo - 1) * PAGE_SIZE;
	const db = appDb();
	return log === 'security'
		? { log, pageNo, pageSize: PAGE_SIZE, total: countSecurityEvents(db), security: listSecurityEvents(db, PAGE_SIZE, offset), changes: [] }
		: { log, pageNo, pageSize: PAGE_SIZE, total: countChanges(db), security: [], changes: listChanges(db, PAGE_SIZE, offset) };
}) satisfies PageServerLoad;
