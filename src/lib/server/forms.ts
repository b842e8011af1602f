/**
 * Form parsing with a schema: the one way every action reads its input. Messages are in Chinese
 * (zod's zh-CN locale, and our own where a field needs a clearer one).
 */
import { z } from 'zod';

z.config(z.locales.zhCN());

export type FormValues = Record<string, string>;
export type FormErrors = Record<string, string>;
export type FormFailure = { values: FormValues; errors: FormErrors };

/** Fields whose value is never sent back to the browser. */
const secret = /password/i;

export function formValues(form: FormData): FormValues {
	const values: FormValues = {};
	for (const [key, value] of form) {
		if (typeof value === 'string' && !secret.test(key)) values[key] = value.slice(0, 2000);
	}
	return values;
}

export function parseForm<S extends z.ZodType>(
	form: FormData,
	schema: S
): { ok: true; data: z.infer<S> } | ({ ok: false } & FormFailure) {
	const raw: Record<string, FormDataEntryValue> = {};
	for (const [key, value] of form) raw[key] = value;
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
