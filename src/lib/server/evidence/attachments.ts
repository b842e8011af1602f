/**
 * Attaching evidence files to a record and withdrawing them, inside the caller's transaction (the
 * report's save): the file's facts go into `stored_file` once and onto a tracked `attachment` row,
 * so the history shows when each was added or withdrawn and an as-of view shows them as they stood.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { attachment, storedFile } from '../db/schema';
import { insertTracked, updateTracked, type ChangeContext } from '../history';
import { EVIDENCE_FIELD } from '../forms';
import type { CheckedUpload } from './upload';
import { WorkflowError } from '../workflow/errors';
import { requireRole, type CommandContext } from '../workflow/access';
import { m } from '$lib/i18n';

/** The milestone a file's field names (`files-<id>`), or null for the record as a whole. */
export function milestoneOfField(field: string): number | null {
	const id = EVIDENCE_FIELD.exec(field)?.[1];
	return id ? Number(id) : null;
}

/** What attaching needs of a file: the form field it came in, its name, and its stored facts. */
export type FileToAttach = Pick<CheckedUpload, 'field' | 'name' | 'sha256' | 'mime' | 'size' | 'capturedAt'>;

/** The record a file is attached to: a report (its milestones by field), or the item, a slip or a closure request. */
export type AttachTarget = { initiativeId: number; reportId: number | null; slipId?: number | null; closureRequestId?: number | null };

export function attachFiles(tx: Tx, target: AttachTarget, files: FileToAttach[], by: number | null, ctx: ChangeContext) {
	// Only a report's form has a milestone's file field; anywhere else one is a forged form.
	if (target.reportId === null && files.some((f) => milestoneOfField(f.field) !== null))
		throw new WorkflowError('files', m.evidence_not_here(), 400);
	return files.map((file) => {
		tx.insert(storedFile).values({ sha256: file.sha256, size: file.size, mime: file.mime, storedAt: ctx.at }).onConflictDoNothing().run();
		return insertTracked(
			tx,
			attachment,
			{
				...target,
				milestoneId: milestoneOfField(file.field),
				sha256: file.sha256,
				fileName: file.name,
				mime: file.mime,
				size: file.size,
				capturedAt: file.capturedAt,
				uploadedBy: by,
				uploadedAt: ctx.at
			},
			ctx
		);
	});
}

/** The report's files not withdrawn. */
export function currentAttachments(tx: Tx, reportId: number) {
	return tx
		.select()
		.from(attachment)
		.where(and(eq(attachment.reportId, reportId), isNull(attachment.withdrawnAt)))
		.all();
}

/** Withdraws files of the report (`ids`); each must be one of its files still attached. */
export function withdrawAttachments(tx: Tx, reportId: number, ids: number[], by: number | null, ctx: ChangeContext): void {
	if (!ids.length) return;
	const rows = tx
		.select()
		.from(attachment)
		.where(and(eq(attachment.reportId, reportId), inArray(attachment.id, ids), isNull(attachment.withdrawnAt)))
		.all();
	if (rows.length !== new Set(ids).size) throw new WorkflowError('form', m.evidence_withdraw_unknown(), 409);
	for (const row of rows) updateTracked(tx, attachment, row.id, { withdrawnAt: ctx.at, withdrawnBy: by }, ctx);
}

/**
 * The office's files: attached to the item itself, or to one of its slips (督办单); withdrawn ones
 * (`withdraw`, ids of the same item's office files) marked. One transaction; nothing chosen is a refusal.
 */
export function officeFiles(
	db: Db,
	target: { initiativeId: number; slipId: number | null },
	files: FileToAttach[],
	withdraw: number[],
	ctx: CommandContext
) {
	requireRole(ctx.actor, 'manageItems');
	if (!files.length && !withdraw.length) throw new WorkflowError('files', m.evidence_none_chosen());
	const by = 'system' in ctx.actor ? null : ctx.actor.id;
	return db.transaction((tx) => {
		const own = tx
			.select()
			.from(attachment)
			.where(
				and(
					eq(attachment.initiativeId, target.initiativeId),
					isNull(attachment.reportId),
					// A closure's files are the unit's and the decision's: not the office's to withdraw here.
					isNull(attachment.closureRequestId),
					target.slipId === null ? isNull(attachment.slipId) : eq(attachment.slipId, target.slipId),
					isNull(attachment.withdrawnAt)
				)
			)
			.all();
		if (!withdraw.every((id) => own.some((a) => a.id === id))) throw new WorkflowError('form', m.evidence_withdraw_not_here(), 409);
		for (const id of withdraw) updateTracked(tx, attachment, id, { withdrawnAt: ctx.at, withdrawnBy: by }, ctx);
		return attachFiles(tx, { ...target, reportId: null }, files, by, ctx);
	});
}
