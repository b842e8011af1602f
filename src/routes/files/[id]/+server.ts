import { error } from '@sveltejs/kit';
import { createReadStream, existsSync } from 'node:fs';
import { m } from '$lib/i18n';
import { Readable } from 'node:stream';
import { isShownImage } from '$lib/evidence';
import { appDb } from '$lib/server/app-db';
import { requireUser } from '$lib/server/auth/guard';
import { HiddenFileError, readableAttachment } from '$lib/server/evidence/read';
import { recordRefusal } from '$lib/server/auth/refusal-log';
import type { SessionUser } from '$lib/server/auth/sessions';
import type { Db } from '$lib/server/db';
import { clientAddress } from '$lib/server/request';
import { blobPath, filesDir } from '$lib/server/evidence/store';
import { download } from '$lib/server/download';
import { orHttpError } from '$lib/server/workflow/errors';
import type { RequestEvent, RequestHandler } from './$types';

/**
 * An evidence file, streamed from the store with the type its content showed. Images a browser
 * shows are sent inline (thumbnails); anything else, which could run in a browser (a PDF's scripts,
 * an Office file's macros), only as a download (`download`: never sniffed, never run).
 */
export const GET: RequestHandler = (event) => {
	const user = requireUser(event.locals);
	const db = appDb();
	const file = orHttpError(() => readableOrLogged(event, db, user));
	const path = blobPath(filesDir(db), file.sha256);
	// The record names a file the store lacks (a database restored without its files): say so.
	if (!existsSync(path)) error(404, m.evidence_missing());
	const stream = Readable.toWeb(createReadStream(path)) as ReadableStream;
	return download(stream, file.mime, file.fileName, `evidence-${file.id}`, { inline: isShownImage(file.mime), length: file.size });
};

/**
 * The file, if the user may read it. A refusal is answered as a missing file (404, the same body), so
 * the hook does not see it as one: it is written to the security log here, as every refusal is.
 */
function readableOrLogged(event: RequestEvent, db: Db, user: SessionUser) {
	try {
		return readableAttachment(db, event.params.id!, user);
	} catch (e) {
		if (e instanceof HiddenFileError) {
			recordRefusal(db, {
				actorId: user.id,
				username: user.username,
				address: clientAddress(event),
				method: event.request.method,
				path: event.url.pathname,
				status: 404,
				reason: e.reason
			});
		}
		throw e;
	}
}
