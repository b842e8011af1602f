/**
 * The register of slips (督办单登记簿): every slip ever issued with its number, item, unit and state,
 * as each reader may see it (`mayReadSlip`: staff read their own unit's slips only).
 */
import { aliasedTable, and, between, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { endOfSuzhouDay, lastDayOf, type CalendarDate } from '$lib/dates';
import { slipState, type SlipColour, type SlipState } from '$lib/slips';
import type { SessionUser } from './auth/sessions';
import type { Tx } from './db';
import { initiative, supervisionSlip, unit, user } from './db/schema';
import { mayReadSlip, staffUnitOf } from './workflow/access';
import { fieldAt } from './as-of';
import { HiddenRecordError, WorkflowError } from './workflow/errors';
import { m } from '$lib/i18n';

export type SlipFilter = { year: number | null; colour: SlipColour | null; state: SlipState | null; unitId: number | null };

export type RegisterRow = typeof supervisionSlip.$inferSelect & {
	code: string;
	title: string;
	unitName: string;
	issuedByName: string | null;
	repliedByName: string | null;
	state: SlipState;
};

const issuer = aliasedTable(user, 'issuer');
const replier = aliasedTable(user, 'replier');

function registerQuery(db: Tx, where: SQL | undefined) {
	return db
		.select({
			slip: supervisionSlip,
			// A numbered document reads as it was issued: the item, the unit and the signer named as they
			// were then (a rename later changes none of them), the reply's signer as when it was sent.
			code: fieldAt(initiative, supervisionSlip.initiativeId, 'code', supervisionSlip.issuedAt, initiative.code),
			title: fieldAt(initiative, supervisionSlip.initiativeId, 'title', supervisionSlip.issuedAt, initiative.title),
			itemStatus: initiative.status,
			unitName: fieldAt(unit, supervisionSlip.unitId, 'name', supervisionSlip.issuedAt, unit.name),
			issuedByName: fieldAt(user, supervisionSlip.issuedBy, 'displayName', supervisionSlip.issuedAt, issuer.displayName),
			repliedByName: fieldAt(
				user,
				supervisionSlip.repliedBy,
				'displayName',
				sql`coalesce(${supervisionSlip.repliedAt}, '')`,
				replier.displayName
			)
		})
		.from(supervisionSlip)
		.innerJoin(initiative, eq(initiative.id, supervisionSlip.initiativeId))
		.innerJoin(unit, eq(unit.id, supervisionSlip.unitId))
		.leftJoin(issuer, eq(issuer.id, supervisionSlip.issuedBy))
		.leftJoin(replier, eq(replier.id, supervisionSlip.repliedBy))
		.where(where)
		.orderBy(desc(supervisionSlip.issuedAt), desc(supervisionSlip.id));
}

type QueryRow = Awaited<ReturnType<ReturnType<typeof registerQuery>['all']>>[number];

const toRow =
	(today: CalendarDate) =>
	({ slip, itemStatus, ...names }: QueryRow): RegisterRow => ({
		...slip,
		...names,
		state: slipState(slip, today, itemStatus === 'active')
	});

/** The register as one reader sees it (`staffUnit`: `staffUnitOf` the reader), filtered, newest first. */
export function slipRegister(db: Tx, filter: SlipFilter, staffUnit: number | null, today: CalendarDate): RegisterRow[] {
	const unitId = staffUnit ?? filter.unitId;
	const where = and(
		filter.year === null ? undefined : eq(supervisionSlip.year, filter.year),
		filter.colour === null ? undefined : eq(supervisionSlip.colour, filter.colour),
		unitId === null ? undefined : eq(supervisionSlip.unitId, unitId)
	);
	const rows = registerQuery(db, where).all().map(toRow(today));
	return filter.state === null ? rows : rows.filter((r) => r.state === filter.state);
}

/** One slip with its names, or null; the caller checks that the reader may read it. */
export function slipById(db: Tx, id: number, today: CalendarDate): RegisterRow | null {
	const row = registerQuery(db, eq(supervisionSlip.id, id)).get();
	return row ? toRow(today)(row) : null;
}

/** The slip `idParam` names, if `reader` may read it: the same 404 when there is none and when it is addressed to another unit. */
export function readableSlip(db: Tx, idParam: string, reader: Pick<SessionUser, 'role' | 'unitId'>, today: CalendarDate): RegisterRow {
	const slip = /^\d{1,9}$/.test(idParam) ? slipById(db, Number(idParam), today) : null;
	if (!slip) throw new WorkflowError('form', m.slip_gone(), 404);
	if (!mayReadSlip(staffUnitOf(reader), slip)) throw new HiddenRecordError(m.slip_gone(), 'slip');
	return slip;
}

/**
 * Slips still to be answered, addressed to `unitId` (or to any unit): not answered nor void, of an
 * item still under way (the to-do and the calendar feeds list them). A slip of an item closed
 * (销号) or cancelled since is settled with it: it stays in the register as it stood, unanswered.
 */
export function unansweredSlips(db: Tx, unitId: number | null, today: CalendarDate): RegisterRow[] {
	const where = and(
		isNull(supervisionSlip.reply),
		isNull(supervisionSlip.voidedAt),
		eq(initiative.status, 'active'),
		unitId === null ? undefined : eq(supervisionSlip.unitId, unitId)
	);
	return registerQuery(db, where).all().map(toRow(today));
}

/** The years that have slips, newest first, for the register's filter. */
export function slipYears(db: Tx): number[] {
	return db.all<{ year: number }>(sql`SELECT DISTINCT year FROM supervision_slip ORDER BY year DESC`).map((r) => r.year);
}

/**
 * The slips issued in `month`, each in the state it was in at the end of `asOf` (a reply or a void
 * after that day is not counted), so that a circular of a past month reads the same forever.
 */
export function slipsIssuedIn(db: Tx, month: string, asOf: CalendarDate): RegisterRow[] {
	const end = endOfSuzhouDay(asOf);
	return registerQuery(db, between(supervisionSlip.issuedOn, `${month}-01`, lastDayOf(month)))
		.all()
		.filter(({ slip }) => slip.issuedAt <= end)
		.map(({ slip, itemStatus: _, ...names }) => {
			const asThen = {
				...slip,
				reply: slip.repliedAt !== null && slip.repliedAt <= end ? slip.reply : null,
				voidedAt: slip.voidedAt !== null && slip.voidedAt <= end ? slip.voidedAt : null
			};
			return { ...asThen, ...names, state: slipState(asThen, asOf) };
		})
		.sort((a, b) => a.issuedAt.localeCompare(b.issuedAt) || a.id - b.id);
}
