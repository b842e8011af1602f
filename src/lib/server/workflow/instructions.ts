/** 批示: leaders write instructions on an item; its lead unit answers them. */
import { and, eq, gte } from 'drizzle-orm';
import type { SessionUser } from '../auth/sessions';
import type { Db } from '../db';
import { instruction } from '../db/schema';
import { insertTracked, updateTracked, type ChangeContext } from '../history';
import { itemState } from '../item-state';
import { mayReadInstructions, requireActiveItem, requireLeadUnitStaff, requireRole } from './access';
import * as notices from '../notifications/notices';
import { expectVersion, WorkflowError } from './errors';
import { m } from '$lib/i18n';

/** How close together two identical instructions are taken for one sent twice. */
const REPEAT_WITHIN_MS = 60_000;

export function writeInstruction(db: Db, actor: SessionUser, initiativeId: number, body: string, ctx: ChangeContext) {
	requireRole(actor, 'writeInstructions');
	return db.transaction((tx) => {
		const state = itemState(tx, initiativeId, null);
		if (!state) throw new WorkflowError('form', m.item_gone(), 404);
		// On an item closed (销号) or cancelled no unit answers any more, as its page shows no form for it.
		requireActiveItem(state);
		// The same words by the same leader on the same item within a minute are one instruction sent
		// twice (a double click, a second tab): the unit gets one to-do and one notice, not two.
		const since = new Date(Date.parse(ctx.at) - REPEAT_WITHIN_MS).toISOString();
		const repeated = tx
			.select()
			.from(instruction)
			.where(
				and(
					eq(instruction.initiativeId, initiativeId),
					eq(instruction.authorId, actor.id),
					eq(instruction.body, body),
					gte(instruction.createdAt, since)
				)
			)
			.get();
		if (repeated) return repeated;
		const row = insertTracked(tx, instruction, { initiativeId, body, authorId: actor.id, createdAt: ctx.at }, ctx);
		notices.instructionWritten(tx, row, ctx.at);
		return row;
	});
}

export function answerInstruction(db: Db, actor: SessionUser, instructionId: number, version: number, answer: string, ctx: ChangeContext) {
	return db.transaction((tx) => {
		const row = tx.select().from(instruction).where(eq(instruction.id, instructionId)).get();
		if (!row) throw new WorkflowError('form', m.instruction_gone(), 404);
		// The lead unit answers for the item (牵头单位负责落实并反馈), as it reports for it; the co-units read
		// the instruction and the answer on the item's page. One answer closes it.
		const state = itemState(tx, row.initiativeId, null)!;
		// One its reader may not read is answered as one that does not exist: a refusal would tell other units it does.
		if (!mayReadInstructions(actor, state)) throw new WorkflowError('form', m.instruction_gone(), 404);
		requireLeadUnitStaff(actor, state);
		requireActiveItem(state);
		// Answered meanwhile (a second tab, a double click): said as such, not as a stale version.
		if (row.answer) throw new WorkflowError('answer', m.instruction_answered(), 409);
		expectVersion(tx, 'instruction', row, version);
		const answered = updateTracked(tx, instruction, row.id, { answer, answeredBy: actor.id, answeredAt: ctx.at }, ctx)!;
		notices.instructionAnswered(tx, answered, ctx.at);
		return answered;
	});
}
