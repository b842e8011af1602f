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

export function download(body: Uint8Array, type: string, name: string, asciiName: string): Response {
	return new Response(new Uint8Array(body), {
		headers: {
			'content-type': type,
			'content-disposition': contentDisposition(name, { fallback: asciiName }),
			'cache-control': 'private, no-store'
		}
	});
}
