/**
 * A deadline for one attempt to send: a signal that fires after `ms`, held by a timer of its own until
 * `clear` is called. Not AbortSignal.timeout(): its signal may be collected, and then never fire, once
 * nothing refers to it (a robot trickling its answer after the headers held a lane 85 s).
 */
export function deadline(ms: number, reason?: Error): { signal: AbortSignal; clear: () => void } {
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(reason), ms);
	return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
