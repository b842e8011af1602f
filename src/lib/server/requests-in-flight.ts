/**
 * The requests the server is answering at this moment, counted from their arrival until their answer
 * is made: work in the background (the month keeper) waits for a moment with none, so that it never
 * takes a core from someone waiting on the server.
 */
import type { Handle } from '@sveltejs/kit';

let inFlight = 0;

export function requestsInFlight(): number {
	return inFlight;
}

export const countRequests: Handle = async ({ event, resolve }) => {
	inFlight++;
	try {
		return await resolve(event);
	} finally {
		inFlight--;
	}
};
