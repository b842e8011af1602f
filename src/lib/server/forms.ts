/**
 * Form parsing with a schema: the one way every action reads its input. Messages are in the
 * interface language: zod's own (its zh-CN or English locale, chosen per message) and ours where a
 * field needs a clearer one. A field's label is a message function, read when the message is made.
 */
import { error } from '@sveltejs/kit';
import { rmSync } from 'node:fs';
import { enteredText } from './xml-safe-text';
import { evidenceLimits } from './config';
import { stageUpload, type StagedUpload } from './evidence/upload';
import busboy from 'busboy';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { ENTERED_DATES, isCalendarDate, isEnterableDate } from '$lib/dates';
import { halfWidth } from '$lib/half-width';
import { getLocale, m, midSentence } from '$lib/i18n';

const zodMessages = { 'zh-CN': z.locales.zhCN().localeError, en: z.locales.en().localeError };
// A field a form always sends, missing (a request not made by the page), is a stale form to the
// person, not zod's "expected string, received undefined".
z.config({
	localeError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? m.form_stale() : zodMessages[getLocale()](issue))
});

/**
 * In a form, a field of another kind than the page sends (a list where it sends one value, a word
 * where it sends a number) or not one of its choices is a request not made by the page as it is now:
 * a stale form to the person, not zod's "expected string, received array". Fields people type give
 * their own messages, which come first.
 */
const formIssue = (issue: { code?: string }) =>
	issue.code === 'invalid_type' || issue.code === 'invalid_value' ? m.form_stale() : undefined;

type Label = () => string;
/** A zod message made when the issue is found, in the request's language. */
const say = (message: () => string) => ({ error: message });

/** "Please fill in …" for a field left empty. */
export const required = (label: Label) => m.form_required({ label: midSentence(label()) });

/**
 * What one multipart form may hold; past any of these it is refused (413), never cut short silently.
 * A text field holds the longest text any form takes (a source's 500,000 characters, 3 bytes each in
 * UTF-8: 256 KB refused a pasted speech of 90,000 characters the page had counted as allowed, and the
 * 413 page lost it); all the texts of a form together stay within `textBytes`.
 */
export const MULTIPART_LIMITS = {
	fileBytes: 5 * 1024 * 1024,
	files: 4,
	fields: 500,
	fieldBytes: 2 * 1024 * 1024,
	textBytes: 4 * 1024 * 1024
};

/** A url-encoded form of text (no file), as it arrives: its longest texts are a few thousand characters. */
const URL_ENCODED_BYTES = 1024 * 1024;

/** The fields whose files are evidence (佐证材料): `files` for the whole record, `files-<milestone id>` for one milestone. */
export const EVIDENCE_FIELD = /^files(?:-(\d{1,9}))?$/;

/** Evidence files of a form read by `readForm`, on disk in the incoming folder until checked and stored. */
const staged = new WeakMap<FormData, StagedUpload[]>();

export function stagedUploads(form: FormData): StagedUpload[] {
	return staged.get(form) ?? [];
}

/** Evidence files past the most a form may carry: read and dropped, counted so that the form is refused with its texts kept. */
const beyondLimit = new WeakMap<FormData, number>();

export function uploadsBeyondLimit(form: FormData): number {
	return beyondLimit.get(form) ?? 0;
}

/**
 * Text fields past the most one may hold (`MULTIPART_LIMITS.fieldBytes`: a paste of some 700,000
 * Chinese characters), read only that far. The form is refused with the reason on the field and the
 * rest of what was typed kept, where refusing it whole (413) replaced the page and lost every field.
 */
const cutShort = new WeakMap<FormData, string[]>();

export function fieldsCutShort(form: FormData): string[] {
	return cutShort.get(form) ?? [];
}

/** The names of the files a form read with `texts only` carried, dropped unread (the login page names them). */
const notRead = new WeakMap<FormData, string[]>();

export function filesNotRead(form: FormData): string[] {
	return notRead.get(form) ?? [];
}

