import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { paraglideOptions } from './paraglide.options.js';

export default defineConfig({
	// Paraglide recompiles the messages for dev and build. Under vitest its watcher keeps the run
	// from exiting, so tests read the messages `npm run i18n` compiled (npm install and npm test run it).
	plugins: [...(process.env.VITEST ? [] : [paraglideVitePlugin(paraglideOptions)]), sveltekit()],
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
