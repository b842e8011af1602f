import { defineConfig } from '@playwright/test';
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';

/**
 * Playwright's own Chromium where it is installed; otherwise the system's (Debian's
 * /usr/bin/chromium, or CHROMIUM_PATH). Nothing here downloads a browser.
 */
function chromiumExecutable(): string | undefined {
	if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
	try {
		if (existsSync(chromium.executablePath())) return undefined;
	} catch {
		// no bundled browser registered
	}
	return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
}

const PORT = Number(process.env.E2E_PORT ?? 4173);
export const E2E_DATABASE = 'test-results/e2e.db';

export default defineConfig({
	testDir: 'tests/e2e',
	forbidOnly: !!process.env.CI,
	retries: 0,
	workers: 2,
	// Sized for a 2-core machine that is busy with other work (CI, a developer's laptop), not a quiet one:
	// each test does one thing, so a generous budget hides no slowness that matters.
	timeout: 90_000,
	expect: { timeout: 15_000 },
	reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
	outputDir: 'test-results/playwright',
	use: {
		baseURL: `http://127.0.0.1:${PORT}`,
		screenshot: 'only-on-failure',
		navigationTimeout: 45_000,
		actionTimeout: 20_000,
		launchOptions: {
			executablePath: chromiumExecutable(),
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
				'--disable-quic'
			]
		}
	},
	webServer: {
		// The production build on a fresh demo database (the test command builds first).
		command: `rm -f ${E2E_DATABASE}* && node build`,
		url: `http://127.0.0.1:${PORT}/`,
		timeout: 120_000,
		reuseExistingServer: false,
		env: {
			HOST: '127.0.0.1',
			PORT: String(PORT),
			ORIGIN: `http://127.0.0.1:${PORT}`,
			DATABASE_URL: E2E_DATABASE,
			DATASET: 'demo',
			BODY_SIZE_LIMIT: '256M',
			// Small limits, so that the browser tests can send a file past them.
			EVIDENCE_MAX_MB: '2',
			// The address rate limit is covered by unit tests; here every test logs in from 127.0.0.1.
			LOGIN_MAX_FAILURES_PER_ADDRESS: '1000'
		}
	}
});
