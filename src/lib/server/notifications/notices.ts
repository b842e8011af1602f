/**
 * The notices each write gives (通知内容), in the office's language (Chinese: they are also mailed and
 * posted to groups, like the office's documents), each keyed by what it is about so that it is given
 * once: a report's notices by the report and its version, a slip's by the slip.
 */
import { eq } from 'drizzle-orm';
import { formatDate, formatMonth, type CalendarDate } from '$lib/dates';
import { m } from '$lib/i18n';
import { quoted } from '$lib/chinese-quotes';
import { slipKindLabels, type SlipColour } from '$lib/slips';
import type { Tx } from '../db';
import { initiative, user } from '../db/schema';
import { inDocumentLanguage } from '../document-language';
import { notify } from './notify';

type Item = { id: number; code: string; title: string; leadUnitId: number | null };

function itemOf(tx: Tx, initiativeId: number): Item {
	return tx
		.select({ id: initiative.id, code: initiative.code, title: initiative.title, leadUnitId: initiative.leadUnitId })
		.from(initiative)
		.where(eq(initiative.id, initiativeId))
		.get()!;
}

const zh = <T>(make: () => T) => inDocumentLanguage(make);
const itemLink = (item: Item) => `/initiatives/${encodeURIComponent(item.code)}`;
const userName = (tx: Tx, id: number | null) =>
	id === null ? '' : (tx.select({ name: user.displayName }).from(user).where(eq(user.id, id)).get()?.name ?? '');

type Report = { id: number; initiativeId: number; month: string; version: number; reviewComment: string | null };

/** 退回 or 审核通过: the lead unit's staff hear the office's decision on their report. */
export function reportReviewed(tx: Tx, report: Report & { status: 'returned' | 'approved' }, at: string) {
	const item = itemOf(tx, report.initiativeId);
	const month = zh(() => formatMonth(report.month));
	const returned = report.status === 'returned';
	notify(
		tx,
		{
			event: returned ? 'report_returned' : 'report_approved',
			key: `report_${report.status}|${report.id}|${report.version}`,
			title: zh(() => (returned ? m.notice_report_returned_title : m.notice_report_approved_title)({ code: item.code, month })),
			body: zh(() =>
				returned
					? m.notice_report_returned_body({ title: quoted(item.title), month, comment: report.reviewComment ?? '' })
					: m.notice_report_approved_body({ title: quoted(item.title), month })
			),
			link: returned ? `${itemLink(item)}/report/${report.month}` : itemLink(item),
			unitId: item.leadUnitId
		},
		{ staffOf: item.leadUnitId },
		at
	);
}

/** An extension (延期) or closure (销号) decided: the unit that asked hears the answer. */
export function requestDecided(
	tx: Tx,
	request: { id: number; initiativeId: number; requestedBy: number | null; decisionComment: string | null },
	kind: 'extension' | 'closure',
	granted: boolean,
	at: string
) {
	const item = itemOf(tx, request.initiativeId);
	const what = zh(() => (kind === 'extension' ? m.notice_kind_extension() : m.notice_kind_closure()));
	const decision = zh(() => (granted ? m.notice_granted() : m.notice_refused()));
	notify(
		tx,
		{
			event: 'request_decided',
			key: `${kind}_decided|${request.id}`,
			title: zh(() => m.notice_request_decided_title({ code: item.code, kind: what, decision })),
			body: zh(() =>
				m.notice_request_decided_body({ title: quoted(item.title), kind: what, decision, comment: request.decisionComment ?? '' })
			),
			link: itemLink(item),
			unitId: item.leadUnitId
		},
		{ staffOf: item.leadUnitId, users: [request.requestedBy] },
		at
	);
}

/** 批示: the item's lead unit hears a leader's instruction; the leader hears the answer. */
export function instructionWritten(tx: Tx, row: { id: number; initiativeId: number; body: string; authorId: number | null }, at: string) {
	const item = itemOf(tx, row.initiativeId);
	notify(
		tx,
		{
			event: 'instruction_written',
			key: `instruction_written|${row.id}`,
			title: zh(() => m.notice_instruction_written_title({ code: item.code })),
			body: zh(() => m.notice_instruction_written_body({ author: userName(tx, row.authorId), title: quoted(item.title), body: row.body })),
			link: itemLink(item),
			unitId: item.leadUnitId
		},
		{ staffOf: item.leadUnitId },
		at
	);
}

