/**
 * Calendar feeds, parsed by ical.js (the iCalendar parser of Thunderbird): the right events for a
 * staff member, their unit and the office; all-day dates; stable UIDs; the secret as the only key.
 */
import ICAL from 'ical.js';
import { and, eq, isNull, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarDays } from '$lib/dates';
import type { SessionUser } from '$lib/server/auth/sessions';
import { feedScope, feedText, feedsOf, resetFeed } from '$lib/server/calendar-feed';
import { initiative, initiativeCoUnit, milestone, supervisionSlip, unit, user } from '$lib/server/db/schema';
import { changeOwnPassword, resetPassword, setUserDisabled, updateUser } from '$lib/server/users';
import { readSecuritySettings } from '$lib/server/auth/settings';
import { seedIfEmpty } from '$lib/server/seed';
import { FIXED_NOW, tempDatabase, type TempDb } from '../helpers/db';
import { sessionUser } from '../helpers/people';

let t: TempDb;
let staff: SessionUser, office: SessionUser, other: SessionUser;
const TODAY = '2026-11-27';

beforeAll(() => {
	t = tempDatabase();
	seedIfEmpty(t.db, { dataset: 'demo', now: FIXED_NOW });
	staff = sessionUser(t.db, 'staff');
	office = sessionUser(t.db, 'supervisor');
	other = sessionUser(t.db, 'staff-gxj');
});
afterAll(() => t.close());

/** The feed of `token` as Thunderbird reads it: its events by UID. */
function parsed(token: string) {
	const scope = feedScope(t.db, token, FIXED_NOW)!;
	const text = feedText(t.db, scope, FIXED_NOW);
	const calendar = new ICAL.Component(ICAL.parse(text));
	return {
		text,
		name: calendar.getFirstPropertyValue('x-wr-calname'),
		events: calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v))
	};
}

