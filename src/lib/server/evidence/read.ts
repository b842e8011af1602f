/** Who may read an evidence file: whoever may read the record it is attached to, as it is now. */
import { eq, type InferSelectModel } from 'drizzle-orm';
import type { SessionUser } from '../auth/sessions';
import type { Tx } from '../db';
import { attachment, progressReport, supervisionSlip } from '../db/schema';
import { itemWithUnits, mayReadDraft, mayReadSlip, readsWithdrawnFiles, staffUnitOf } from '../workflow/access';
import { HiddenRecordError, WorkflowError } from '../workflow/errors';
import { m } from '$lib/i18n';

type Attachment = InferSelectModel<typeof attachment>;

/** Why `reader` may not read the attachment `row` (for the security log), or null when it may. */
export function hiddenReason(db: Tx, row: Attachment, reader: Pick<SessionUser, 'role' | 'unitId'>): 'draft' | 'slip' | 'withdrawn' | null {
	if (row.reportId !== null) {
		const report = db.select({ status: progressReport.status }).from(progressReport).where(eq(progressReport.id, row.reportId)).get();
		if (report?.status === 'draft' && !mayReadDraft(reader, itemWithUnits(db, row.initiativeId))) return 'draft';
	}
	if (row.slipId !== null) {
		const slip = db.select({ unitId: supervisionSlip.unitId }).from(supervisionSlip).where(eq(supervisionSlip.id, row.slipId)).get();
		if (slip && !mayReadSlip(staffUnitOf(reader), slip)) return 'slip';
	}
	if (row.withdrawnAt !== null && !readsWithdrawnFiles(reader)) return 'withdrawn';
	return null;
}

/**
 * The attachment `idParam` names, if `reader` may read it; the same 404 when there is none and when it
 * belongs to a draft the reader may not read (as the draft's texts), to a slip of another unit, or it
 * was withdrawn and the reader is not of the office.
 */
export function readableAttachment(db: Tx, idParam: string, reader: Pick<SessionUser, 'role' | 'unitId'>): Attachment {
	const row = /^\d{1,9}$/.test(idParam)
		? db
				.select()
				.from(attachment)
				.where(eq(attachment.id, Number(idParam)))
				.get()
		: undefined;
	if (!row) throw new WorkflowError('form', m.evidence_gone(), 404);
	const hidden = hiddenReason(db, row, reader);
	if (hidden) throw new HiddenRecordError(m.evidence_gone(), hidden);
	return row;
}