class FormTooLarge extends Error {
	constructor(readonly file = false) {
		super('form too large');
	}
}

/**
 * A multipart body read as a stream by busboy (the parser multer and fastify use): undici's own
 * `formData()` takes hundreds of milliseconds of the event loop for a few megabytes of line breaks,
 * which stalls every other request; busboy does the same work in a few milliseconds and stops at
 * the limits as the bytes arrive.
 */
async function readMultipart(request: Request, contentType: string, incoming?: Incoming): Promise<FormData> {
	const form = new FormData();
	const evidence = evidenceLimits();
	const uploads: Promise<StagedUpload>[] = [];
	let otherFiles = 0;
	let dropped = 0;
	const skipped: string[] = [];
	const cut: string[] = [];
	const parser = busboy({
		headers: { 'content-type': contentType },
		// File names as browsers send them, in UTF-8 (busboy's default is Latin-1: 现场照片.png arrived garbled),
		// and whole: a name with folders in it is refused with the reason, not quietly cut to its last part.
		defParamCharset: 'utf8',
		preservePath: true,
		limits: {
			// One byte past the larger limit: a file that reaches it is known to be over.
			fileSize: Math.max(MULTIPART_LIMITS.fileBytes, evidence.fileBytes) + 1,
			// Evidence past its own count is dropped and counted (below); past this many parts, refused whole.
			files: MULTIPART_LIMITS.files + evidence.files * 10,
			fields: MULTIPART_LIMITS.fields,
			fieldSize: MULTIPART_LIMITS.fieldBytes
		}
	});
	let textBytes = 0;
	const done = new Promise<void>((resolve, reject) => {
		// What a handler throws refuses the form: thrown from a parser's event, it would end the process.
		const guarded =
			<A extends unknown[]>(handle: (...args: A) => void) =>
			(...args: A) => {
				try {
					handle(...args);
				} catch (e) {
					reject(e);
				}
			};
		parser.on(
			'field',
			guarded((name: string, value: string | undefined, info: busboy.FieldInfo) => {
				if (info.nameTruncated) return reject(new FormTooLarge());
				if (info.valueTruncated) cut.push(name);
				// A part in a charset busboy cannot decode (charset=utf-16) comes without its value.
				if (typeof value !== 'string') return reject(new Error(`a part in a charset that cannot be read: ${info.encoding}`));
				textBytes += Buffer.byteLength(value);
				if (textBytes > MULTIPART_LIMITS.textBytes) return reject(new FormTooLarge());
				form.append(name, value);
			})
		);
		parser.on(
			'file',
			guarded((name: string, stream: Readable, part: busboy.FileInfo) => {
				// A body cut short errs every file stream it was in, read or dropped: without a listener
				// the error would end the process.
				stream.on('error', reject);
				const info = { ...part, filename: part.filename && sentFileName(part.filename) };
				if (incoming === 'texts only') {
					if (info.filename) skipped.push(info.filename);
					return stream.resume();
				}
				if (incoming && EVIDENCE_FIELD.test(name)) {
					// A file input left empty sends a part with no name and no bytes: nothing was chosen.
					if (!info.filename) return stream.resume();
					if (uploads.length >= evidence.files) {
						dropped += 1;
						return stream.resume();
					}
					const upload = stageUpload(stream, name, info.filename, incoming(), evidence.fileBytes);
					upload.catch(reject);
					return uploads.push(upload);
				}
				// Other files (an imported ledger) keep their own, smaller count.
				if (++otherFiles > MULTIPART_LIMITS.files) return reject(new FormTooLarge());
				const chunks: Buffer[] = [];
				let size = 0;
				stream.on('data', (chunk: Buffer) => {
					size += chunk.length;
					if (size > MULTIPART_LIMITS.fileBytes) reject(new FormTooLarge(true));
					else chunks.push(chunk);
				});
				stream.on('limit', () => reject(new FormTooLarge(true)));
				stream.on('end', () =>
					form.append(name, new File([new Uint8Array(Buffer.concat(chunks))], info.filename ?? '', { type: info.mimeType }))
				);
			})
		);
		for (const limit of ['filesLimit', 'fieldsLimit', 'partsLimit'] as const) parser.on(limit, () => reject(new FormTooLarge()));
		parser.on('error', reject);
		parser.on('close', resolve);
	});
	if (!request.body) throw new Error('no body');
	const body = Readable.fromWeb(request.body as import('node:stream/web').ReadableStream);
	body.on('error', (e) => parser.destroy(e));
	body.pipe(parser);
	try {
		await done;
		staged.set(form, await Promise.all(uploads));
		beyondLimit.set(form, dropped);
		notRead.set(form, skipped);
		cutShort.set(form, cut);
	} catch (e) {
		// Nothing of a refused form is kept.
		for (const upload of await Promise.allSettled(uploads))
			if (upload.status === 'fulfilled') rmSync(upload.value.tempPath, { force: true });
		throw e;
	} finally {
		body.unpipe(parser);
		body.resume(); // the rest, if refused early, is read and dropped
	}
	return form;
}

