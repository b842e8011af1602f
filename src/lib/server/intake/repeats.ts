/** 查重: the items a task may repeat, and open proposals that repeat an item made since they were proposed. */
import { and, eq, isNull, ne, or, type SQL } from 'drizzle-orm';
import type { Tx } from '../db';
import { initiative, proposal } from '../db/schema';
import { repeatedItems, type ExistingItem, type Proposal, type ProposedTask } from './propose';

/** The items there are, as tasks are compared with them (all, or those `where` selects). */
export function existingItems(tx: Tx, where?: SQL): ExistingItem[] {
	return tx
		.select({
			code: initiative.code,
			title: initiative.title,
			quote: initiative.sourceQuote,
			sourceId: initiative.sourceId,
			start: initiative.quoteStart,
			end: initiative.quoteEnd,
			leadUnitId: initiative.leadUnitId
		})
		.from(initiative)
		.where(where)
		.all();
}

/**
 * The item a task just made (`except`, its id) may repeat (its words or some of them made an item already, or a
 * very similar task for the same unit), or null. Only the items it could repeat are read: those of its
 * source, of its lead unit, or of none (a province has thousands, each segmented to be compared).
 */
export function repeatOf(tx: Tx, task: ProposedTask, except: number): Proposal['duplicateOf'] {
	const candidates =
		task.leadUnitId === null
			? undefined
			: or(eq(initiative.leadUnitId, task.leadUnitId), isNull(initiative.leadUnitId), eq(initiative.sourceId, task.sourceId ?? -1));
	return repeatedItems([task], existingItems(tx, and(candidates, ne(initiative.id, except))))[0];
}

/**
 * The open proposals, of every source, that repeat a new item say so from now on. A proposal is
 * compared with the items there are when it is made; an item made since (from the same text pasted
 * twice, say) is compared here, so that accepting its twin shows the warning instead of making a
 * second item for one commitment.
 */
export function markRepeatsOf(tx: Tx, item: ExistingItem): void {
	const open = tx
		.select()
		.from(proposal)
		.where(and(eq(proposal.status, 'open'), isNull(proposal.duplicateOf)))
		.all();
	if (open.length === 0) return;
	const repeated = repeatedItems(
		open.map((p) => ({
			start: p.quoteStart,
			end: p.quoteEnd,
			title: p.title,
			quote: p.quote,
			leadUnitId: p.leadUnitId,
			sourceId: p.sourceId
		})),
		[item]
	);
	open.forEach((p, i) => {
		if (repeated[i])
			tx.update(proposal)
				.set({ duplicateOf: JSON.stringify(repeated[i]) })
				.where(eq(proposal.id, p.id))
				.run();
	});
}
