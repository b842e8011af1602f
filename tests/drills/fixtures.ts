/**
 * The drills' database: the demo data, plus items registered for the drills (编号 DRL-…, a theme of
 * their own) through
 * the office's own commands, started 23 months ago so that every month since is free to report on
 * (reports reach back at most two years).
 * Built once per run as a template; each drill works on its own copy.
 */
import Database from 'better-sqlite3';
import { copyFileSync, cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { addMonthsToMonth, monthOf, monthsFrom, suzhouToday } from '$lib/dates';
import { openDatabase } from '$lib/server/db';
import { filesDirOf } from '$lib/server/evidence/store';
import { initiative, source, theme, user } from '$lib/server/db/schema';
import { insertTracked } from '$lib/server/history';
import { seedIfEmpty } from '$lib/server/seed';
import { addMilestone, createItem } from '$lib/server/workflow/items';
import { isNotNull } from 'drizzle-orm';

const ITEMS = 100;
const MILESTONES = 8;
const START_MONTH = addMonthsToMonth(monthOf(suzhouToday()), -23);

export function buildTemplate(dir: string): string {
	const path = join(dir, 'template.db');
	const db = openDatabase(path);
	seedIfEmpty(db, { dataset: 'demo' });
	const ctx = { at: new Date().toISOString(), actorId: null, actorLabel: 'drill', actor: { system: 'drill' } };
	// Their source: a sentence of its own for each (a sentence is made an item once).
	const tasks = Array.from({ length: ITEMS }, (_, i) => `第${i + 1}项演练任务按期推进。`);
	const drillSource = insertTracked(
		db,
		source,
		{ slug: 'drills', title: '演练任务清单', speaker: '演练', deliveredOn: `${START_MONTH}-01`, body: tasks.join('\n'), kind: 'minutes' },
		ctx
	).id;
	// The drill items' own theme: an item's code begins with its theme's (DRL-001 under 演练任务).
	const drillTheme = insertTracked(db, theme, { code: 'DRL', name: '演练任务', position: 99 }, ctx).id;
	const staffUnits = [
		...new Set(
			db
				.select({ unitId: user.unitId })
				.from(user)
				.where(isNotNull(user.unitId))
				.all()
				.map((u) => u.unitId!)
		)
	];
	for (let i = 0; i < ITEMS; i++) {
		const item = createItem(
			db,
			{
				code: `DRL-${String(i + 1).padStart(3, '0')}`,
				sourceId: drillSource,
				quote: tasks[i],
				title: `演练任务 ${i + 1}`,
				themeId: drillTheme,
				leadUnitId: staffUnits[i % 6],
				coUnitIds: [],
				leader: null,
				startOn: `${START_MONTH}-01`,
				dueOn: `${addMonthsToMonth(START_MONTH, 30)}-28`,
				// The drill's tasks are alike on purpose (演练任务 1, 2, …): made as the office would after checking.
				confirmRepeat: true
			},
			ctx
		);
		for (let k = 0; k < MILESTONES; k++) {
			const dueMonth = addMonthsToMonth(START_MONTH, 3 + k * 3);
			addMilestone(db, item.id, { title: `演练节点 ${k + 1}`, dueOn: `${dueMonth}-20`, weight: 1, position: k }, ctx);
		}
	}
	db.$client.close(); // checkpoints the WAL: the template is one file
	return path;
}

export function copyOfTemplate(template: string, dir: string, name: string): string {
	const path = join(dir, `${name}.db`);
	copyFileSync(template, path);
	// The evidence files go with their database.
	if (existsSync(filesDirOf(template))) cpSync(filesDirOf(template), filesDirOf(path), { recursive: true });
	return path;
}

export type DrillItem = { id: number; code: string; staff: string; milestoneIds: number[] };

/** The drill items with the username of a staff member of each one's lead unit. */
export function drillItems(client: Database.Database): DrillItem[] {
	const rows = client
		.prepare(
			`SELECT i.id, i.code, (SELECT u.username FROM user u WHERE u.unit_id = i.lead_unit_id AND u.role = 'staff' ORDER BY u.id LIMIT 1) AS staff,
			        (SELECT json_group_array(m.id) FROM (SELECT id FROM milestone WHERE initiative_id = i.id ORDER BY position) m) AS milestones
			 FROM initiative i WHERE i.code LIKE 'DRL-%' ORDER BY i.code`
		)
		.all() as { id: number; code: string; staff: string; milestones: string }[];
	return rows.map((r) => ({ id: r.id, code: r.code, staff: r.staff, milestoneIds: JSON.parse(r.milestones) as number[] }));
}

/** The months a drill item may be reported on today: from its start to this month. */
export function reportableMonths(): string[] {
	return monthsFrom(START_MONTH, monthOf(suzhouToday()));
}
