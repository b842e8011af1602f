import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// Content-Security-Policy: scripts only from this origin or with the hash SvelteKit adds to
		// its own inline start-up script; nothing may frame the pages. Hashes, not nonces: a page is
		// then the same bytes for the same data, so a rendered page may be kept (page-cache.ts).
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self'],
				// Svelte's style: directives (progress bar widths) render as style attributes.
				'style-src-attr': ['unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		// Forms from another site are refused by our own hook, with SvelteKit's rule, so that the refusal
		// is a page in the person's language (src/lib/server/auth/cross-site.ts); '*' turns SvelteKit's
		// English one-line refusal off. Never remove that hook without putting `trustedOrigins: []` back.
		csrf: { trustedOrigins: ['*'] }
	}
};

export default config;
