/** What every action needs to know about who acts, from where, and when. */
import type { RequestEvent } from '@sveltejs/kit';
import type { ChangeContext } from './history';

export function changeContext(event: RequestEvent, now = new Date()): ChangeContext & { address: string | null } {
	return { at: now.toISOString(), actorId: event.locals.user?.id ?? null, address: clientAddress(event) };
}

export function clientAddress(event: RequestEvent): string | null {
	try {
		return event.getClientAddress();
	} catch {
		return null;
	}
}
