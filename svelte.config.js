import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// Content-Security-Policy: set by our hook (src/lib/server/content-security-policy.ts), which
		// hashes SvelteKit's inline start-up script with node:crypto rather than SvelteKit's JavaScript.
		// Forms from another site are refused by our own hook, with SvelteKit's rule, so that the refusal
		// is a page in the person's language (src/lib/server/auth/cross-site.ts); '*' turns SvelteKit's
		// English one-line refusal off. Never remove that hook without putting `trustedOrigins: []` back.
		csrf: { trustedOrigins: ['*'] }
	}
};

export default config;
