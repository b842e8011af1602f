import { expect, horizontalOverflow, pageAs, test } from './fixtures';

/** Every page a person opens, by the role that opens it: screenshots at 1280 and 375 px, axe, no sideways scrolling. */
const month = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
const pages: [string, string, () => string][] = [
	['leader', 'dashboard', () => '/'],
	['leader', 'item', () => '/initiatives/YRD-02'],
	['leader', 'source', () => '/sources/1'],
	['leader', 'theme', () => '/themes/ECO'],
	['leader', 'reports', () => '/reports'],
	['leader', 'monthly-summary', () => `/reports/${month()}`],
	['staff', 'todo-staff', () => '/todo'],
	['staff', 'report-form', () => `/initiatives/YRD-01/report/${month()}`],
	['staff', 'import', () => `/reports/${month()}/import`],
	['supervisor', 'reviews', () => '/reviews'],
	['supervisor', 'edit-item', () => '/initiatives/YRD-01/edit'],
	['admin', 'users', () => '/admin/users'],
	['admin', 'audit', () => '/admin/audit'],
	['admin', 'settings', () => '/admin/settings'],
	['leader', 'password', () => '/account/password']
];

test.use({ account: null });

for (const [account, name, path] of pages) {
	test(`${name} (${account}) reads at 1280 and 375 px`, async ({ browser, baseURL }) => {
		const page = await pageAs(browser, baseURL!, account);
		const { default: AxeBuilder } = await import('@axe-core/playwright');
		for (const width of [1280, 375]) {
			await page.setViewportSize({ width, height: 900 });
			const response = await page.goto(path());
			expect(response!.status()).toBe(200);
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
			expect(await horizontalOverflow(page), `${name} at ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
			await page.screenshot({ path: `tests/artifacts/${name}-${width}.png`, fullPage: true });
		}
		const results = await new AxeBuilder({ page }).analyze();
		expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
	});
}

test('the login page reads at 375 px', async ({ page }) => {
	await page.setViewportSize({ width: 375, height: 800 });
	await page.goto('/login');
	expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
	await page.screenshot({ path: 'tests/artifacts/login-375.png', fullPage: true });
});
