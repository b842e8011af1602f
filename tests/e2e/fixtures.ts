/** Shared e2e fixtures: the database the server runs on (read-only) and an axe scan. */
import AxeBuilder from '@axe-core/playwright';
import {
	test as base,
	expect,
	type APIRequestContext,
	type Browser,
	type BrowserContext,
	type BrowserContextOptions,
	type Page
} from '@playwright/test';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';

export const DEMO_PASSWORD = 'suzhou-demo-2021';

/** Signs `request` (a page's or a standalone one) in; the cookie then serves the whole context. */
export async function signIn(request: APIRequestContext, baseURL: string, username: string, password = DEMO_PASSWORD) {
	const response = await request.post('/login', {
		form: { username, password },
		headers: { origin: baseURL, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(response.status(), `login as ${username}`).toBe(303);
}

/** Contexts opened by `pageAs` during the running test: closed when it ends (the `closeContexts` fixture). */
const openContexts = new Set<BrowserContext>();

/** A page in a context of its own, signed in as `username` (or anonymous when null); closed after the test. */
export async function pageAs(browser: Browser, baseURL: string, username: string | null, options: BrowserContextOptions = {}) {
	const context = await browser.newContext({ baseURL, ...options });
	openContexts.add(context);
	const page = await context.newPage();
	if (username) await signIn(page.request, baseURL, username);
	return page;
}

type Options = {
	/** The demo account the page is signed in as; null for an anonymous visitor. */
	account: string | null;
};

type Fixtures = {
	/** The e2e server's database, opened read-only, to compare pages with what is stored. */
	stored: Database.Database;
	/** Fails the test with the list of axe violations on the current page, if any. */
	expectAccessible: () => Promise<void>;
	/** Saves a full-page screenshot under tests/artifacts/ for a person to look at. */
	snapshot: (name: string) => Promise<void>;
	/** Closes what `pageAs` opened, after every test (a worker otherwise keeps every page it ever opened). */
	closeContexts: void;
};

export const test = base.extend<Options & Fixtures>({
	closeContexts: [
		async ({}, use) => {
			await use();
			await Promise.all([...openContexts].map((c) => c.close().catch(() => {})));
			openContexts.clear();
		},
		{ auto: true }
	],
	account: ['leader', { option: true }],
	page: async ({ page, account, baseURL }, use) => {
		if (account) await signIn(page.request, baseURL!, account);
		await use(page);
	},
	stored: async ({}, use) => {
		const db = new Database('test-results/e2e.db', { readonly: true, fileMustExist: true });
		await use(db);
		db.close();
	},
	expectAccessible: async ({ page }, use) => {
		await use(async () => {
			const results = await new AxeBuilder({ page }).analyze();
			const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
			expect(summary).toEqual([]);
		});
	},
	snapshot: async ({ page }, use) => {
		mkdirSync('tests/artifacts', { recursive: true });
		await use(async (name) => {
			await page.screenshot({ path: `tests/artifacts/${name}.png`, fullPage: true });
		});
	}
});

export { expect };

/** Horizontal scrolling of the whole page: a phone-width layout must have none. */
export async function horizontalOverflow(page: Page): Promise<number> {
	return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
