/**
 * The text of a source as a person sends it: pasted, or a `.txt`, `.docx` or `.pdf` file. Extraction
 * uses well-kept libraries (mammoth for Word, pdf.js for PDF); the only normalisation is of line
 * breaks (`\r\n` and `\r` become `\n`), of a byte-order mark, and of characters no document can hold,
 * so that every offset taken on the stored text stays valid. A table of a Word file becomes one line
 * per row, its cells separated by tabs (how a task table is read).
 *
 * A file that gives no text says why, in the interface language: empty, not text (a binary file
 * named .txt), an encoding that cannot be read, a scanned PDF (pictures of pages, no text), a damaged
 * or encrypted file, or one that unpacks to far more than it weighs.
 */
import mammoth from 'mammoth';
import { m } from '$lib/i18n';
import { xmlSafeText } from '../xml-safe-text';
import { checkZip } from '../zip-check';

export class ExtractError extends Error {}

export const SOURCE_LIMITS = {
	/** The longest text a source may have (the lecture has 2,243 characters; a year's work report ~40,000). */
	characters: 500_000,
	/** Pages of a PDF read (a 100-page document takes a few seconds). */
	pdfPages: 300,
	zip: { entries: 500, entryBytes: 50 * 1024 * 1024, totalBytes: 100 * 1024 * 1024 }
};

export const sourceFileTypes = ['txt', 'docx', 'pdf'] as const;
export type SourceFileType = (typeof sourceFileTypes)[number];

/** Line breaks as `\n`, no byte-order mark, no characters a document cannot hold; nothing else changes. */
export function normaliseText(text: string): string {
	// Every kind of line break is one: a page break (\f), Word's line break (\v), U+2028/2029, NEL.
	return xmlSafeText(text.replace(/^\uFEFF/, '').replace(/[\u2028\u2029\u0085]/g, '\n'));
}

function fail(message: string): never {
	throw new ExtractError(message);
}

/** The text of a file, by what its bytes are (a .txt that is a PDF is read as a PDF, and said so nowhere). */
export async function extractText(name: string, bytes: Uint8Array): Promise<string> {
	if (bytes.length === 0) fail(m.intake_file_empty());
	const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
	const isPdf = buffer.subarray(0, 5).toString('latin1') === '%PDF-';
	const isZip = buffer.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
	let text: string;
	if (isPdf) text = await pdfText(buffer);
	else if (isZip) {
		if (extension !== 'docx') fail(m.intake_file_type());
		text = await docxText(buffer);
	} else if (extension === 'doc' || (buffer[0] === 0xd0 && buffer[1] === 0xcf)) fail(m.intake_file_doc());
	else if (extension === 'txt' || extension === 'text' || extension === '') text = plainText(buffer);
	else fail(m.intake_file_type());
	const clean = normaliseText(text);
	if (clean.trim().length === 0) fail(isPdf ? m.intake_pdf_scanned() : m.intake_file_no_text());
	if (clean.length > SOURCE_LIMITS.characters) fail(m.intake_text_too_long({ max: SOURCE_LIMITS.characters }));
	return clean;
}

/**
 * A text file in UTF-8 (with or without a byte-order mark), UTF-16 with its mark, or GB18030 (GBK,
 * what Chinese Windows saves as "ANSI"). Bytes that are none of them, or a binary file, are refused.
 */
export function plainText(buffer: Buffer): string {
	if (buffer[0] === 0xff && buffer[1] === 0xfe) return new TextDecoder('utf-16le').decode(buffer);
	if (buffer[0] === 0xfe && buffer[1] === 0xff) return new TextDecoder('utf-16be').decode(buffer);
	if (buffer.includes(0)) fail(m.intake_file_binary());
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
	} catch {
		// not UTF-8: GB18030 decodes almost any bytes, so the result must also read as text
	}
	let decoded: string;
	try {
		decoded = new TextDecoder('gb18030', { fatal: true }).decode(buffer);
	} catch {
		fail(m.intake_file_encoding());
	}
	if (!readsAsText(decoded)) fail(m.intake_file_encoding());
	return decoded;
}

