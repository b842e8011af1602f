/**
 * An uploaded evidence file, from the request to the store: streamed to disk as it arrives (hashed on
 * the way, cut off at the size limit, never held whole in memory), then checked before anything is
 * kept: its name, that it is not empty nor too large, its type as its content shows (file-type), that
 * the content matches the name, that an Office file (a zip) does not unpack to far more than it weighs,
 * and a photo's capture time (exifr). A refused file is removed; the message says why, in Chinese or
 * English as the interface is.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import exifr from 'exifr';
import { fileTypeFromFile } from 'file-type';
import yauzl from 'yauzl';
import { evidenceTypes, extensionOf, formatBytes } from '$lib/evidence';
import { m } from '$lib/i18n';
import { visibleControls } from '$lib/visible-text';

/** A file part of a form, on disk in the incoming folder, not yet checked. */
export type StagedUpload = { field: string; name: string; tempPath: string; size: number; sha256: string; tooLarge: boolean };

/** A checked file, ready to be stored and attached. */
export type CheckedUpload = StagedUpload & { mime: string; capturedAt: string | null };

/** Writes one file part to `dir` while hashing it; past `maxBytes` it stops writing and marks the file too large. */
export async function stageUpload(stream: Readable, field: string, name: string, dir: string, maxBytes: number): Promise<StagedUpload> {
	const tempPath = join(dir, randomUUID());
	const hash = createHash('sha256');
	let size = 0;
	let tooLarge = false;
	// busboy emits `limit` and then ends the stream at its own limit (the largest file a form may hold).
	stream.on('limit', () => (tooLarge = true));
	const counter = new Transform({
		transform(chunk: Buffer, _encoding, done) {
			size += chunk.length;
			if (size > maxBytes) tooLarge = true;
			if (tooLarge) return done(); // the rest is read and dropped
			hash.update(chunk);
			done(null, chunk);
		}
	});
	const file = createWriteStream(tempPath);
	try {
		await pipeline(stream, counter, file);
	} catch (e) {
		// A body cut short can fail the pipeline before the file is even open: removed only once it is
		// closed, else the opening creates it after the removal and an empty file stays behind.
		if (!file.closed) await new Promise<void>((closed) => file.once('close', () => closed()));
		rmSync(tempPath, { force: true });
		throw e;
	}
	return { field, name, tempPath, size, sha256: hash.digest('hex'), tooLarge };
}

/** Biggest total an Office file may unpack to, and the most it may unpack per byte it weighs. */
const UNPACKED_MAX = 200 * 1024 * 1024;
const RATIO_MAX = 100;
const ENTRIES_MAX = 10_000;

/** Whether a zip (an Office file) declares far more content than it weighs: a zip bomb. */
function zipBomb(path: string, size: number): Promise<boolean> {
	return new Promise((resolve) => {
		yauzl.open(path, { lazyEntries: true, autoClose: true }, (error, zip) => {
			if (error || !zip) return resolve(true); // not readable as a zip: refused as such
			let total = 0;
			let entries = 0;
			zip.on('entry', (entry: yauzl.Entry) => {
				total += entry.uncompressedSize;
				entries += 1;
				if (total > UNPACKED_MAX || total > RATIO_MAX * Math.max(size, 1) || entries > ENTRIES_MAX) {
					zip.close();
					return resolve(true);
				}
				zip.readEntry();
			});
			zip.on('end', () => resolve(false));
			zip.on('error', () => resolve(true));
			zip.readEntry();
		});
	});
}

/** The name a person may give a file: no folders, no control or direction characters, not too long. */
function nameProblem(name: string): string | null {
	// eslint-disable-next-line no-control-regex
	if (/[/\\\u0000-\u001f\u007f]/.test(name) || name === '.' || name === '..') return m.evidence_bad_name();
	// Direction marks and overrides make a name read otherwise than it is (U+202E shows gnp.exe as exe.png);
	// zero-width characters and separators make two names that read alike differ.
	if (/[\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/.test(name)) return m.evidence_bad_name();
	// A name that is only its type (`.png`) names nothing.
	if (/^\.[^.]*$/.test(name.trim())) return m.evidence_bad_name();
	if (name.length > 200) return m.evidence_name_too_long({ max: 200 });
	return null;
}

/** EXIF's "2026:11:20 14:03:22" as "2026-11-20 14:03:22" (the camera's local time). */
async function captureTime(path: string): Promise<string | null> {
	try {
		const tags = await exifr.parse(path, { pick: ['DateTimeOriginal'], reviveValues: false });
		const raw = typeof tags?.DateTimeOriginal === 'string' ? tags.DateTimeOriginal : null;
		const match = raw && /^(\d{4}):(\d{2}):(\d{2}) (\d{2}:\d{2}:\d{2})/.exec(raw);
		return match ? `${match[1]}-${match[2]}-${match[3]} ${match[4]}` : null;
	} catch {
		return null;
	}
}

/**
 * Checks a staged file: the checked file, or the reason it is refused (the file is then removed).
 * `maxBytes` is named in the message.
 */
export async function checkUpload(
	upload: StagedUpload,
	maxBytes: number
): Promise<{ ok: true; file: CheckedUpload } | { ok: false; reason: string }> {
	const refuse = (reason: string) => {
		rmSync(upload.tempPath, { force: true });
		return { ok: false as const, reason: m.evidence_refused({ name: visibleControls(upload.name.slice(0, 80)), reason }) };
	};
	const badName = nameProblem(upload.name);
	if (badName) return refuse(badName);
	if (upload.tooLarge) return refuse(m.evidence_too_large({ max: formatBytes(maxBytes) }));
	if (upload.size === 0) return refuse(m.evidence_empty());
	const extension = extensionOf(upload.name);
	if (!Object.values(evidenceTypes).some((t) => t.extensions.includes(extension))) return refuse(m.evidence_type_not_allowed());
	const detected = await fileTypeFromFile(upload.tempPath).catch(() => undefined);
	const mime = detected?.mime ?? '';
	const type = evidenceTypes[mime];
	if (!type) return refuse(m.evidence_content_not_allowed({ found: detected?.ext ?? m.evidence_unknown_content() }));
	if (!type.extensions.includes(extension)) return refuse(m.evidence_content_mismatch({ extension, found: detected!.ext }));
	if (detected!.ext === 'docx' || detected!.ext === 'xlsx' || detected!.ext === 'pptx') {
		if (await zipBomb(upload.tempPath, upload.size)) return refuse(m.evidence_zip_bomb());
	}
	const capturedAt = mime === 'image/jpeg' || mime === 'image/heic' ? await captureTime(upload.tempPath) : null;
	return { ok: true, file: { ...upload, mime, capturedAt } };
}
