import { error } from '@sveltejs/kit';
import { createReadStream, existsSync } from 'node:fs';
import { m } from '$lib/i18n';
import { Readable } from 'node:stream';
import contentDisposition from 'content-disposition';
import { isShownImage } from '$lib/evidence';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { readableAttachment } from '$lib/server/evidence/read';
import { blobPath, filesDir } from '$lib/server/evidence/store';
import { orHttpError } from '$lib/server/workflow/errors';
import type { RequestHandler } from './$types';

/**
 * An evidence file, streamed from the store with the type its content showed. Images a browser
 * shows are sent inline (thumbnails); anything else, which could run in a browser (a PDF's scripts,
 * an Office file's macros), only as a download. Never sniffed, never run: the response is sandboxed.
 */
export const GET: RequestHandler = ({ params, locals }) => {
	const user = requireUser(locals);
	const db = appDb();
	const file = orHttpError(() => readableAttachment(db, params.id, user));
	const path = blobPath(filesDir(db), file.sha256);
	// The record names a file the store lacks (a database restored without its files): say so.
	if (!existsSync(path)) error(404, m.evidence_missing());
	const stream = Readable.toWeb(createReadStream(path)) as ReadableStream;
	return new Response(stream, {
		headers: {
			'content-type': file.mime,
			'content-length': String(file.size),
			'content-disposition': contentDisposition(file.fileName, {
				type: isShownImage(file.mime) ? 'inline' : 'attachment',
				fallback: `evidence-${file.id}`
			}),
			'x-content-type-options': 'nosniff',
			'content-security-policy': "sandbox; default-src 'none'",
			'cache-control': 'private, no-store'
		}
	});
};
