import { readFileSync } from 'node:fs';
import { expect, pageAs, test } from './fixtures';

/**
 * Pages kept per user while the data stays the same (src/lib/server/page-cache.ts): a page and its
 * data (the __data.json of a client-side navigation) are never served for one another, and a write
 * shows at the next request.
 */
test('a page seen before is served again only as it is, and only until something changes', async ({ page, baseURL }) => {
	const item = '/initiatives/OPN-05'; // an item no other test reads
	const html = async () => {
		const response = await page.request.get(item, { headers: { accept: 'text/html' } });
		expect(response.status()).toBe(200);
		// Kept or rendered, the page says its charset and is as long as it says.
		expect(response.headers()['content-type']).toBe('text/html; charset=utf-8');
		const body = await response.body();
		if (response.headers()['content-length']) expect(Number(response.headers()['content-length'])).toBe(body.byteLength);
		return body.toString('utf8');
	};
	const first = await html();
	const data = await page.request.get(`${item}/__data.json`);
	expect(data.headers()['content-type']).toContain('application/json');
	expect(await html()).toBe(first); // kept, and the page (not its data)

	const words = `请加快推进,缓存测试 ${Date.now()}`;
	const instruct = await page.request.post(`${item}?/instruct`, {
		form: { body: words },
		headers: { origin: baseURL!, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(instruct.status()).toBe(303);
	expect(await html()).toContain(words);

	await page.goto(item);
	await page.getByRole('link', { name: '总览', exact: true }).first().click();
	await expect(page.getByRole('heading', { level: 1, name: '重点任务总览' })).toBeVisible();
	await page.goto(item);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(page.getByText(words)).toBeVisible();
});

test('a view of a closed month stays the same across writes; a change of the header shows at once', async ({ browser, baseURL }) => {
	// A leader made for this test, so that no other test's pages or renames meet it.
	const admin = await pageAs(browser, baseURL!, 'admin');
	await admin.goto('/admin/users');
	await admin.getByLabel('用户名（工号）').fill('kept.leader');
	await admin.getByLabel('姓名').fill('缓存领导');
	await admin.getByLabel('角色').selectOption({ label: '领导' });
	await admin.getByLabel('初始密码').fill('Initial-Pass-2026');
	await admin.getByRole('button', { name: '创建用户' }).click();
	await expect(admin.getByRole('status')).toContainText('kept.leader');

	const leader = await pageAs(browser, baseURL!, null);
	await leader.goto('/login');
	await leader.getByLabel('用户名').fill('kept.leader');
	await leader.getByLabel('密码').fill('Initial-Pass-2026');
	await leader.getByRole('button', { name: '登录' }).click();
	await leader.getByLabel('当前密码').fill('Initial-Pass-2026');
	await leader.getByLabel('新密码', { exact: true }).fill('Chosen-Pass-2026');
	await leader.getByLabel('确认新密码').fill('Chosen-Pass-2026');
	await leader.getByRole('button', { name: '保存新密码' }).click();
	await expect(leader.getByRole('status')).toContainText('密码已修改');

	const today = new Date(Date.now() + 8 * 3600_000);
	const monthEnd = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 0)).toISOString().slice(0, 10);
	const views = [`/?asOf=${monthEnd}`, `/reports/${monthEnd.slice(0, 7)}`];
	const read = async (path: string) => {
		const response = await leader.request.get(path, { headers: { accept: 'text/html' } });
		expect(response.status(), path).toBe(200);
		return response.text();
	};
	const before = await Promise.all(views.map(read));

	// Someone writes: the closed month's pages read the same.
	const another = await pageAs(browser, baseURL!, 'leader');
	const instruct = await another.request.post('/initiatives/OPN-05?/instruct', {
		form: { body: `请加快推进（缓存测试 ${Date.now()}）` },
		headers: { origin: baseURL!, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(instruct.status()).toBe(303);
	expect(await Promise.all(views.map(read))).toEqual(before);

	// The header is part of every page: a rename shows at the next request, on the kept views too.
	await admin.goto('/admin/users');
	await admin.getByRole('link', { name: 'kept.leader' }).click();
	await expect(admin.getByRole('heading', { level: 1 })).toContainText('kept.leader');
	await admin.getByLabel('姓名').fill('缓存领导（改）');
	await admin.getByRole('button', { name: '保存' }).first().click();
	await expect(admin.getByRole('heading', { level: 1 })).toContainText('缓存领导（改）');
	for (const page of await Promise.all(views.map(read))) expect(page).toContain('缓存领导（改）');
});

test('a decision on proposals, a write without a history, shows at the next look at the same page', async ({ browser, baseURL }) => {
	const office = await pageAs(browser, baseURL!, 'supervisor');
	const title = `缓存测试纪要 ${Date.now()}`;
	await office.goto('/sources/new');
	await office.selectOption('select[name=kind]', 'minutes');
	await office.fill('input[name=title]', title);
	await office.fill('input[name=speaker]', '市政府办公室');
	await office.fill('input[name=deliveredOn]', '2026-11-20');
	await office.fill('textarea[name=body]', readFileSync('drizzle/demo/minutes-2026-11-20.txt', 'utf8'));
	await office.getByRole('button', { name: '保存并分析' }).click();
	await expect(office).toHaveURL(/\/sources\/\d+\/review\?done=added/);
	const review = new URL(office.url()).pathname;
	const cards = office.locator('.card');
	const waiting = async () => Number(/待审核 (\d+) 条/.exec((await office.request.get(review).then((r) => r.text())) ?? '')?.[1]);

	// The same address twice, a decision in between: the second look is not the page kept from the first.
	await office.goto(review);
	const before = await cards.count();
	expect(await waiting()).toBe(before);
	await cards.first().getByRole('button', { name: '驳回' }).click();
	await expect(cards).toHaveCount(before - 1);
	await office.goto(review);
	await cards.first().getByRole('button', { name: '与下一条合并' }).click();
	await expect(cards).toHaveCount(before - 2);
	expect(await waiting()).toBe(before - 2);
	await office.goto('/sources');
	await expect(office.getByRole('row', { name: new RegExp(title) })).toContainText(String(before - 2));
});
