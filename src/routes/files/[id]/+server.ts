import { error } from '@sveltejs/kit';
import { createReadStream, existsSync } from 'node:fs';
import { m } from '$lib/i18n';
import { Readable } from 'node:stream';
import { extensionOf, isShownImage } from '$lib/evidence';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { readableAttachment } from '$lib/server/evidence/read';
import { readOrNotFound } from '$lib/server/auth/hidden';
import { blobPath, filesDir } from '$lib/server/evidence/store';
import { download } from '$lib/server/download';
import type { RequestHandler } from './$types';

/**
 * An evidence file, streamed from the store with the type its content showed. Images a browser
 * shows are sent inline (thumbnails); anything else, which could run in a browser (a PDF's scripts,
 * an Office file's macros), only as a download (`download`: never sniffed, never run).
 */
export const GET: RequestHandler = (event) => {
	const user = requireUser(event.locals);
	const db = appDb();
	const file = readOrNotFound(event, db, user, () => readableAttachment(db, event.params.id, user));
	const path = blobPath(filesDir(db), file.sha256);
	// The record names a file the store lacks (a database restored without its files): say so.
	if (!existsSync(path)) error(404, m.evidence_missing());
	const stream = Readable.toWeb(createReadStream(path)) as ReadableStream;
	// Old clients read the ASCII name alone: with the type, so that they open the file as what it is.
	const asciiName = `evidence-${file.id}.${extensionOf(file.fileName)}`;
	return download(stream, file.mime, file.fileName, asciiName, { inline: isShownImage(file.mime), length: file.size });
};
