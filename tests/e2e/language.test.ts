/**
 * The English switch: every page in English leaves no Chinese interface text behind. What stays
 * Chinese is the data as entered (item titles, unit names, reports, the lecture) and what is
 * marked as Chinese on purpose (`lang="zh-CN"`: the switch back, the ledger's column names).
 */
import type { Page } from '@playwright/test';
import type Database from 'better-sqlite3';
import { expect, pageAs, test } from './fixtures';
import { pages } from './page-list';

const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+/g;

/** Every text stored in the database: what a page may show in Chinese whatever the language. */
function storedTexts(db: Database.Database): string {
	const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[];
	const texts: string[] = [];
	for (const { name } of tables) {
		for (const row of db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]) {
			for (const value of Object.values(row)) if (typeof value === 'string' && CJK.test(value)) texts.push(value);
		}
	}
	return texts.join('\n');
}

/**
 * The Chinese runs of the page's text, labels and title that are neither data nor marked Chinese. The
 * stored texts are read after the page: what it shows was stored by then, even what another test wrote
 * meanwhile (a user renamed while the page was asked for), and a text once stored stays in the history.
 */
async function chineseInterfaceText(page: Page, db: Database.Database): Promise<string[]> {
	const shown = await page.evaluate(() => {
		const out: string[] = [document.title];
		const inChinese = (el: Element | null) => el?.closest('[lang="zh-CN"]:not(html)') != null;
		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const parent = node.parentElement;
			if (!parent || ['SCRIPT', 'STYLE'].includes(parent.tagName) || inChinese(parent)) continue;
			out.push(node.textContent ?? '');
		}
		for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt], [data-label]')) {
			if (inChinese(el)) continue;
			for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'data-label']) out.push(el.getAttribute(name) ?? '');
		}
		return out;
	});
	const stored = storedTexts(db);
	return [...new Set(shown.flatMap((text) => text.match(CJK) ?? []))].filter((run) => !stored.includes(run));
}

async function switchTo(page: Page, language: 'English' | '中文') {
	await page.getByRole('button', { name: language, exact: true }).click();
	await page.waitForLoadState('load');
}

test.use({ account: null });

for (const [account, name, path] of pages) {
	test(`${name} (${account}) in English holds no Chinese interface text`, async ({ browser, baseURL, stored }) => {
		const page = await pageAs(browser, baseURL!, account);
		// The switch itself is tested below; here English is chosen by the cookie it sets.
		await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: baseURL! }]);
		const response = await page.goto(path());
		expect(response!.status(), name).toBe(200);
		expect(await page.locator('html').getAttribute('lang')).toBe('en');
		expect(await chineseInterfaceText(page, stored), `${name} (${path()})`).toEqual([]);
	});
}

test('English follows the person through sign-in, refusals, errors and dates, and 中文 switches back', async ({ page, stored }) => {
	await page.goto('/login');
	await switchTo(page, 'English');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
	await page.getByLabel('Username').fill('leader');
	await page.getByLabel('Password').fill('not the password');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toContainText('Wrong username or password');
	expect(await chineseInterfaceText(page, stored)).toEqual([]);

	await page.getByLabel('Password').fill('suzhou-demo-2021');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Key tasks at a glance');
	// Dates through date-fns' English locale: "Today: 27 Nov 2026".
	await expect(page.getByText(/^Today: \d{1,2} [A-Z][a-z]{2} \d{4}$/)).toBeVisible();
	// The filters' refusals come from the server in English.
	await page.goto('/?asOf=2021-02-30');
	await expect(page.getByText('The date “2021-02-30” is not valid')).toBeVisible();
	const missing = await page.goto('/initiatives/NOPE-01');
	expect(missing!.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found (404)');
	expect(await chineseInterfaceText(page, stored)).toEqual([]);
	// A form's refusal from the server, with its label inside the sentence.
	const refused = await page.request.post('/account/password', {
		form: { currentPassword: '', password: '', confirm: '' },
		headers: { origin: new URL(page.url()).origin, accept: 'text/html' }
	});
	expect(refused.status()).toBe(400);
	expect(await refused.text()).toContain('Please fill in current password');
	// An address that matches no page at all gets its message from handleError, in English too.
	expect((await page.goto('/no/such/page'))!.status()).toBe(404);
	await expect(page.getByText('The page you are looking for does not exist.')).toBeVisible();

	await page.goto('/');
	await switchTo(page, '中文');
	expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('重点任务总览');
});

test('an unknown language is refused with a message, and the language cookie is not kept across a wrong value', async ({
	page,
	baseURL
}) => {
	const response = await page.request.post('/language', {
		form: { locale: 'xx', back: '/' },
		headers: { origin: baseURL!, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(response.status()).toBe(400);
	expect(await response.text()).toContain('不支持该语言');
	expect(response.headers()['set-cookie'] ?? '').not.toContain('PARAGLIDE_LOCALE');
});