describe('a staff member’s feed', () => {
	it('lists the unit’s open milestones, item deadlines, report due days and slips, as all-day events', () => {
		const token = resetFeed(t.db, staff, 'personal', FIXED_NOW.toISOString())!;
		const { events, name, text } = parsed(token);
		expect(name).toContain('苏州督查督办');
		expect(text).toContain('DTSTART;VALUE=DATE:');
		const uids = new Set(events.map((e) => e.uid.split('@')[0]));

		const co = t.db
			.select({ id: initiativeCoUnit.initiativeId })
			.from(initiativeCoUnit)
			.where(eq(initiativeCoUnit.unitId, staff.unitId!))
			.all()
			.map((r) => r.id);
		const mine = t.db
			.select()
			.from(initiative)
			.where(eq(initiative.status, 'active'))
			.all()
			.filter((i) => i.leadUnitId === staff.unitId || co.includes(i.id));
		const from = addCalendarDays(TODAY, -30);
		const to = addCalendarDays(TODAY, 365);
		const open = t.db
			.select()
			.from(milestone)
			.where(and(isNull(milestone.completedOn), isNull(milestone.removedAt)))
			.all()
			.filter((ms) => mine.some((i) => i.id === ms.initiativeId) && ms.dueOn >= from && ms.dueOn <= to);
		expect(open.length).toBeGreaterThan(0);
		for (const ms of open) expect(uids.has(`milestone-${ms.id}`), `milestone ${ms.id}`).toBe(true);
		// Nothing of another unit's items.
		const others = t.db
			.select()
			.from(milestone)
			.all()
			.filter((ms) => !mine.some((i) => i.id === ms.initiativeId));
		for (const ms of others) expect(uids.has(`milestone-${ms.id}`)).toBe(false);
		for (const item of mine.filter((i) => i.dueOn && i.dueOn >= from && i.dueOn <= to)) expect(uids.has(`item-${item.id}-due`)).toBe(true);

		const due = events.find((e) => e.uid.startsWith('report-due-2026-12@'))!;
		expect(due.summary).toBe('2026年12月进展报送截止');
		expect(due.startDate.isDate).toBe(true);
		expect(due.startDate.toString()).toBe('2026-12-25');
		const slips = t.db
			.select()
			.from(supervisionSlip)
			.where(and(eq(supervisionSlip.unitId, staff.unitId!), isNull(supervisionSlip.reply)))
			.all();
		for (const slip of slips) expect(events.find((e) => e.uid.startsWith(`slip-${slip.id}@`))?.startDate.toString()).toBe(slip.replyBy);
		// The same events under the same UIDs next time (calendar programs update, not duplicate).
		expect(parsed(token).events.map((e) => e.uid)).toEqual(events.map((e) => e.uid));
	});

	it('opens with its secret only; a new secret closes the old one; a disabled person’s feed is closed', () => {
		const first = resetFeed(t.db, staff, 'personal', FIXED_NOW.toISOString())!;
		expect(feedScope(t.db, first, FIXED_NOW)).not.toBeNull();
		const second = resetFeed(t.db, staff, 'personal', FIXED_NOW.toISOString())!;
		expect(feedScope(t.db, first, FIXED_NOW)).toBeNull();
		expect(feedScope(t.db, second, FIXED_NOW)).not.toBeNull();
		expect(feedScope(t.db, second.slice(0, -1) + (second.endsWith('A') ? 'B' : 'A'), FIXED_NOW)).toBeNull();
		expect(feedScope(t.db, '../../etc/passwd', FIXED_NOW)).toBeNull();
		expect(feedsOf(t.db, staff).personal?.lastReadAt).toBe(FIXED_NOW.toISOString());
		t.db.update(user).set({ disabled: true }).where(eq(user.id, other.id)).run();
		const theirs = resetFeed(t.db, other, 'personal', FIXED_NOW.toISOString())!;
		expect(feedScope(t.db, theirs, FIXED_NOW)).toBeNull();
		t.db.update(user).set({ disabled: false }).where(eq(user.id, other.id)).run();
	});

	it('closes for good the feeds of a person disabled, or moved to another unit: enabling them or moving them back opens none', () => {
		const admin = sessionUser(t.db, 'admin');
		const ctx = () => ({ at: FIXED_NOW.toISOString(), actor: admin, actorId: admin.id });
		const personal = resetFeed(t.db, other, 'personal', FIXED_NOW.toISOString())!;
		const ofUnit = resetFeed(t.db, other, 'unit', FIXED_NOW.toISOString())!;
		expect(feedScope(t.db, personal, FIXED_NOW)).not.toBeNull();
		expect(feedScope(t.db, ofUnit, FIXED_NOW)).not.toBeNull();
		setUserDisabled(t.db, other.id, true, ctx());
		setUserDisabled(t.db, other.id, false, ctx());
		expect(feedScope(t.db, personal, FIXED_NOW)).toBeNull();
		expect(feedScope(t.db, ofUnit, FIXED_NOW)).toBeNull();

		const again = resetFeed(t.db, other, 'personal', FIXED_NOW.toISOString())!;
		const anotherUnit = t.db.select().from(unit).where(ne(unit.id, other.unitId!)).get()!.id;
		const profile = { userId: other.id, displayName: other.displayName, role: other.role };
		const versionNow = () => t.db.select().from(user).where(eq(user.id, other.id)).get()!.version;
		updateUser(t.db, { ...profile, version: versionNow(), unitId: anotherUnit }, ctx());
		updateUser(t.db, { ...profile, version: versionNow(), unitId: other.unitId }, ctx());
		expect(feedScope(t.db, again, FIXED_NOW)).toBeNull();
	});

	it('closes the feeds of a person whose password is changed or reset, or whose role changes: the address is a credential too', async () => {
		const admin = sessionUser(t.db, 'admin');
		const ctx = () => ({ at: FIXED_NOW.toISOString(), actor: admin, actorId: admin.id });
		const at = FIXED_NOW.toISOString();
		const client = { at, address: null, userAgent: null };
		const settings = readSecuritySettings({});

		await resetPassword(t.db, other.id, 'Temporary-Pass-9', ctx());
		const personal = resetFeed(t.db, other, 'personal', at)!;
		const ofUnit = resetFeed(t.db, other, 'unit', at)!;
		await changeOwnPassword(t.db, other.id, 'Temporary-Pass-9', 'Brand-New-Pass-7', client, settings);
		expect(feedScope(t.db, personal, FIXED_NOW)).toBeNull();
		expect(feedScope(t.db, ofUnit, FIXED_NOW)).toBeNull();

		const beforeReset = resetFeed(t.db, other, 'personal', at)!;
		await resetPassword(t.db, other.id, 'Temporary-Pass-8', ctx());
		expect(feedScope(t.db, beforeReset, FIXED_NOW)).toBeNull();

		// Staff made leader of the same unit: the unit's feed (a staff member's view of the unit) closes.
		const unitFeed = resetFeed(t.db, other, 'unit', at)!;
		const row = t.db.select().from(user).where(eq(user.id, other.id)).get()!;
		const profile = { userId: other.id, displayName: other.displayName, unitId: other.unitId };
		updateUser(t.db, { ...profile, role: 'leader', version: row.version }, ctx());
		expect(feedScope(t.db, unitFeed, FIXED_NOW)).toBeNull();
		const back = t.db.select().from(user).where(eq(user.id, other.id)).get()!;
		updateUser(t.db, { ...profile, role: 'staff', version: back.version }, ctx());
	});

	it('gives a unit feed the unit’s deadlines, and closes it when its maker leaves the unit', () => {
		const unitToken = resetFeed(t.db, staff, 'unit', FIXED_NOW.toISOString())!;
		const scope = feedScope(t.db, unitToken, FIXED_NOW)!;
		expect(scope).toMatchObject({ role: 'staff', unitId: staff.unitId });
		expect(parsed(unitToken).events.length).toBe(parsed(resetFeed(t.db, staff, 'personal', FIXED_NOW.toISOString())!).events.length);
		expect(resetFeed(t.db, office, 'unit', FIXED_NOW.toISOString())).toBeNull(); // the office has no unit
		t.db.update(user).set({ unitId: other.unitId }).where(eq(user.id, staff.id)).run();
		expect(feedScope(t.db, unitToken, FIXED_NOW)).toBeNull();
		t.db.update(user).set({ unitId: staff.unitId }).where(eq(user.id, staff.id)).run();
	});
});

describe('the office’s feed', () => {
	it('lists every item’s deadline and every open slip, not the milestones', () => {
		const { events } = parsed(resetFeed(t.db, office, 'personal', FIXED_NOW.toISOString())!);
		expect(events.some((e) => e.uid.startsWith('milestone-'))).toBe(false);
		const slips = t.db.select().from(supervisionSlip).where(isNull(supervisionSlip.reply)).all();
		expect(events.filter((e) => e.uid.startsWith('slip-')).length).toBe(
			slips.filter((s) => s.voidedAt === null && s.replyBy >= addCalendarDays(TODAY, -30)).length
		);
		expect(events.filter((e) => e.uid.startsWith('report-due-')).length).toBeGreaterThanOrEqual(12);
		expect(events.map((e) => e.startDate.toString())).toEqual([...events.map((e) => e.startDate.toString())].sort());
	});
});
