/** Open proposals that repeat an item made since they were proposed (查重 after the fact). */
import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../db';
import { proposal } from '../db/schema';
import { repeatedItems, type ExistingItem } from './propose';

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
