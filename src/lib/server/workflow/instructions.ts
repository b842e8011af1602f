/** 批示: leaders write instructions on an item; its units answer them. */
import { eq } from 'drizzle-orm';
import type { SessionUser } from '../auth/sessions';
import type { Db } from '../db';
import { instruction } from '../db/schema';
import { insertTracked, updateTracked, type ChangeContext } from '../history';
import { itemState } from '../item-state';
import { requireItemUnitStaff, requireRole } from './access';
import * as notices from '../notifications/notices';
import { expectVersion, WorkflowError } from './errors';
import { m } from '$lib/i18n';

export function writeInstruction(db: Db, actor: SessionUser, initiativeId: number, body: string, ctx: ChangeContext) {
	requireRole(actor, 'writeInstructions');
	return db.transaction((tx) => {
		if (!itemState(tx, initiativeId, null)) throw new WorkflowError('form', m.item_gone(), 404);
		const row = insertTracked(tx, instruction, { initiativeId, body, authorId: actor.id, createdAt: ctx.at }, ctx);
		notices.instructionWritten(tx, row, ctx.at);
		return row;
	});
}

export function answerInstruction(db: Db, actor: SessionUser, instructionId: number, version: number, answer: string, ctx: ChangeContext) {
	return db.transaction((tx) => {
		const row = tx.select().from(instruction).where(eq(instruction.id, instructionId)).get();
		if (!row) throw new WorkflowError('form', m.instruction_gone(), 404);
		requireItemUnitStaff(actor, itemState(tx, row.initiativeId, null)!);
		expectVersion(tx, 'instruction', row, version);
		if (row.answer) throw new WorkflowError('answer', m.instruction_answered(), 409);
		const answered = updateTracked(tx, instruction, row.id, { answer, answeredBy: actor.id, answeredAt: ctx.at }, ctx)!;
		notices.instructionAnswered(tx, answered, ctx.at);
		return answered;
	});
}
