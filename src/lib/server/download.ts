/**
 * A file sent to be saved: named as the office names it (`2026年10月重点任务推进情况月报.xlsx`), with an
 * ASCII name beside it for old clients (RFC 6266 `filename*` and `filename`, by the content-disposition
 * package, which also quotes and escapes both).
 */
import contentDisposition from 'content-disposition';

export const fileTypes = {
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	csv: 'text/csv; charset=utf-8',
	json: 'application/json; charset=utf-8'
} as const;

/**
 * A file as the answer: made in memory (an export) or streamed (a stored file, with its `length`).
 * Saved as a download unless `inline` (a picture shown as a thumbnail); never sniffed, never run
 * (the response is sandboxed).
 */
export function download(
	body: Uint8Array | ReadableStream,
	type: string,
	name: string,
	asciiName: string,
	options: { inline?: boolean; length?: number } = {}
): Response {
	return new Response(body instanceof Uint8Array ? new Uint8Array(body) : body, {
		headers: {
			'content-type': type,
			...(options.length === undefined ? {} : { 'content-length': String(options.length) }),
			'content-disposition': contentDisposition(name, { type: options.inline ? 'inline' : 'attachment', fallback: asciiName }),
			'x-content-type-options': 'nosniff',
			'content-security-policy': "sandbox; default-src 'none'",
			'cache-control': 'private, no-store'
		}
	});
}