/**
 * A file's name as the person chose it: browsers send `"`, CR and LF in a name as %22, %0D and %0A
 * (the HTML standard's multipart encoding, which busboy does not undo), and nothing else so. Composed
 * (NFC: macOS sends é as e and an accent), so that the name typed in a ledger's 文件：… finds it; spaces
 * around it and dots after it, which Windows drops from a name, dropped (照片.png␠ is 照片.png).
 */
function sentFileName(name: string): string {
	const sent = name.replace(/%(22|0D|0A)/gi, (_, code: string) => String.fromCharCode(parseInt(code, 16))).normalize('NFC');
	return sent.trim().replace(/[.\s]+$/, '') || sent;
}

/**
 * The body as text, refused past `max` bytes as it arrives: the server accepts large bodies for
 * evidence files (streamed to disk), never a form of text that large held in memory.
 */
async function boundedText(request: Request, max: number): Promise<string> {
	if (!request.body) return '';
	const chunks: Uint8Array[] = [];
	let size = 0;
	// Past the limit the rest is still read, and dropped: a body left unread hangs its connection.
	for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
		size += chunk.length;
		if (size <= max) chunks.push(chunk);
	}
	if (size > max) throw new FormTooLarge();
	return Buffer.concat(chunks).toString('utf8');
}

function urlEncodedForm(text: string): FormData {
	const form = new FormData();
	for (const [name, value] of new URLSearchParams(text)) form.append(name, value);
	return form;
}

/**
 * Where a form's evidence files go as they arrive: a folder (from the function, asked once per file),
 * or nowhere (`texts only`: the files are read and dropped, for a form only its texts are read of).
 * Without it, a few small files are read into memory (an imported ledger).
 */
type Incoming = (() => string) | 'texts only';

/**
 * The request's form, or a 400 with a message when the body cannot be read as one (a broken
 * multipart body, a wrong content type), or a 413 past the limits: never an unhandled error. A text
 * past its field's limit refuses the form too, unless the caller names it (`cutShort: 'named'`,
 * `fieldsCutShort`) and refuses it with the rest of what was typed (`formAction`).
 */
export async function readForm(request: Request, incoming?: Incoming, cutShort: 'refused' | 'named' = 'refused'): Promise<FormData> {
	const contentType = request.headers.get('content-type') ?? '';
	try {
		const form = withoutInvalidCharacters(
			/^multipart\/form-data/i.test(contentType)
				? await readMultipart(request, contentType, incoming)
				: /^application\/x-www-form-urlencoded/i.test(contentType)
					? urlEncodedForm(await boundedText(request, URL_ENCODED_BYTES))
					: await request.formData()
		);
		if (cutShort === 'refused' && fieldsCutShort(form).length) throw new FormTooLarge();
		return form;
	} catch (e) {
		// adapter-node refuses a body over BODY_SIZE_LIMIT while it is read.
		if (e instanceof FormTooLarge && e.file) error(413, m.form_file_too_large({ mb: MULTIPART_LIMITS.fileBytes / 1024 / 1024 }));
		if (e instanceof FormTooLarge || (e as { status?: number }).status === 413) error(413, m.form_too_large());
		error(400, m.form_unreadable());
	}
}

