/**
 * The routes' code loaded as the server starts, rather than by the first person to open each page or
 * to call an endpoint (a download, the API, a calendar feed). The exports' libraries (exceljs, docx)
 * come with pages that use them too, so the first export gains nothing measurable from the endpoints'.
 * SvelteKit imports a route's modules (its load, its components and what they import) on the route's
 * first request; after a restart that made the first look at a closed month's kept view wait for the
 * code as well as for its few hundred kilobytes (measured at 20,000 items: 57-83 ms, most of it code).
 * Loaded before the server listens (some 0.7 s of the start): loaded after, it ran beside the first
 * requests, and the first export after a start waited for it. SvelteKit's own module of each route is
 * loaded too: importing it on the first request took 10 ms of the first look at a kept month after a
 * restart (median of alternated starts on the demo data: the dashboard as of a month's end 46 → 37 ms,
 * the month's summary 26 → 16 ms).
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const routeModules = import.meta.glob([
	'/src/routes/**/+page.server.ts',
	'/src/routes/**/+page.svelte',
	'/src/routes/**/+layout.server.ts',
	'/src/routes/**/+layout.svelte',
	'/src/routes/**/+server.ts'
]);

export async function loadRouteCode(): Promise<void> {
	for (const load of [...Object.values(routeModules), ...builtRouteNodes()]) {
		try {
			await load();
		} catch (error) {
			// The page will load its code when opened, and say there what went wrong.
			console.error(error);
		}
	}
}

/**
 * SvelteKit's own module of each route in the built server (`server/chunks/nodes/N.js-hash.js`, beside
 * the chunk this code is built into, or a level or two up), which it imports on the route's first
 * request, linking the route's modules then. None in development, where Vite serves the sources.
 */
function builtRouteNodes(): (() => Promise<unknown>)[] {
	let dir = dirname(fileURLToPath(import.meta.url));
	for (let up = 0; up < 3; up++, dir = dirname(dir)) {
		const nodes = join(dir, 'nodes');
		if (!existsSync(nodes)) continue;
		return readdirSync(nodes)
			.filter((file) => /^\d+\.js-[\w-]+\.js$/.test(file))
			.map((file) => () => import(/* @vite-ignore */ pathToFileURL(join(nodes, file)).href));
	}
	return [];
}