export function instructionAnswered(
	tx: Tx,
	row: { id: number; initiativeId: number; answer: string | null; authorId: number | null; answeredBy: number | null },
	at: string
) {
	const item = itemOf(tx, row.initiativeId);
	notify(
		tx,
		{
			event: 'instruction_answered',
			key: `instruction_answered|${row.id}`,
			title: zh(() => m.notice_instruction_answered_title({ code: item.code })),
			body: zh(() =>
				m.notice_instruction_answered_body({ who: userName(tx, row.answeredBy), title: quoted(item.title), answer: row.answer ?? '' })
			),
			link: itemLink(item),
			unitId: null
		},
		{ users: [row.authorId] },
		at
	);
}

type Slip = { id: number; initiativeId: number; unitId: number; number: string; colour: SlipColour };

/** A notice about a slip to the unit it is addressed to, by the ways it hears of slips; `words` get the slip's kind and the item's title. */
function toSlipUnit(tx: Tx, slip: Slip, key: string, words: (kind: string, title: string) => { title: string; body: string }, at: string) {
	const item = itemOf(tx, slip.initiativeId);
	const { title, body } = zh(() => words(slipKindLabels[slip.colour], quoted(item.title)));
	notify(tx, { event: 'slip_issued', key, title, body, link: `/slips/${slip.id}`, unitId: slip.unitId }, { staffOf: slip.unitId }, at);
}

/** 督办单 issued: the unit it is addressed to hears it, with the day its reply is due. */
export function slipIssued(tx: Tx, slip: Slip & { replyBy: CalendarDate }, at: string) {
	toSlipUnit(
		tx,
		slip,
		`slip_issued|${slip.id}`,
		(kind, title) => ({
			title: m.notice_slip_issued_title({ kind, number: slip.number }),
			body: m.notice_slip_issued_body({ kind, title, replyBy: formatDate(slip.replyBy) })
		}),
		at
	);
}

/** A slip voided (作废) before its answer: the unit it was addressed to need not answer, and hears so as it heard of the slip. */
export function slipVoided(tx: Tx, slip: Slip & { voidReason: string | null }, at: string) {
	toSlipUnit(
		tx,
		slip,
		`slip_voided|${slip.id}`,
		(kind, title) => ({
			title: m.notice_slip_voided_title({ kind, number: slip.number }),
			body: m.notice_slip_voided_body({ kind, number: slip.number, title, reason: slip.voidReason ?? '' })
		}),
		at
	);
}

/**
 * 交办: a unit made the lead unit (牵头单位) or a co-unit (配合单位) of an item hears of it, each time it
 * is made so (given, taken off and given again months later, it hears it again: `unitsRelieved`
 * told it in between).
 */
export function unitsAssigned(
	tx: Tx,
	item: { id: number; code: string; title: string; dueOn: string | null },
	units: { lead: number | null; co: number[] },
	at: string
) {
	for (const { unitId, lead, role } of roles(units)) {
		const due = item.dueOn ? zh(() => formatDate(item.dueOn!)) : null;
		notify(
			tx,
			{
				event: 'unit_assigned',
				key: `unit_assigned|${item.id}|${unitId}|${lead ? 'lead' : 'co'}|${at}`,
				title: zh(() => m.notice_unit_assigned_title({ code: item.code, role })),
				body: zh(() =>
					due
						? m.notice_unit_assigned_body({ title: quoted(item.title), role, due })
						: m.notice_unit_assigned_body_open({ title: quoted(item.title), role })
				),
				link: `/initiatives/${encodeURIComponent(item.code)}`,
				unitId
			},
			{ staffOf: unitId },
			at
		);
	}
}

/**
 * A unit taken off an item (the lead given to another unit, a co-unit removed) hears that it no longer
 * answers for it, as it heard it was given it: otherwise it learns it only when its report is refused.
 */
export function unitsRelieved(
	tx: Tx,
	item: { id: number; code: string; title: string },
	units: { lead: number | null; co: number[] },
	at: string
) {
	for (const { unitId, lead, role } of roles(units)) {
		notify(
			tx,
			{
				event: 'unit_assigned',
				key: `unit_relieved|${item.id}|${unitId}|${lead ? 'lead' : 'co'}|${at}`,
				title: zh(() => m.notice_unit_relieved_title({ code: item.code, role })),
				body: zh(() => m.notice_unit_relieved_body({ title: quoted(item.title), role })),
				link: `/initiatives/${encodeURIComponent(item.code)}`,
				unitId
			},
			{ staffOf: unitId },
			at
		);
	}
}

/** The units of an item's change with the role each has (named in Chinese, as notices are written). */
function roles(units: { lead: number | null; co: number[] }) {
	return [...(units.lead === null ? [] : [{ unitId: units.lead, lead: true }]), ...units.co.map((unitId) => ({ unitId, lead: false }))].map(
		(r) => ({ ...r, role: zh(() => (r.lead ? m.notice_role_lead() : m.notice_role_co())) })
	);
}
