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
import { formValues, parseForm, type FormFailure, readForm } from './forms';
import type { CommandContext } from './workflow/access';
import { changeContext } from './request';
import { orHttpError, StaleVersionError, WorkflowError, type FieldChange } from './workflow/errors';

export type ActionContext = {
	db: Db;
	user: SessionUser;
	change: CommandContext & { actorId: number; address: string | null };
	today: CalendarDate;
	form: FormData;
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

export async function formAction<T, R>(
	event: RequestEvent,
	spec: {
		permission: Permission;
		/** A further check of who may act here (e.g. staff of the item's unit), before the form is read. */
		guard?: (user: SessionUser) => void;
		/** A zod schema, or a function for forms whose fields are not fixed. */
		parse: z.ZodType<T> | ((form: FormData) => Parsed<T>);
		run: (ctx: ActionContext, data: T) => R | Promise<R>;
		next: (result: Awaited<R>, ctx: ActionContext) => string;
	}
): Promise<ActionFailure<ActionFail>> {
	const user = requirePermission(event.locals, spec.permission);
	if (spec.guard) orHttpError(() => spec.guard!(user));
	const form = await readForm(event.request);
	versionSeen(form);
	const action = new URL(event.request.url).search.replace(/^\?\//, '') || 'default';
	const parsed = typeof spec.parse === 'function' ? spec.parse(form) : parseForm(form, spec.parse);
	if (!parsed.ok) return fail(400, { action, values: formValues(form), errors: parsed.errors });
	const now = new Date();
	const ctx: ActionContext = {
		db: appDb(),
		user,
		change: { ...changeContext(event, now), actorId: user.id, actor: user },
		today: suzhouToday(now),
		form
	};
	let result: Awaited<R>;
	try {
		result = await spec.run(ctx, parsed.data);
	} catch (error) {
		if (!(error instanceof WorkflowError)) throw error;
		return fail(error.status, {
			action,
			values: formValues(form),
			errors: { [error.field]: error.message },
			stale: error instanceof StaleVersionError ? error.changes : undefined,
			staleVersion: error instanceof StaleVersionError ? error.current : undefined
		});
	}
	redirect(303, spec.next(result, ctx));
}
