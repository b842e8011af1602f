/**
 * 通报的文号: the office gives a month's circular the number of its own register of documents and the
 * day it signs it (成文日期) when it issues it; the Word circular then prints both, as GB/T 9704 puts
 * them (the number under the office's name, above the red line; the date where it is signed). Only a
 * month that is over is issued: its circular reads the same at every download from then on.
 */
import { eq } from 'drizzle-orm';
import { addCalendarDays, formatDate, formatMonth, lastDayOf, type CalendarDate, type Month } from '$lib/dates';
import { halfWidth } from '$lib/half-width';
import { m } from '$lib/i18n';
import { slipNumberPrefix } from './config';
import type { Db, Tx } from './db';
import { changeLog, circular } from './db/schema';
import { hasSummary } from './monthly/summary';
import { insertTracked, updateTracked } from './history';
import { expectVersion, WorkflowError } from './workflow/errors';
import { requireRole, type CommandContext } from './workflow/access';

export type CircularNumber = typeof circular.$inferSelect;

/** What a 文号 looks like, for the messages that say so. */
export const DOC_NUMBER_EXAMPLE = '苏督通〔2026〕11号';

/**
 * 机关代字〔年份〕序号号, with the brackets people type for 〔〕 (【】, [], (), full-width or not). The
 * 代字 is of letters and digits (苏督通, 苏府办): markup is none, and one holding an invisible character
 * (a zero-width space, a direction mark) prints as another month's number while being another text,
 * and would pass as a new number. Serials count from 1 (GB/T 9704's 发文字号).
 */
const DOC_NUMBER = /^([\p{L}\p{N}]{1,16}?)[〔【[(（［]\s*(\d{4})\s*[〕】\])）］]\s*(\d{1,5})\s*号$/u;

/**
 * A 文号 as typed, read into the form it prints in (苏督通〔2026〕11号), or null when it is not one.
 * Full-width digits are read as digits; the year is the one written, checked by the caller.
 */
export function readDocNumber(typed: string): { text: string; prefix: string; year: number; serial: number } | null {
	const digits = halfWidth(typed.trim());
	const match = DOC_NUMBER.exec(digits);
	if (!match || Number(match[3]) < 1) return null;
	const [, prefix, year, serial] = match;
	return { text: docNumberText(prefix, Number(year), Number(serial)), prefix, year: Number(year), serial: Number(serial) };
}

/** A 文号 as it prints. */
const docNumberText = (prefix: string, year: number, serial: number) => `${prefix}〔${year}〕${serial}号`;

export function circularNumberOf(db: Tx, month: Month): CircularNumber | null {
	return db.select().from(circular).where(eq(circular.month, month)).get() ?? null;
}

/**
 * The number to offer for a circular issued `today`: the one after the last the office gave this year
 * (keeping that number's 代字), or the year's first under the slips' prefix.
 */
export function suggestedDocNumber(db: Tx, today: CalendarDate): string {
	const year = Number(today.slice(0, 4));
	const ofYear = [...numbersEverGiven(db).keys()]
		.map((docNumber) => readDocNumber(docNumber))
		.filter((n) => n !== null && n.year === year)
		.sort((a, b) => b!.serial - a!.serial)[0];
	return ofYear ? docNumberText(ofYear.prefix, year, ofYear.serial + 1) : docNumberText(`${slipNumberPrefix()}通`, year, 1);
}

/**
 * Every number a month's circular has carried, with its month: those it carries now and those
 * corrected since (read from the history, a few rows a month). A document may have gone out under a
 * number before it was corrected, so no number is given to a second month, nor offered again.
 */
function numbersEverGiven(db: Tx): Map<string, Month> {
	const given = new Map<string, Month>();
	const carried = db.select({ after: changeLog.after }).from(changeLog).where(eq(changeLog.entity, 'circular')).orderBy(changeLog.id).all();
	for (const { after } of carried) {
		const record = after as { docNumber?: string; month?: Month } | null;
		if (record?.docNumber && record.month && !given.has(record.docNumber)) given.set(record.docNumber, record.month);
	}
	for (const c of db.select({ docNumber: circular.docNumber, month: circular.month }).from(circular).all())
		if (!given.has(c.docNumber)) given.set(c.docNumber, c.month);
	return given;
}

export type CircularInput = { docNumber: string; signedOn: CalendarDate; version: number | null };

/** Gives (or corrects) the number and signing date of `month`'s circular. */
export function registerCircular(db: Db, month: Month, input: CircularInput, ctx: CommandContext, today: CalendarDate) {
	requireRole(ctx.actor, 'issueSlips');
	// The address names the month: one that has no summary has no circular either.
	if (!hasSummary(month, today)) throw new WorkflowError('form', m.no_summary_for_month(), 404);
	if (month >= today.slice(0, 7)) throw new WorkflowError('docNumber', m.circular_month_not_over(), 409);
	const number = readDocNumber(input.docNumber);
	if (!number) throw new WorkflowError('docNumber', m.circular_number_shape({ example: DOC_NUMBER_EXAMPLE }));
	const monthEnd = lastDayOf(month);
	if (input.signedOn <= monthEnd || input.signedOn > today)
		throw new WorkflowError(
			'signedOn',
			m.circular_signed_on_range({ first: formatDate(addCalendarDays(monthEnd, 1)), last: formatDate(today) })
		);
	if (number.year !== Number(input.signedOn.slice(0, 4)))
		throw new WorkflowError('docNumber', m.circular_number_year({ year: input.signedOn.slice(0, 4) }));
	return db.transaction((tx) => {
		const taken = tx.select().from(circular).where(eq(circular.docNumber, number.text)).get();
		if (taken && taken.month !== month)
			throw new WorkflowError('docNumber', m.circular_number_taken({ number: number.text, month: formatMonth(taken.month) }), 409);
		// A number corrected away still stands on what went out under it: never another month's.
		const held = numbersEverGiven(tx).get(number.text);
		if (held !== undefined && held !== month)
			throw new WorkflowError('docNumber', m.circular_number_once_taken({ number: number.text, month: formatMonth(held) }), 409);
		const values = { docNumber: number.text, signedOn: input.signedOn, registeredBy: ctx.actorId };
		const existing = circularNumberOf(tx, month);
		if (!existing) return insertTracked(tx, circular, { month, ...values }, ctx);
		// The same number and date sent again (a second click, a resent form) is what stands: nothing to do.
		if (existing.docNumber === values.docNumber && existing.signedOn === values.signedOn) return existing;
		if (input.version === null) throw new WorkflowError('form', m.circular_registered_meanwhile({ number: existing.docNumber }), 409);
		expectVersion(tx, 'circular', existing, input.version);
		return updateTracked(tx, circular, existing.id, values, ctx)!;
	});
}
