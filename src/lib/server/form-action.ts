/**
 * The shape every form action shares: check who acts, parse the form, run one command, then
 * redirect (303) to the next page. A refusal becomes `fail(status)` with its message beside its
 * field, the entered values kept, and for a stale form the list of what changed meanwhile.
 */
import { fail, redirect, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { suzhouToday, type CalendarDate } from '$lib/dates';
import type { Permission } from '$lib/roles';
import { appDb } from './app-db';
import { requirePermission } from './auth/guard';
import type { SessionUser } from './auth/sessions';
import type { Db } from './db';
import { fieldsCutShort, formValues, parseForm, stagedUploads, type FormFailure, readForm, uploadsBeyondLimit } from './forms';
import { rmSync } from 'node:fs';
import { evidenceLimits } from './config';
import { blobPath, filesDir, incomingDir, putBlob } from './evidence/store';
import { checkUpload, type CheckedUpload } from './evidence/upload';
import { m } from '$lib/i18n';
import { visibleControls } from '$lib/visible-text';
import type { CommandContext } from './workflow/access';
import { changeContext } from './request';
import { HiddenRecordError, orHttpError, StaleVersionError, WorkflowError, type FieldChange } from './workflow/errors';
import { recordHiddenRefusal } from './auth/hidden';

export type ActionContext = {
	db: Db;
	user: SessionUser;
	change: CommandContext & { actorId: number; address: string | null };
	today: CalendarDate;
	form: FormData;
	/** Evidence files of the form, checked and in the store (only for actions that take files). */
	uploads: CheckedUpload[];
};

export type ActionFail = FormFailure & { action: string; stale?: FieldChange[]; staleVersion?: number };

/**
 * The version a form saves over. A form refused as stale carries the version it was opened at
 * again (FormMessage puts it first), so saving once more is refused once more; only when the person
 * ticks that they have seen the other changes (`seenVersion`, the version now) does it save over them.
 */
function versionSeen(form: FormData): void {
	const seen = form.get('seenVersion');
	const versions = form.getAll('version');
	form.delete('seenVersion');
	if (typeof seen === 'string' && /^\d{1,9}$/.test(seen)) form.set('version', seen);
	else if (versions.length > 1) form.set('version', versions[0]);
}

type Parsed<T> = { ok: true; data: T } | { ok: false; errors: Record<string, string> };

export async function formAction<T, R, A extends Record<string, unknown> = never>(
	event: RequestEvent,
	spec: {
		permission: Permission;
		/** A further check of who may act here (e.g. staff of the item's unit), before the form is read. */
		guard?: (user: SessionUser) => void;
		/** A zod schema, or a function for forms whose fields are not fixed. */
		parse: z.ZodType<T> | ((form: FormData) => Parsed<T>);
		run: (ctx: ActionContext, data: T) => R | Promise<R>;
		/** Where to go after success (a 303); or, with `reply`, what to answer in place (a secret shown once, never put in an address). */
		next?: (result: Awaited<R>, ctx: ActionContext) => string;
		reply?: (result: Awaited<R>) => A;
		/** Whether the form may carry evidence files (`files`, `files-<milestone id>`). */
		files?: boolean;
	}
): Promise<ActionFailure<ActionFail> | A> {
	const user = requirePermission(event.locals, spec.permission);
	if (spec.guard) orHttpError(() => spec.guard!(user));
	const db = appDb();
	const form = await readForm(event.request, () => incomingDir(db), 'named');
	const staged = stagedUploads(form);
	// Whatever happens below, no upload is left in the incoming folder (a stored one was moved out).
	try {
		versionSeen(form);
		const action = new URL(event.request.url).search.replace(/^\?\//, '') || 'default';
		// A refusal naming what was sent (a file's name, a code) shows it as it is (`visibleControls`).
		const refuse = (status: 400 | 403 | 404 | 409 | 413, errors: Record<string, string>, more: Partial<ActionFail> = {}) =>
			fail(status, {
				action,
				values: formValues(form),
				errors: Object.fromEntries(Object.entries(errors).map(([field, message]) => [field, visibleControls(message)])),
				...more
			});
		const cut = fieldsCutShort(form);
		if (cut.length)
			return refuse(413, { form: m.form_cut_short(), ...Object.fromEntries(cut.map((field) => [field, m.form_field_cut_short()])) });
		if (staged.length && !spec.files) return refuse(400, { form: m.evidence_not_here() });
		// A form that takes evidence takes no other file: one in a field of another name is a forged form.
		if (spec.files && [...form.values()].some((value) => typeof value !== 'string'))
			return refuse(400, { form: m.form_unknown_file_field() });
		const limits = evidenceLimits();
		if (staged.length + uploadsBeyondLimit(form) > limits.files) return refuse(400, { form: m.evidence_too_many({ max: limits.files }) });
		const parsed = typeof spec.parse === 'function' ? spec.parse(form) : parseForm(form, spec.parse);
		if (!parsed.ok) return refuse(400, parsed.errors);
		const checked = await Promise.all(staged.map((upload) => checkUpload(upload, limits.fileBytes)));
		const refused: Record<string, string> = {};
		for (const [i, c] of checked.entries())
			if (!c.ok) refused[staged[i].field] = [refused[staged[i].field], c.reason].filter(Boolean).join('；');
		if (Object.keys(refused).length) return refuse(400, refused);
		const uploads = checked.flatMap((c) => (c.ok ? [c.file] : []));
		const created = uploads.flatMap((u) => (putBlob(filesDir(db), u.tempPath, u.sha256).created ? [blobPath(filesDir(db), u.sha256)] : []));
		const now = new Date();
		const ctx: ActionContext = {
			db,
			user,
			change: { ...changeContext(event, now), actorId: user.id, actor: user },
			today: suzhouToday(now),
			form,
			uploads
		};
		let result: Awaited<R>;
		try {
			result = await spec.run(ctx, parsed.data);
		} catch (error) {
			// The command wrote nothing: the files it would have kept are not kept either.
			for (const path of created) rmSync(path, { force: true });
			if (!(error instanceof WorkflowError)) throw error;
			// Answered as a missing record, so the request hook sees no 403 to log: logged here.
			if (error instanceof HiddenRecordError) recordHiddenRefusal(event, db, user, error);
			return refuse(
				error.status,
				{ [error.field]: error.message },
				{
					stale: error instanceof StaleVersionError ? error.changes : undefined,
					staleVersion: error instanceof StaleVersionError ? error.current : undefined
				}
			);
		}
		if (spec.reply) return spec.reply(result);
		return redirect(303, spec.next!(result, ctx));
	} finally {
		for (const upload of staged) rmSync(upload.tempPath, { force: true });
	}
}
