/** The shape every user-administration action shares: check, parse, change, answer. */
import { fail, redirect, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { appDb } from './app-db';
import { requirePermission } from './auth/guard';
import type { Db } from './db';
import { formValues, parseForm, type FormFailure } from './forms';
import type { ChangeContext } from './history';
import { changeContext } from './request';
import { UserChangeError } from './users';

/**
 * Runs `change` as an administrator with the parsed form, then redirects to `next(result)`.
 * Refusals become `fail(400)` with the message beside its field and the entered values kept.
 */
export async function adminUserAction<S extends z.ZodType, R>(
	event: RequestEvent,
	schema: S,
	change: (db: Db, data: z.infer<S>, ctx: ChangeContext & { address: string | null }) => R | Promise<R>,
	next: (result: Awaited<R>) => string
): Promise<ActionFailure<FormFailure & { action: string }>> {
	requirePermission(event.locals, 'manageUsers');
	const form = await event.request.formData();
	// The user a page is about comes from its URL, whatever the form says.
	if (event.params.id) form.set('userId', event.params.id);
	const action = new URL(event.request.url).search.replace(/^\?\//, '');
	const parsed = parseForm(form, schema);
	if (!parsed.ok) return fail(400, { action, values: parsed.values, errors: parsed.errors });
	let result: Awaited<R>;
	try {
		result = await change(appDb(), parsed.data, changeContext(event));
	} catch (error) {
		if (error instanceof UserChangeError) {
			return fail(400, { action, values: formValues(form), errors: { [error.field]: error.message } });
		}
		throw error;
	}
	redirect(303, next(result));
}
