/**
 * Reading a record in a route where a refusal must not say the record exists (`HiddenRecordError`):
 * the answer is the 404 of a missing record, so the request hook, which logs every 403, does not see
 * a refusal; it is written to the security log here instead, with its reason.
 */
import type { RequestEvent } from '@sveltejs/kit';
import type { Tx } from '../db';
import { clientAddress } from '../request';
import { HiddenRecordError, orHttpError } from '../workflow/errors';
import { recordRefusal } from './refusal-log';
import type { SessionUser } from './sessions';

export function readOrNotFound<T>(event: RequestEvent, db: Tx, user: SessionUser, read: () => T): T {
	return orHttpError(() => {
		try {
			return read();
		} catch (e) {
			if (e instanceof HiddenRecordError) recordHiddenRefusal(event, db, user, e);
			throw e;
		}
	});
}

/** A refusal answered as a missing record, written to the security log with its reason (a load's or a form action's). */
export function recordHiddenRefusal(event: RequestEvent, db: Tx, user: SessionUser, refusal: HiddenRecordError): void {
	recordRefusal(db, {
		actorId: user.id,
		username: user.username,
		address: clientAddress(event),
		method: event.request.method,
		path: event.url.pathname,
		status: 404,
		reason: refusal.reason
	});
}
