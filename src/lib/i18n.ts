/**
 * The interface language (Chinese first, English second). Messages live in messages/*.json and are
 * compiled by Paraglide JS into typed functions (`m.key()`) that answer in the current language:
 * the request's on the server (the cookie /language sets), the page's in the browser.
 */
import { getLocale } from '$lib/paraglide/runtime';

export { m } from '$lib/paraglide/messages';
export { getLocale, locales, type Locale } from '$lib/paraglide/runtime';

/**
 * A record of labels read in the current language each time they are read. A plain object of
 * strings would be fixed in the language of whoever loaded the module first.
 */
export function translated<K extends string>(messages: Record<K, () => string>): Readonly<Record<K, string>> {
	const labels = {} as Record<K, string>;
	for (const key of Object.keys(messages) as K[]) Object.defineProperty(labels, key, { get: messages[key], enumerable: true });
	return labels;
}

/** A label inside an English sentence ("Please fill in progress"); Chinese has no capitals. */
export function midSentence(label: string): string {
	return getLocale() === 'en' ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}
