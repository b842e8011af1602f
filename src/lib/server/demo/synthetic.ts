/**
 * A synthetic dataset of any size (`npm run cli -- generate`), for measuring the system at the
 * scale of a city's or a province's commitments: the demo data, then about a hundred units with
 * their staff, and generated items over every theme, each with its milestones and its monthly
 * reports (drafts, returns, approvals) from `since` to today. Items are written by the demo's own
 * writer (writeItem), so they pass through the tracked writes and carry their history like real
 * data. Deterministic for a given size and day.
 */
import { eq } from 'drizzle-orm';
import { addMonthsToMonth, lastDayOf, monthOf, monthsFrom, suzhouInstant, suzhouToday, type Month } from '$lib/dates';
import { defaultRuleSettings } from '$lib/settings';
import type { Db, Tx } from '../db';
import { initiative, theme, unit, user } from '../db/schema';
import { insertTracked, type ChangeContext } from '../history';
import { seedIfEmpty } from '../seed';
import { demoAccounts, demoClock, writeItem, type Assignment, type Stage } from './generate';
import { planItem, type DemoProfile } from './plan';
import { seededRandom, seedOf, type Random } from './random';

export type SyntheticSize = {
	/** Items in all, the lecture's included. */
	items: number;
	milestonesPerItem: number;
	/** The month the generated items start from (they start within a year of it). */
	since: Month;
};

const UNITS = 100;
const BATCH = 100;
const leaders = ['王副市长', '李副市长', '张副市长', '刘副市长', '陈副市长', '杨副市长', '黄副市长', '吴副市长'];

/** Loads the demo data into the empty database `db`, then adds the synthetic units and items. */
export function generateSynthetic(db: Db, size: SyntheticSize, now = new Date(), progress?: (done: number, total: number) => void) {
	if (!seedIfEmpty(db, { dataset: 'demo', now })) throw new Error('generate fills an empty database; this one holds data already');
	const today = suzhouToday(now);
	const system: ChangeContext = { at: now.toISOString(), actorId: null, actorLabel: 'synthetic' };
	// The units are there before the first item they lead: stamped now, a view of the past saw items
	// led by units that did not exist yet, and showed no unit's name.
	const unitsAt = suzhouInstant(`${size.since}-01`, 8);
	const units = db.transaction((tx) => addUnits(tx, { ...system, at: unitsAt < system.at ? unitsAt : system.at }));
	const stage = stageOf(db, units, now);
	const lectureItems = db.select().from(initiative).all();
	const themes = db.select({ id: theme.id, name: theme.name }).from(theme).all();
	const unitCodes = [...units.keys()];
	const latestStart = monthOf(today);
	const total = Math.max(0, size.items - lectureItems.length);
	for (let first = 0; first < total; first += BATCH) {
		db.transaction((tx) => {
			for (let i = first; i < Math.min(total, first + BATCH); i++) {
				const code = itemCode(i);
				const seed = seedOf(code);
				const rng = seededRandom(seed);
				const model = lectureItems[i % lectureItems.length];
				const a = assignment(rng, code, model.title, unitCodes, size.since, latestStart);
				const registeredAt = suzhouInstant(a.start, 9);
				const row = insertTracked(
					tx,
					initiative,
					{
						code,
						title: `${model.title}(${i + 1})`.slice(0, 80),
						themeId: themes[i % themes.length].id,
						sourceId: model.sourceId,
						sourceQuote: model.sourceQuote,
						quoteStart: model.quoteStart,
						quoteEnd: model.quoteEnd,
						position: lectureItems.length + i,
						demo: true
					},
					{ at: registeredAt < system.at ? registeredAt : system.at, actorId: stage.people.supervisor, note: '立项' }
				);
				const plan = planItem(rng, a, today, defaultRuleSettings.reportDueDay, size.milestonesPerItem);
				writeItem(tx, row.id, a, plan, seed + 1, { ...stage, registeredAfter: '' });
			}
		});
		progress?.(Math.min(total, first + BATCH), total);
	}
	return { items: lectureItems.length + total, units: units.size };
}

