import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { paraglideOptions } from './paraglide.options.js';

/**
 * Packages bundled into the server rather than imported from node_modules at the start. Node 22 and
 * 24 read a package's package.json again for each of its modules as they resolve an import, and
 * date-fns and drizzle-orm have hundreds of modules and package.json files of ~200 KB: on Node 24,
 * importing date-fns took 1.2-1.9 s and drizzle-orm 0.23-0.57 s (0.12-0.25 and 0.04-0.14 s on Node
 * 20), and the server started in 4-6 s instead of 1.3-2.5 (nodejs/node#60397). Bundled, only the
 * functions used are built in. The charts' date adapter imports date-fns whole: bundled with it, or
 * the server imports all of date-fns for it. tests/e2e/server-build.test.ts keeps the built server
 * free of imports of these.
 */
export const bundledIntoServer = ['date-fns', 'drizzle-orm', 'chartjs-adapter-date-fns'];

export default defineConfig({
	// Paraglide recompiles the messages for dev and build. Under vitest its watcher keeps the run
	// from exiting, so tests read the messages `npm run i18n` compiled (npm install and npm test run it).
	plugins: [...(process.env.VITEST ? [] : [paraglideVitePlugin(paraglideOptions)]), sveltekit()],
	ssr: { noExternal: bundledIntoServer },
	test: {
		include: ['tests/unit/**/*.test.ts'],
		environment: 'node',
		// Each test file opens its own temporary database; files run in parallel processes.
		pool: 'forks',
		// Sized for a 2-core machine busy with other work: seeding the demo database takes a few seconds
		// on a quiet one and several times that on a loaded one.
		testTimeout: 60_000,
		hookTimeout: 120_000
	}
});
