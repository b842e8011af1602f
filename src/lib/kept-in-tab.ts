/**
 * What is typed into a field, kept in the tab (sessionStorage, by person, page and field) until the
 * page shows it saved: a sign-in that ran out while a text was being written (the save then leads
 * to the login page and back with `unsaved`) or a page closed by mistake gives it back. It is given
 * back only over the text it was typed over: never over what someone saved since. Used by the text
 * areas and the fields that take a text (`TextArea.svelte`, `Field.svelte` with `keep`).
 */

/** The text typed, the text it was typed over, and whether its form has been sent since. */
type Kept = { text: string; over: string; sent?: boolean };

/** The key of a field's kept text: the person, the page and the field. */
export function keptKey(userId: number | null | undefined, pathname: string, fieldId: string): string {
	return `unsaved:${userId ?? ''}:${pathname}:${fieldId}`;
}

function read(key: string): Kept | null {
	return JSON.parse(sessionStorage.getItem(key) ?? 'null') as Kept | null;
}

/** Keeps `text`, typed over `over` (the value the page gave the field). */
export function keepTyped(key: string, text: string, over: string): void {
	try {
		sessionStorage.setItem(key, JSON.stringify({ text, over } satisfies Kept));
	} catch {
		// Storage full or refused (a private window): the text is still in the field.
	}
}

/** The field's form was sent: what it held is given back only if the sending is lost to a sign-in that ran out. */
export function markSent(key: string): void {
	try {
		const kept = read(key);
		if (kept) sessionStorage.setItem(key, JSON.stringify({ ...kept, sent: true }));
	} catch {
		// As above.
	}
}

/**
 * The text to give back to a field the page shows with `value`, or null (and what was kept is
 * forgotten) when there is none: it was saved, its form was sent and answered (`unsaved` tells a
 * sending lost to the sign-in), or someone saved another text since.
 */
export function textToGiveBack(key: string, value: string, unsaved: boolean): string | null {
	try {
		const kept = read(key);
		const lost = kept?.sent ? unsaved : true;
		if (!kept || !lost || kept.text === value || kept.over !== value) {
			sessionStorage.removeItem(key);
			return null;
		}
		return kept.text;
	} catch {
		// Nothing kept, or storage refused.
		return null;
	}
}
