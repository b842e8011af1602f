/**
 * Form parsing with a schema: the one way every action reads its input. Messages are in Chinese
 * (zod's zh-CN locale, and our own where a field needs a clearer one).
 */
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { isCalendarDate } from '$lib/dates';

z.config(z.locales.zhCN());

/**
 * The request's form, or a 400 with a message when the body cannot be read as one (a broken
 * multipart body, a wrong content type): never an unhandled error.
 */
export async function readForm(request: Request): Promise<FormData> {
	try {
		return await request.formData();
	} catch (e) {
		// adapter-node refuses a body over BODY_SIZE_LIMIT while it is read.
		if ((e as { status?: number }).status === 413) error(413, '提交的内容过大。');
		error(400, '提交的表单内容无法解析,请刷新页面后重试。');
	}
}

export type FormValues = Record<string, string>;
export type FormErrors = Record<string, string>;
export type FormFailure = { values: FormValues; errors: FormErrors };

/** Fields whose value is never sent back to the browser. */
const secret = /password/i;

/** The entered values to show again in a refused form; a repeated field (checkboxes) is joined by commas. */
export function formValues(form: FormData): FormValues {
	const values: FormValues = {};
	for (const [key, value] of form) {
		if (typeof value !== 'string' || secret.test(key)) continue;
		values[key] = key in values ? `${values[key]},${value.slice(0, 2000)}` : value.slice(0, 2000);
	}
	return values;
}

export function parseForm<S extends z.ZodType>(form: FormData, schema: S): { ok: true; data: z.infer<S> } | ({ ok: false } & FormFailure) {
	// A field sent more than once (checkboxes) becomes a list.
	const raw: Record<string, FormDataEntryValue | FormDataEntryValue[]> = {};
	for (const key of new Set(form.keys())) {
		const all = form.getAll(key);
		raw[key] = all.length > 1 ? all : all[0];
	}
	const result = schema.safeParse(raw);
	if (result.success) return { ok: true, data: result.data };
	const errors: FormErrors = {};
	for (const issue of result.error.issues) {
		const field = String(issue.path[0] ?? 'form');
		errors[field] ??= issue.message;
	}
	return { ok: false, values: formValues(form), errors };
}

/** A required single-line text field, trimmed, with a length limit. */
export function text(label: string, max: number) {
	return z
		.string({ error: `请填写${label}` })
		.trim()
		.min(1, `请填写${label}`)
		.max(max, `${label}不能超过 ${max} 个字`);
}

/** An optional id from a <select>: empty means none. */
export function optionalId(label: string) {
	return z
		.string()
		.optional()
		.transform((v, ctx) => {
			if (v === undefined || v === '') return null;
			if (!/^\d{1,9}$/.test(v)) {
				ctx.addIssue({ code: 'custom', message: `${label}无效` });
				return z.NEVER;
			}
			return Number(v);
		});
}

/** A required calendar date `YYYY-MM-DD` that exists (2026-02-30 does not). */
export function calendarDate(label: string) {
	return z
		.string({ error: `请填写${label}` })
		.trim()
		.min(1, `请填写${label}`)
		.refine(isCalendarDate, `${label}不是有效日期(格式为 年-月-日,且须为真实存在的日期)`);
}

/** An optional calendar date: empty means none. */
export function optionalDate(label: string) {
	return z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? v : null))
		.refine((v) => v === null || isCalendarDate(v), `${label}不是有效日期(格式为 年-月-日,且须为真实存在的日期)`);
}

/** A required positive whole number from a form field. */
export function positiveWhole(label: string, max: number) {
	return z.coerce
		.number({ error: `${label}须为数字` })
		.int(`${label}须为整数`)
		.gt(0, `${label}须大于 0`)
		.max(max, `${label}不能大于 ${max}`);
}

/** The version a form was opened at (optimistic concurrency). */
export const versionField = z.coerce.number({ error: '表单已过期,请刷新页面' }).int().positive();