/** The form with the characters no document can hold taken out of its texts (passwords are kept as typed). */
function withoutInvalidCharacters(form: FormData): FormData {
	const clean = new FormData();
	for (const [name, value] of form) clean.append(name, typeof value === 'string' && !secret.test(name) ? enteredText(value) : value);
	staged.set(clean, stagedUploads(form));
	beyondLimit.set(clean, uploadsBeyondLimit(form));
	notRead.set(clean, filesNotRead(form));
	cutShort.set(clean, fieldsCutShort(form));
	return clean;
}

export type FormValues = Record<string, string>;
export type FormErrors = Record<string, string>;
export type FormFailure = { values: FormValues; errors: FormErrors };

/** The most of one value a refused form shows again: far beyond any field's limit, so nothing typed is lost. */
const KEPT_VALUE_LENGTH = 600_000;

/** Fields whose value is never sent back to the browser. */
const secret = /password/i;

/** The entered values to show again in a refused form; a repeated field (checkboxes) is joined by commas. */
export function formValues(form: FormData): FormValues {
	const values: FormValues = {};
	for (const [key, value] of form) {
		if (typeof value !== 'string' || secret.test(key)) continue;
		// Kept whole (up to what any form may send), so that a refused text is never cut short.
		const kept = value.slice(0, KEPT_VALUE_LENGTH);
		values[key] = key in values ? `${values[key]},${kept}` : kept;
	}
	return values;
}

/** Fields whose values the page writes, not the person: what a button does, a key, a choice among a few. */
const PAGE_OWN = new Set(['intent', 'kind', 'preview', 'log', 'confirm', 'back', 'opened', 'locale', 'decision', 'role', 'state']);

/**
 * The texts a person entered into a form, in its order: every value but a ticked box, a number (an
 * id, a version, a choice from a list), a date (picked in a moment, and filled in beforehand by the
 * report form for every milestone), a field of the page's own or a password. Rather a value too many
 * than a typed one left out (an address, "N/A").
 */
export function typedTexts(form: FormData): { name: string; text: string }[] {
	const texts: { name: string; text: string }[] = [];
	for (const [name, value] of form) {
		if (typeof value !== 'string' || secret.test(name) || PAGE_OWN.has(name)) continue;
		const trimmed = value.trim();
		if (trimmed !== '' && trimmed !== 'on' && !/^\d+$/.test(trimmed) && !isCalendarDate(trimmed)) texts.push({ name, text: value });
	}
	return texts;
}

export function parseForm<S extends z.ZodType>(form: FormData, schema: S): { ok: true; data: z.infer<S> } | ({ ok: false } & FormFailure) {
	// A field sent more than once (checkboxes) becomes a list.
	const raw: Record<string, FormDataEntryValue | FormDataEntryValue[]> = {};
	for (const key of new Set(form.keys())) {
		const all = form.getAll(key);
		raw[key] = all.length > 1 ? all : all[0];
	}
	const result = schema.safeParse(raw, { error: formIssue });
	if (result.success) return { ok: true, data: result.data };
	const errors: FormErrors = {};
	for (const issue of result.error.issues) {
		const field = String(issue.path[0] ?? 'form');
		errors[field] ??= issue.message;
	}
	return { ok: false, values: formValues(form), errors };
}

/**
 * Characters that show nothing: zero-width space, non-joiner and joiner, word joiner, byte-order mark.
 * A text of them and spaces alone looks empty, and is: they are trimmed with the spaces at its ends.
 * Inside a text they are kept (a joiner holds an emoji or a name together).
 */
const INVISIBLE = new Set(['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF']);
const isBlank = (c: string) => INVISIBLE.has(c) || /\s/.test(c);

