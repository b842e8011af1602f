/**
 * The pages' Content-Security-Policy: scripts and styles only from this origin, or inline with the
 * hash of their text (SvelteKit's start-up script, the static error page's style); nothing may frame
 * the pages. Hashes, not nonces: a page is then the same bytes for the same data, so a rendered page
 * may be kept (page-cache.ts).
 *
 * Set here rather than by SvelteKit's `csp` option: SvelteKit hashes its start-up script with a
 * SHA-256 written in JavaScript, which on the first page a process renders ran cold (some 8 ms of
 * the first look at a kept month after a restart, whatever the script's length) and 0.4–1 ms on
 * every page rendered after; node:crypto's takes a few microseconds.
 */
import type { Handle } from '@sveltejs/kit';
import { createHash } from 'node:crypto';

const DIRECTIVES: [string, string][] = [
	['default-src', "'self'"],
	['script-src', "'self'"],
	['style-src', "'self'"],
	// Svelte's style: directives (progress bar widths) render as style attributes.
	['style-src-attr', "'unsafe-inline'"],
	['img-src', "'self' data:"],
	['font-src', "'self'"],
	['connect-src', "'self'"],
	['object-src', "'none'"],
	['base-uri', "'self'"],
	['form-action', "'self'"],
	['frame-ancestors', "'none'"]
];

/** An inline element's text: a <script> without a src, or a <style>. SvelteKit escapes `</` inside them. */
const inline = (tag: 'script' | 'style') => new RegExp(`<${tag}(?![^>]*\\ssrc=)[^>]*>([\\s\\S]*?)</${tag}>`, 'g');
const INLINE = { script: inline('script'), style: inline('style') };

const hashes = (html: string, tag: 'script' | 'style') =>
	[...html.matchAll(INLINE[tag])].map((m) => ` 'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`).join('');

/** The policy of a page: the directives, with the hashes of its inline scripts and styles. */
export function contentSecurityPolicy(html: string): string {
	const extra: Record<string, string> = { 'script-src': hashes(html, 'script'), 'style-src': hashes(html, 'style') };
	return DIRECTIVES.map(([name, sources]) => `${name} ${sources}${extra[name] ?? ''}`).join('; ');
}

/**
 * Every page SvelteKit renders (its error pages too) gets its policy; a response that set its own keeps it.
 * The page's text is taken as SvelteKit hands it over (its last transform), not read back from the
 * response: decoding a rendered page again cost some 15 ms of the first look after a restart (cold)
 * and a copy of every page after. Its text is taken before the language's transform (hooks.server.ts),
 * which sets <html lang> and touches no script or style. A page streamed in parts (none is today), or
 * one SvelteKit did not render (an endpoint's, the static error page), is read back whole.
 */
export const contentSecurityPolicyHeader: Handle = async ({ event, resolve }) => {
	let rendered = '';
	let whole = false;
	const response = await resolve(event, {
		transformPageChunk: ({ html, done }) => {
			rendered += html;
			whole = done;
			return html;
		}
	});
	if (!response.body || response.headers.has('content-security-policy') || !response.headers.get('content-type')?.startsWith('text/html'))
		return response;
	if (whole) {
		response.headers.set('content-security-policy', contentSecurityPolicy(rendered));
		return response;
	}
	const html = await response.text();
	const headers = new Headers(response.headers);
	headers.set('content-security-policy', contentSecurityPolicy(html));
	return new Response(html, { status: response.status, statusText: response.statusText, headers });
};
