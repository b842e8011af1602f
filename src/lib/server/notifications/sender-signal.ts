/**
 * A nudge from the writes that queue messages to the sender, without the writes importing the sender
 * (and its transports): the sender listens when it runs; the command line and tests need none.
 */
let listener: (() => void) | null = null;

export function onQueued(wake: (() => void) | null): void {
	listener = wake;
}

/** Called inside the queuing transaction: the sender looks once the transaction has committed. */
export function wakeSender(): void {
	if (listener) setTimeout(listener, 0);
}