/**
 * The text without the characters that take no room (zero-width spaces and joiners, the word joiner,
 * the byte-order mark, the soft hyphen), which a paste from a web page or WeChat brings along: for a
 * name compared with others (a unit's), where they would make a look-alike of a name already there.
 */
export function withoutInvisible(value: string): string {
	return [...value].filter((c) => !INVISIBLE.has(c) && c !== '\u00AD').join('');
}

/** The text without the spaces and invisible characters at its ends (a loop: `/\s+$/` is quadratic on long spaces). */
export function withoutBlankEnds(value: string): string {
	let start = 0;
	let end = value.length;
	while (start < end && isBlank(value[start])) start++;
	while (end > start && isBlank(value[end - 1])) end--;
	return value.slice(start, end);
}

/**
 * A single-line field's text on one line: a paste from a document brings its line breaks into a title
 * or a name, where they cannot be shown. Each break, with the spaces and blank lines around it, is one
 * space, so that the lines stay apart and no character typed is dropped.
 */
export function oneLine(value: string): string {
	const lines = value.split(/\r\n?|[\n\v\f\u2028\u2029]/);
	return lines.length === 1
		? value
		: lines
				.filter((line) => line.trim() !== '')
				.map((line) => line.trim())
				.join(' ');
}

/** A field that must be sent and not be empty ("Please fill in …"), tidied first (`tidy`) or kept as typed. */
function filled(label: Label, tidy?: (value: string) => string) {
	const sent = z.string(say(() => required(label)));
	return (tidy ? sent.overwrite(tidy) : sent).min(
		1,
		say(() => required(label))
	);
}

/** "… may have at most `max` characters". */
const atMost = (label: Label, max: number) => say(() => m.form_too_long({ label: label(), max }));

const singleLine = (value: string) => withoutBlankEnds(oneLine(value));

/** A required single-line text field (an <input>: a title, a name), on one line and trimmed, with a length limit. */
export function text(label: Label, max: number) {
	return filled(label, singleLine).max(max, atMost(label, max));
}

/** A required text of one or more lines (a <textarea>: a reason, a reply), its lines kept, trimmed, with a length limit. */
export function longText(label: Label, max: number) {
	return filled(label, withoutBlankEnds).max(max, atMost(label, max));
}

/** A password field, kept exactly as typed (never trimmed). */
export function secretText(label: Label, max: number) {
	return filled(label).max(max, atMost(label, max));
}

/**
 * An optional id from a <select> whose first option is empty: empty means none. The select always
 * sends its field, so a form without it was not sent as the page made it, and is refused as stale:
 * read as "none", it would widen what it chose (a key or a webhook of the whole city) or take an
 * item's lead unit away.
 */
export function optionalId(label: Label) {
	return z.string().transform((v, ctx) => {
		if (v === '') return null;
		if (!/^\d{1,9}$/.test(v)) {
			ctx.addIssue({ code: 'custom', message: m.form_invalid({ label: label() }) });
			return z.NEVER;
		}
		return Number(v);
	});
}

/** A required choice from a list of records (a theme): its id. Nothing chosen says "please choose". */
export function chosenId(label: Label) {
	return z
		.string(say(() => m.form_choose({ label: midSentence(label()) })))
		.trim()
		.min(
			1,
			say(() => m.form_choose({ label: midSentence(label()) }))
		)
		.regex(
			/^\d{1,9}$/,
			say(() => m.form_invalid({ label: label() }))
		)
		.transform(Number);
}

/** A required calendar date `YYYY-MM-DD` that exists (2026-02-30 does not), in the years forms take. */
export function calendarDate(label: Label) {
	return filled(label, withoutBlankEnds).superRefine(checkDate(label));
}

/** An optional calendar date: empty means none. */
export function optionalDate(label: Label) {
	return z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? v : null))
		.superRefine((v, ctx) => {
			if (v !== null) checkDate(label)(v, ctx);
		});
}

