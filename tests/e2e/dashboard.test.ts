import type { Page } from '@playwright/test';
import { expect, horizontalOverflow, pageAs, test } from './fixtures';

/** The rows of a figure's data table, as text cells. */
async function tableOf(page: Page, caption: string) {
	const figure = page.getByRole('figure').filter({ hasText: caption });
	return figure.locator('table tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent?.trim() ?? '')));
}

async function paintedPixels(page: Page, caption: string) {
	return page
		.getByRole('figure')
		.filter({ hasText: caption })
		.locator('canvas')
		.evaluate((canvas: HTMLCanvasElement) => {
			const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
			let count = 0;
			for (let i = 3; i < data.length; i += 4) if (data[i] > 0) count++;
			return count;
		});
}

test('the dashboard shows the figures, drawn charts and every item, in Chinese', async ({ page, stored, expectAccessible, snapshot }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1, name: '重点任务总览' })).toBeVisible();
	await expect(page.getByRole('complementary', { name: '演示数据' })).toContainText('虚构数据');

	const total = stored.prepare('SELECT count(*) FROM initiative').pluck().get() as number;
	await expect(page.locator('.figure.total dd')).toHaveText(String(total));
	await expect(page.getByRole('table', { name: '任务列表' }).locator('tbody tr')).toHaveCount(total);

	// Charts are drawn after hydration loads chart.js; wait for the drawing rather than race it.
	for (const caption of ['各亮灯状态任务数', '各类别实际进度与序时进度', '时间节点累计', '单位赛马']) {
		await expect.poll(() => paintedPixels(page, caption), { message: caption }).toBeGreaterThan(1000);
	}
	const themes = stored.prepare('SELECT name FROM theme ORDER BY position').pluck().all() as string[];
	expect((await tableOf(page, '各类别实际进度与序时进度')).map((r) => r[0])).toEqual(themes);
	const lights = (await tableOf(page, '各亮灯状态任务数'))[0].map(Number);
	expect(lights.reduce((a, b) => a + b, 0)).toBe(total);

	await expectAccessible();
	await snapshot('dashboard-1280');
});

test('filters in the URL change every figure, chart and table, and a link reproduces the view', async ({ page }) => {
	await page.goto('/');
	await page.getByLabel('亮灯').selectOption({ label: '红灯' });
	await page.getByRole('button', { name: '筛选' }).click();
	await expect(page).toHaveURL(/light=red/);
	const redCount = Number(await page.locator('.figure.total dd').innerText());
	expect(redCount).toBeGreaterThan(0);
	const lights = (await tableOf(page, '各亮灯状态任务数'))[0].map(Number);
	expect(lights).toEqual([0, 0, redCount]);
	await expect(page.getByRole('table', { name: '任务列表' }).locator('tbody tr')).toHaveCount(redCount);
	for (const badge of await page.getByRole('table', { name: '任务列表' }).locator('.light-red').all())
		await expect(badge).toContainText('红灯');

	// The same link, opened fresh, gives the same view.
	const url = page.url();
	await page.goto('/');
	await page.goto(url);
	await expect(page.locator('.figure.total dd')).toHaveText(String(redCount));

	// A theme and a unit narrow it further; nothing matching says so in words.
	await page.goto('/?theme=YRD&pace=done');
	await expect(page.getByText('没有符合筛选条件的任务').first()).toBeVisible();
	await page.goto('/?unit=abc&light=purple');
	await expect(page.getByRole('alert').first()).toContainText('无效');
});

test('one rule for the moment a view shows: a bad, future or too early date is refused everywhere, today is the live view', async ({
	page
}) => {
	for (const path of ['/', '/units/1', '/themes/ECO', '/initiatives/YRD-02']) {
		for (const asOf of ['2026-02-30', 'yesterday', '2999-01-01', '1970-01-01', '2021-06-30']) {
			const response = await page.goto(`${path}?asOf=${asOf}`);
			expect(response!.status(), `${path}?asOf=${asOf}`).toBe(400);
		}
	}
	await expect(page.getByText('记录从 2021年7月1日 开始，不能查看更早日期的状态。').first()).toBeVisible();
	expect((await page.goto('/?asOf=2021-07-01'))!.status()).toBe(200);
	// Today is now: the item page keeps its actions (as of a past day it has none).
	const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
	await page.goto(`/initiatives/YRD-02?asOf=${today}`);
	await expect(page.locator('input[name="asOf"]')).toHaveValue('');
});

