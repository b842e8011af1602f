/**
 * The monthly summary files (月报 as .xlsx, .docx, .csv, .json) are the office's Chinese ledger
 * whatever language the person who downloads them reads the interface in: the office files and
 * forwards them as they are, and staff fill the same ledger in and import it back, which reads its
 * Chinese column headers, title and sheet name. So a file is made in Chinese.
 */
import { baseLocale } from '$lib/paraglide/runtime';
import { inLanguage } from './language';

/** Runs `make` with Chinese as the language of every message and label it reads. */
export function inDocumentLanguage<T>(make: () => T): T {
	return inLanguage(baseLocale, make);
}