/** One refusal for a date: one that does not exist says so, not that it is out of range too. */
const checkDate = (label: Label) => (v: string, ctx: z.RefinementCtx) => {
	if (!isCalendarDate(v)) ctx.addIssue({ code: 'custom', message: m.form_not_a_date({ label: label() }) });
	else if (!isEnterableDate(v))
		ctx.addIssue({
			code: 'custom',
			message: m.form_date_out_of_range({ label: label(), first: ENTERED_DATES.first, last: ENTERED_DATES.last })
		});
};

/**
 * A required whole number from `min` to `max` from a form field, written as people write one: digits
 * of either width, maybe a sign. Not what JavaScript also reads as a number (`1e3`, `0x1`, `0b1`,
 * `Infinity`), which a person never means, and empty is "please fill in", never 0.
 */
export function wholeNumber(label: Label, min: number, max: number) {
	return z
		.string()
		.transform((v) => halfWidth(v.trim()))
		.superRefine((v, ctx) => {
			const message = !v
				? required(label)
				: /^[+-]?\d*\.\d+$/.test(v)
					? m.form_not_whole({ label: label() })
					: !/^[+-]?\d+$/.test(v)
						? m.form_not_a_number({ label: label() })
						: Number(v) < min
							? m.form_too_small_number({ label: label(), min })
							: Number(v) > max
								? m.form_too_large_number({ label: label(), max })
								: null;
			if (message) ctx.addIssue({ code: 'custom', message });
		})
		.transform(Number);
}

/** An optional text of at most `max` characters, trimmed, its lines kept; empty (or blank) means none. */
export function optionalText(label: Label, max: number) {
	return z
		.string()
		.overwrite(withoutBlankEnds)
		.max(max, atMost(label, max))
		.transform((v) => v || null);
}

/** An optional single-line text field (an <input>), on one line and trimmed; empty (or blank) means none. */
export function optionalLine(label: Label, max: number) {
	return z
		.string()
		.overwrite(singleLine)
		.max(max, atMost(label, max))
		.transform((v) => v || null);
}

/**
 * The version a form for a record that may not exist yet was opened at: null when it was opened
 * before the record existed (the command then refuses a record someone else created meanwhile).
 */
export function openedVersion(form: FormData): { ok: true; version: number | null } | { ok: false; error: string } {
	const raw = String(form.get('version') ?? '');
	if (raw === '') return { ok: true, version: null };
	// Anything else than a version is a form not sent as the page made it: never "someone else began it".
	return /^\d{1,9}$/.test(raw) ? { ok: true, version: Number(raw) } : { ok: false, error: m.form_stale() };
}

/** The version a form was opened at (optimistic concurrency). */
export const versionField = z.coerce.number(say(m.form_stale)).int(say(m.form_stale)).positive(say(m.form_stale));

/**
 * The id of the record a form acts on, sent in a hidden field: anything else than an id is a form
 * not sent as the page made it, said as such rather than in the schema library's words.
 */
export const recordIdField = versionField;

/**
 * A group of checkboxes of one name: none ticked sends nothing, one sends a value, several a list;
 * always a list here, checked by `list` (its items and its length).
 */
export function checkboxList<T extends z.ZodType<unknown, string[]>>(list: T) {
	return z
		.union([z.string(), z.array(z.string())])
		.optional()
		.transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
		.pipe(list);
}

/** The ids of the checkboxes named `<prefix>-<id>` that are ticked (e.g. `withdraw-12`). */
export function tickedIds(form: FormData, prefix: string): number[] {
	// Each id once, written as the page writes it (a crafted `withdraw-8` twice, or `withdraw-08`, is not two).
	const pattern = new RegExp(`^${prefix}-([1-9]\\d{0,8})$`);
	return [...new Set(form.keys())].flatMap((key) => {
		const id = pattern.exec(key)?.[1];
		return id && form.getAll(key).includes('on') ? [Number(id)] : [];
	});
}

/** A form of evidence files alone: the files come through `ActionContext.uploads`; this reads what to withdraw. */
export function parseFileForm(form: FormData): { ok: true; data: { withdraw: number[] } } {
	return { ok: true, data: { withdraw: tickedIds(form, 'withdraw') } };
}
