import { expect, test } from './fixtures';

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
		expect(response.headers()['content-type']).toContain('text/html');
		return response.text();
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
