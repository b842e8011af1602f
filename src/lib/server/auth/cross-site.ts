/**
 * Forms sent from another site (CSRF). A page of any site can make a browser send a form here, with
 * the person's cookies if the browser sends them; such a form is refused before anything reads it.
 * The rule is SvelteKit's own (`csrf`), checked here instead (svelte.config.js turns SvelteKit's off)
 * so that the refusal is a page in the person's language rather than one line of English:
 * a request whose body is of a type a plain HTML form can send (no preflight), by a method that
 * writes, whose `Origin` is not this server's own (`ORIGIN`), or absent.
 */

/** The content types an HTML form sends: a page of another site can send these without asking first. */
const FORM_TYPES = new Set([
	'application/x-www-form-urlencoded',
	'multipart/form-data',
	'text/plain',
	// SvelteKit's own encoding of a form (remote form functions), which its check counts too.
	'application/x-sveltekit-formdata'
]);
const WRITING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isCrossSiteForm(request: Request, url: URL): boolean {
	const type = request.headers.get('content-type')?.split(';', 1)[0].trim().toLowerCase() ?? '';
	return FORM_TYPES.has(type) && WRITING_METHODS.has(request.method) && request.headers.get('origin') !== url.origin;
}
