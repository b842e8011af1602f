import { expect, horizontalOverflow, pageAs, test } from './fixtures';
import { pages } from './page-list';

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
