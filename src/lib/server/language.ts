/**
 * The language a piece of server work runs in: messages (`m.*`) and dates read it with `getLocale()`.
 * A request runs in its reader's language (`languageOf`: the cookie /language sets, else Chinese), a
 * document in Chinese (`document-language.ts`).
 *
 * Paraglide keeps the language of the work in hand in an AsyncLocalStorage of its runtime; its
 * `paraglideMiddleware` would fill it, but is made for languages in the address: it builds two copies
 * of every request (some 7% of serving a kept page, profiled on 2026-12-01) and records every message
 * a page calls, for a feature off here (`experimentalMiddlewareLocaleSplitting`). This app takes the
 * language from the cookie only, so it sets the storage itself, with the runtime's own reading of it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
	extractLocaleFromRequest,
	getServerAsyncLocalStorage,
	overwriteServerAsyncLocalStorage,
	type Locale
} from '$lib/paraglide/runtime';

type Store = { locale?: Locale; origin?: string };

// One storage for the process, whichever module is loaded first; the runtime reads `locale` of it.
if (!getServerAsyncLocalStorage()) overwriteServerAsyncLocalStorage(new AsyncLocalStorage<Store>());

/** Runs `work` with `locale` as the language of every message and date it renders. */
export function inLanguage<T>(locale: Locale, work: () => T): T {
	const storage = getServerAsyncLocalStorage()!;
	return storage.run({ ...storage.getStore(), locale }, work);
}

/** The language a request is answered in: its cookie's (/language), else the base language. Reads the headers only. */
export function languageOf(request: Request): Locale {
	return extractLocaleFromRequest(request);
}
