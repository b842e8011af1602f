import { expect, test } from './fixtures';

test('every item has a page with its fields, its quote and its milestones', async ({ page, stored }) => {
	test.setTimeout(120_000); // forty pages, each with two charts
	const items = stored
		.prepare(
			`SELECT i.code, i.title, i.source_quote AS quote, u.name AS lead,
				(SELECT count(*) FROM milestone m WHERE m.initiative_id = i.id) AS milestones
			 FROM initiative i LEFT JOIN unit u ON u.id = i.lead_unit_id ORDER BY i.code`
		)
		.all() as { code: string; title: string; quote: string; lead: string | null; milestones: number }[];
	expect(items.length).toBeGreaterThan(30);
	for (const item of items) {
		const response = await page.goto(`/initiatives/${item.code}`);
		expect(response?.status(), item.code).toBe(200);
		await expect(page.getByRole('heading', { level: 1 })).toContainText(item.title);
		await expect(page.locator('blockquote')).toHaveText(item.quote);
		if (item.lead) await expect(page.locator('dd').filter({ hasText: item.lead }).first()).toBeVisible();
		const section = page.getByRole('region', { name: '时间节点' });
		await expect(section.locator('tbody tr')).toHaveCount(item.milestones);
	}
});

test('an item page is accessible and links its quote to the source', async ({ page, expectAccessible, snapshot }) => {
	await page.goto('/initiatives/YRD-02');
	await expectAccessible();
	await snapshot('initiative-1280');
	await page.getByRole('link', { name: /在原文中查看/ }).click();
	await expect(page).toHaveURL(/\/sources\/\d+#q-YRD-02$/);
	await expect(page.locator('#q-YRD-02')).toContainText('沪苏同城化');
});

test('an unknown code gives a 404 page in Chinese', async ({ page, expectAccessible }) => {
	const response = await page.goto('/initiatives/NO-SUCH');
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('页面不存在（404）');
	await expect(page.getByText('没有编号为“NO-SUCH”的重点任务。')).toBeVisible();
	await expectAccessible();
});

test('a report approved after its month ended says it is not in that month’s 月报, which reads as at the month’s end', async ({
	page,
	stored
}) => {
	// The demo has some: reviewed on the first days of the next month.
	const late = stored
		.prepare(
			`SELECT i.code, r.month FROM progress_report r JOIN initiative i ON i.id = r.initiative_id
			 WHERE r.status = 'approved' AND r.reviewed_at > strftime('%Y-%m-%dT%H:%M:%S', r.month || '-01', '+1 month', '-8 hours')
			 ORDER BY r.month DESC LIMIT 1`
		)
		.get() as { code: string; month: string };
	const lateOfItem = stored
		.prepare(
			`SELECT count(*) FROM progress_report r JOIN initiative i ON i.id = r.initiative_id
			 WHERE i.code = ? AND r.status = 'approved' AND r.reviewed_at > strftime('%Y-%m-%dT%H:%M:%S', r.month || '-01', '+1 month', '-8 hours')`
		)
		.pluck()
		.get(late.code) as number;
	await page.goto(`/initiatives/${late.code}?reports`);
	const [year, month] = late.month.split('-').map(Number);
	const note = page.getByText(`${year}年${month}月结束后才审核通过，未计入${year}年${month}月月报`);
	await expect(note).toHaveCount(1);
	// Only those: the item's reports approved within their month carry no such note.
	await expect(page.getByText('结束后才审核通过')).toHaveCount(lateOfItem);
});
