/**
 * After an action the page is reloaded with `?done=<what>`; this is the confirmation to show, in
 * the interface language. Only the page's own keys count (`?done=constructor` shows nothing).
 */
export function doneMessage(url: URL, messages: Record<string, () => string>): string | null {
	const key = url.searchParams.get('done') ?? '';
	return Object.hasOwn(messages, key) ? messages[key]() : null;
}
