/**
 * Dates a person enters are years 2000 to 2099, and month arithmetic holds past 9999: an office's
 * milestone due 9999-12-31 ("open-ended") once sent the dashboard's month list into an endless loop
 * (after 9999-12 comes 10000-01, which sorts before it as text) and took the server down at every start.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addMonthsToMonth, monthsFrom } from '$lib/dates';
import { parseFilters } from '$lib/dashboard-filters';
import { dashboard } from '$lib/server/dashboard';
import { milestone } from '$lib/server/db/schema';
import { updateTracked } from '$lib/server/history';
import { calendarDate, optionalDate } from '$lib/server/forms';
import { seedIfEmpty } from '$lib/server/seed';
import { FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';

const TODAY = '2026-11-27';

describe('month arithmetic past the year 9999', () => {
	it('counts months rather than comparing them as text', () => {
		expect(addMonthsToMonth('9999-12', 1)).toBe('10000-01');
		expect(monthsFrom('9999-11', '10000-02')).toEqual(['9999-11', '9999-12', '10000-01', '10000-02']);
		expect(monthsFrom('10000-01', '9999-12')).toEqual([]);
	});
});

describe('dates a person enters', () => {
	const form = z.object({ due: calendarDate(() => '完成时限'), start: optionalDate(() => '开始日期') });
	const problems = (due: string, start = '') => {
		const parsed = form.safeParse({ due, start });
		return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
	};
	it('are years 2000 to 2099, with a message saying so', () => {
		expect(problems('2099-12-31', '2000-01-01')).toEqual([]);
		expect(problems('9999-12-31')).toEqual(['完成时限应在 2000-01-01 至 2099-12-31 之间']);
		expect(problems('2026-12-31', '1999-12-31')).toEqual(['开始日期应在 2000-01-01 至 2099-12-31 之间']);
		// A date that does not exist says that, not the range.
		expect(problems('9999-02-30')).toHaveLength(1);
	});
});

describe('the dashboard with a milestone due in 9999 (entered before dates were bounded)', () => {
	let t: TempDb;
	beforeAll(() => {
		t = tempDatabase();
		seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW });
	});
	afterAll(() => t.close());

	it('shows ten years ahead at most, the later milestone counted in its last month', () => {
		const filters = parseFilters(new URLSearchParams(), TODAY).filters;
		const before = dashboard(t.db, filters, TODAY).burnUp;
		const open = t.db.get<{ id: number }>(sql`
			SELECT max(id) AS id FROM milestone WHERE completed_on IS NULL AND removed_at IS NULL
			AND initiative_id IN (SELECT id FROM initiative WHERE status = 'active')`);
		updateTracked(t.db, milestone, open.id, { dueOn: '9999-12-31' }, { at: FIXED_NOW.toISOString(), actorId: null, actorLabel: 'system' });
		const after = dashboard(t.db, filters, TODAY).burnUp;
		expect(after.at(-1)!.month).toBe('2036-11');
		expect(after.at(-1)!.planned).toBe(before.at(-1)!.planned);
	});
});