for (const javaScript of [true, false]) {
	test(`the filter form always shows what the URL says: after 清除, after Back (JavaScript ${javaScript ? 'on' : 'off'})`, async ({
		browser,
		baseURL
	}) => {
		const page = await pageAs(browser, baseURL!, 'leader', { javaScriptEnabled: javaScript });
		await page.goto('/');
		await page.locator('select[name=theme]').selectOption('YRD');
		await page.getByLabel('亮灯').selectOption('red');
		await page.getByRole('button', { name: '筛选' }).click();
		await expect(page).toHaveURL(/theme=YRD.*light=red|light=red.*theme=YRD/);
		await page.getByRole('link', { name: '清除' }).click();
		await expect(page).toHaveURL(/\/\?$|\/$/);
		await expect(page.getByLabel('亮灯')).toHaveValue('');
		await expect(page.locator('select[name=theme]')).toHaveValue('');
		await page.goBack();
		await expect(page).toHaveURL(/light=red/);
		await expect(page.getByLabel('亮灯')).toHaveValue('red');
		await expect(page.locator('select[name=theme]')).toHaveValue('YRD');
		// The next 筛选 sends exactly what is shown, nothing left over.
		await page.goto('/?asOf=2024-06-30');
		await page.getByRole('link', { name: '清除' }).click();
		await expect(page).not.toHaveURL(/asOf=/);
		await expect(page.locator('input[name="asOf"]')).toHaveValue('');
		await page.getByRole('button', { name: '筛选' }).click();
		await expect(page).toHaveURL(/\?/);
		await expect(page).not.toHaveURL(/asOf=2/);
	});
}

test('an as-of date shows the city as it stood then', async ({ page }) => {
	await page.goto('/?asOf=2022-06-30');
	await expect(page.getByRole('status')).toContainText('2022年6月30日');
	const burnUp = await tableOf(page, '时间节点累计');
	expect(burnUp.length).toBeGreaterThan(0);
	const done = Number(await page.locator('.figure.done dd').innerText());
	// Its links stay in the past: an item, its theme and lead unit, the units ranked.
	const items = page.getByRole('table', { name: '任务列表' });
	for (const link of [
		items.locator('th a').first(),
		items.locator('td a[href^="/themes/"]').first(),
		items.locator('td a[href^="/units/"]').first()
	])
		await expect(link).toHaveAttribute('href', /\?asOf=2022-06-30$/);
	for (const href of await page.locator('a[href^="/units/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href'))))
		expect(href).toMatch(/\?asOf=2022-06-30$/);
	await items.locator('td a[href^="/units/"]').first().click();
	await expect(page.getByRole('status')).toContainText('2022年6月30日');
	await page.goto('/');
	expect(Number(await page.locator('.figure.done dd').innerText())).toBeGreaterThanOrEqual(done);
});

test('units and themes have their own views', async ({ page, stored, expectAccessible }) => {
	const unit = stored.prepare(`SELECT id, name FROM unit WHERE code = 'fgw'`).get() as { id: number; name: string };
	await page.goto(`/units/${unit.id}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(unit.name);
	await expect(page.getByText(/按时报送率/)).toBeVisible();
	await expectAccessible();
	await page.goto('/themes/ECO');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('生态之城');
	const rows = await page.getByRole('table', { name: '任务列表' }).locator('tbody tr').count();
	expect(rows).toBe(
		stored.prepare(`SELECT count(*) FROM initiative i JOIN theme t ON t.id = i.theme_id WHERE t.code = 'ECO'`).pluck().get()
	);
	expect((await page.goto('/units/99999'))!.status()).toBe(404);
	expect((await page.goto('/themes/NOPE'))!.status()).toBe(404);
});

test('the dashboard works at phone width and on a wall screen', async ({ page, snapshot }) => {
	await page.setViewportSize({ width: 375, height: 800 });
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
	await snapshot('dashboard-375');
	// The header's menu folds under 菜单 on a phone, and folds again on the next page.
	const menu = page.getByRole('navigation', { name: '主导航' });
	await expect(menu).toBeHidden();
	await page.getByText('菜单', { exact: true }).click();
	await expect(menu).toBeVisible();
	await menu.getByRole('link', { name: '待办' }).click();
	await expect(page).toHaveURL(/\/todo$/);
	await expect(menu).toBeHidden();
	// Also on the 月报, served without scripts.
	await page.goto('/reports');
	await page
		.getByRole('link', { name: /^\d{4}年\d{1,2}月$/ })
		.first()
		.click();
	await page.getByText('菜单', { exact: true }).click();
	await expect(menu).toBeVisible();
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto('/');
	expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
	await snapshot('dashboard-1920');
});