/** Mostly common Chinese characters, ASCII and punctuation: what a decoded document looks like. */
function readsAsText(text: string): boolean {
	let plain = 0;
	for (const ch of text) {
		const c = ch.codePointAt(0)!;
		if (
			(c >= 0x20 && c < 0x7f) ||
			c === 0x0a ||
			c === 0x0d ||
			c === 0x09 ||
			(c >= 0x4e00 && c <= 0x9fa5) ||
			(c >= 0x3000 && c <= 0x303f) ||
			(c >= 0xff00 && c <= 0xffef) ||
			c === 0x201c ||
			c === 0x201d
		)
			plain += 1;
	}
	return plain >= [...text].length * 0.9;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

function decodeEntities(text: string): string {
	return text.replace(/&(?:amp|lt|gt|quot|#39|nbsp);|&#(\d+);|&#x([0-9a-f]+);/gi, (e, dec, hex) =>
		dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : (ENTITIES[e] ?? e)
	);
}

/**
 * A Word file's text: its paragraphs as lines, a table's rows as lines of tab-separated cells. mammoth
 * gives HTML of a known, small shape (p, h1–h6, li, table/tr/td, br, strong/em/a): that shape is read here.
 */
async function docxText(buffer: Buffer): Promise<string> {
	await checkZip(
		buffer,
		SOURCE_LIMITS.zip,
		() => new ExtractError(m.intake_file_damaged()),
		() => new ExtractError(m.intake_file_inflates())
	);
	let html: string;
	try {
		html = (await mammoth.convertToHtml({ buffer }, { ignoreEmptyParagraphs: false })).value;
	} catch {
		fail(m.intake_file_damaged());
	}
	const cellText = (cell: string) =>
		cell
			.replace(/<\/p>\s*<p[^>]*>/g, ' ')
			.replace(/<br\s*\/?>/g, ' ')
			.replace(/<[^>]+>/g, '')
			.replace(/[\t\n]+/g, ' ')
			.trim();
	const withRows = html.replace(/<tr[^>]*>([\s\S]*?)<\/tr>/g, (_row, cells: string) => {
		const texts = [...cells.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => cellText(c[1]));
		return `${texts.join('\t')}\n`;
	});
	const text = withRows
		.replace(/<br\s*\/?>/g, '\n')
		.replace(/<\/(p|h[1-6]|li|table)>/g, '\n')
		.replace(/<[^>]+>/g, '');
	return decodeEntities(text)
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

/**
 * A PDF's text with pdf.js (Mozilla's reader): the items of each page in reading order, a line break
 * where pdf.js marks the end of a line, a blank line between pages. A PDF of scanned pages has no
 * text items: refused with that reason, not stored empty.
 */
async function pdfText(buffer: Buffer): Promise<string> {
	const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
	let doc: Awaited<ReturnType<typeof pdfjs.getDocument>['promise']>;
	try {
		doc = await pdfjs.getDocument({
			data: new Uint8Array(buffer),
			isEvalSupported: false,
			disableFontFace: true,
			useSystemFonts: false,
			verbosity: 0
		}).promise;
	} catch (e) {
		if ((e as Error).name === 'PasswordException') fail(m.intake_pdf_encrypted());
		fail(m.intake_file_damaged());
	}
	try {
		if (doc.numPages > SOURCE_LIMITS.pdfPages) fail(m.intake_pdf_too_many_pages({ max: SOURCE_LIMITS.pdfPages }));
		const pages: string[] = [];
		for (let n = 1; n <= doc.numPages; n++) {
			const page = await doc.getPage(n);
			const content = await page.getTextContent();
			let text = '';
			for (const item of content.items) {
				if (!('str' in item)) continue;
				text += item.str;
				if (item.hasEOL) text += '\n';
			}
			pages.push(unwrapLines(text.trim()));
			page.cleanup();
		}
		return pages.filter((p) => p.length > 0).join('\n\n');
	} finally {
		await doc.destroy();
	}
}

/**
 * A PDF breaks a paragraph into the lines of its page: a line as long as the page's longest, not
 * ending a sentence, goes on in the next one, so the break is taken out (a sentence is one line
 * again, as in the document that was printed). Short lines (headings, a paragraph's last line) keep theirs.
 */
export function unwrapLines(page: string): string {
	const lines = page.split('\n');
	const widths = lines.map(printedWidth);
	const full = widths.reduce((a, b) => Math.max(a, b), 0); // not Math.max(...): a page may have 100,000 lines
	return lines
		.map((line, i) => {
			const last = i === lines.length - 1;
			const wrapped = !last && widths[i] >= full * 0.85 && !/[。！？；：:!?]$/.test(line) && full >= 40;
			return wrapped ? line : `${line}\n`;
		})
		.join('')
		.replace(/\n$/, '');
}

/** How wide a line prints: a Chinese or full-width character takes two places, a Latin letter, digit or space one. */
function printedWidth(line: string): number {
	let width = 0;
	for (const ch of line) width += ch.codePointAt(0)! >= 0x2e80 ? 2 : 1;
	return width;
}