/** `GAA-001` … `GZZ-999`: item codes in the office's format, 675,324 of them. */
function itemCode(index: number): string {
	const letters = Math.floor(index / 999);
	const a = String.fromCharCode(65 + Math.floor(letters / 26));
	const b = String.fromCharCode(65 + (letters % 26));
	return `G${a}${b}-${String((index % 999) + 1).padStart(3, '0')}`;
}

/** Units up to a hundred (the demo's and generated ones), each with a staff account. */
function addUnits(tx: Tx, ctx: ChangeContext): Map<string, number> {
	const existing = tx.select({ code: unit.code, id: unit.id, name: unit.name }).from(unit).all();
	const addAccount = demoAccounts(tx, ctx);
	const staffed = new Set(
		tx
			.select({ unitId: user.unitId })
			.from(user)
			.where(eq(user.role, 'staff'))
			.all()
			.map((s) => s.unitId)
	);
	for (const u of existing) if (!staffed.has(u.id)) addAccount(`staff-${u.code}`, `${u.name}填报员`, 'staff', u.id);
	const units = new Map(existing.map((u) => [u.code, u.id]));
	for (let n = existing.length; n < UNITS; n++) {
		const code = `g${String.fromCharCode(97 + Math.floor(n / 26))}${String.fromCharCode(97 + (n % 26))}`;
		const name = `责任单位${n + 1}`;
		const id = insertTracked(tx, unit, { code, name, kind: n % 3 ? 'department' : 'district', position: n, demo: true }, ctx).id;
		addAccount(`staff-${code}`, `${name}填报员`, 'staff', id);
		units.set(code, id);
	}
	return units;
}

function stageOf(db: Db, units: Map<string, number>, now: Date): Stage {
	const supervisor = db.select({ id: user.id }).from(user).where(eq(user.username, 'supervisor')).get()!.id;
	const staff = db.select({ id: user.id, unitId: user.unitId }).from(user).where(eq(user.role, 'staff')).all();
	const staffOf = new Map<number, number>();
	for (const s of staff) if (s.unitId !== null && !staffOf.has(s.unitId)) staffOf.set(s.unitId, s.id);
	return { units, people: { supervisor, staffOf }, at: demoClock(now), registeredAfter: '' };
}

const profiles: [DemoProfile, number][] = [
	['done', 0.1],
	['ahead', 0.2],
	['on_pace', 0.4],
	['behind', 0.2],
	['overdue', 0.1]
];

function pickProfile(rng: Random): DemoProfile {
	let roll = rng.next();
	for (const [profile, share] of profiles) if ((roll -= share) < 0) return profile;
	return 'on_pace';
}

/**
 * An item whose deadline has passed was either closed (done) or is overdue: an office does not
 * leave items past their deadline "on pace". An overdue item needs a deadline months back.
 */
function fate(profile: DemoProfile, monthsLeft: number, span: number): DemoProfile {
	if (profile === 'overdue') return monthsLeft > 6 ? 'overdue' : 'behind';
	return span < monthsLeft ? 'done' : profile;
}

/** Who leads an item, with whom, and its dates and fate. Overdue items were due before this month. */
function assignment(rng: Random, code: string, subject: string, unitCodes: string[], since: Month, latestStart: Month): Assignment {
	const startMonths = monthsFrom(since, latestStart).slice(0, 13);
	const startMonth = rng.pick(startMonths);
	const profile = pickProfile(rng);
	const monthsLeft = monthsFrom(startMonth, latestStart).length - 1;
	// Deadlines from a year ago to three years ahead: most items run on, some are closed.
	const span =
		profile === 'overdue' && monthsLeft > 6 ? rng.int(6, monthsLeft - 1) : rng.int(Math.max(18, monthsLeft - 12), monthsLeft + 36);
	const lead = rng.pick(unitCodes);
	const co = [...new Set([rng.pick(unitCodes), rng.pick(unitCodes)])].filter((c) => c !== lead).slice(0, rng.int(0, 2));
	return {
		code,
		lead,
		co,
		leader: rng.pick(leaders),
		start: `${startMonth}-${String(rng.int(1, 28)).padStart(2, '0')}`,
		due: lastDayOf(addMonthsToMonth(startMonth, span)),
		profile: fate(profile, monthsLeft, span),
		subject
	};
}
