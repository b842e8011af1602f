/** Who may read an evidence file: whoever may read the record it is attached to, as it is now. */
import { eq } from 'drizzle-orm';
import type { SessionUser } from '../auth/sessions';
import type { Tx } from '../db';
import { attachment, progressReport, supervisionSlip } from '../db/schema';
import { itemWithUnits, mayReadDraft, mayReadSlip, readsWithdrawnFiles, staffUnitOf } from '../workflow/access';
import { HiddenRecordError, WorkflowError } from '../workflow/errors';
import { m } from '$lib/i18n';

/**
 * The attachment `idParam` names, if `reader` may read it; the same 404 when there is none and when it
 * belongs to a draft the reader may not read (as the draft's texts), to a slip of another unit, or it
 * was withdrawn and the reader is not of the office.
 */
export function readableAttachment(db: Tx, idParam: string, reader: Pick<SessionUser, 'role' | 'unitId'>) {
	const row = /^\d{1,9}$/.test(idParam)
		? db
				.select()
				.from(attachment)
				.where(eq(attachment.id, Number(idParam)))
				.get()
		: undefined;
	if (!row) throw new WorkflowError('form', m.evidence_gone(), 404);
	if (row.reportId !== null) {
		const report = db.select({ status: progressReport.status }).from(progressReport).where(eq(progressReport.id, row.reportId)).get();
		if (report?.status === 'draft' && !mayReadDraft(reader, itemWithUnits(db, row.initiativeId))) throw new HiddenRecordError(m.evidence_gone(), 'draft');
	}
	if (row.slipId !== null) {
		const slip = db.select({ unitId: supervisionSlip.unitId }).from(supervisionSlip).where(eq(supervisionSlip.id, row.slipId)).get();
		if (slip && !mayReadSlip(staffUnitOf(reader), slip)) throw new HiddenRecordError(m.evidence_gone(), 'slip');
	}
	if (row.withdrawnAt !== null && !readsWithdrawnFiles(reader)) throw new HiddenRecordError(m.evidence_gone(), 'withdrawn');
	return row;
}
