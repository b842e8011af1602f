/**
 * The pages' code loaded as the server starts, rather than by the first person to open each page.
 * SvelteKit imports a route's modules (its load, its components and what they import) on the route's
 * first request; after a restart that made the first look at a closed month's kept view wait for the
 * code as well as for its few hundred kilobytes (measured at 20,000 items: 57-83 ms, most of it code).
 * Loaded before the server listens (some 0.7 s of the start): loaded after, it ran beside the first
 * requests, and the first export after a start waited for it.
 */
const routeModules = import.meta.glob([
	'/src/routes/**/+page.server.ts',
	'/src/routes/**/+page.svelte',
	'/src/routes/**/+layout.server.ts',
	'/src/routes/**/+layout.svelte'
]);

export async function loadPageCode(): Promise<void> {
	for (const load of Object.values(routeModules)) {
		try {
			await load();
		} catch (error) {
			// The page will load its code when opened, and say there what went wrong.
			console.error(error);
		}
	}
}
