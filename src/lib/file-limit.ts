import { m } from '$lib/i18n';

/**
 * A file chosen past `maxBytes`, refused in the browser before it is sent: the choice is cleared and
 * the message returned ('' when it fits). Sent, it would be refused whole (413) and the page with it.
 */
export function refusedFileChoice(input: HTMLInputElement, maxBytes: number): string {
	const file = input.files?.[0];
	const problem = file && file.size > maxBytes ? m.form_file_too_large({ mb: maxBytes / 1024 / 1024 }) : '';
	if (problem) input.value = '';
	return problem;
}
