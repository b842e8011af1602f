import { expect, horizontalOverflow, test } from './fixtures';

test('the dashboard shows the figures, a drawn chart and every item, in Chinese', async ({ page, stored, expectAccessible, snapshot }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1, name: '重点任务总览' })).toBeVisible();
	await expect(page.getByRole('complementary', { name: '演示数据' })).toContainText('虚构数据');

	const total = stored.prepare('SELECT count(*) FROM initiative').pluck().get() as number;
	await expect(page.locator('.figure.total dd')).toHaveText(String(total));
	const rows = page.getByRole('table').filter({ hasText: '重点任务' }).last().locator('tbody tr');
	await expect(rows).toHaveCount(total);

	const figure = page.getByRole('figure').filter({ hasText: '各类别实际进度与序时进度' });
	await expect(figure).toBeVisible();
	const painted = await figure.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
		const ctx = canvas.getContext('2d')!;
		const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
		let count = 0;
		for (let i = 3; i < data.length; i += 4) if (data[i] > 0) count++;
		return count;
	});
	expect(painted).toBeGreaterThan(1000);
	// The chart's data table agrees with the themes in the database.
	const themes = stored.prepare('SELECT name FROM theme ORDER BY position').pluck().all() as string[];
	await expect(figure.locator('tbody th')).toHaveText(themes);

	await expectAccessible();
	await snapshot('dashboard-1280');
});

test('the dashboard works at phone width', async ({ page, snapshot }) => {
	await page.setViewportSize({ width: 375, height: 800 });
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
	await snapshot('dashboard-375');
});
