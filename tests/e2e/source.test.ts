import { expect, test } from './fixtures';

test('the source view highlights exactly the quotes in the database', async ({ page, stored, expectAccessible, snapshot }) => {
	const source = stored.prepare('SELECT id, body FROM source ORDER BY id LIMIT 1').get() as { id: number; body: string };
	const quotes = stored
		.prepare('SELECT code, quote_start AS start, quote_end AS end FROM initiative WHERE source_id = ? ORDER BY quote_start')
		.all(source.id) as { code: string; start: number; end: number }[];

	await page.goto(`/sources/${source.id}`);
	const marks = page.locator('article mark');
	await expect(marks).toHaveText(quotes.map((q) => source.body.slice(q.start, q.end)));
	const links = await page.locator('article a.quote').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
	expect(links).toEqual(quotes.map((q) => `/initiatives/${q.code}`));

	// The untracked sentences are there, unmarked: the whole text reads back in full.
	const text = await page.locator('article').evaluate((el) => {
		const copy = el.cloneNode(true) as HTMLElement;
		copy.querySelectorAll('sup').forEach((sup) => sup.remove());
		return [...copy.querySelectorAll('p')].map((p) => p.textContent).join('\n');
	});
	expect(text.replace(/\s+/g, '')).toBe(source.body.replace(/\s+/g, ''));

	await expectAccessible();
	await snapshot('source-1280');
});

test('an unknown source gives a 404 page in Chinese', async ({ page }) => {
	for (const id of ['999', 'abc', '1.5']) {
		const response = await page.goto(`/sources/${id}`);
		expect(response?.status()).toBe(404);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('页面不存在（404）');
	}
});

test.describe('the office', () => {
	test.use({ account: 'supervisor' });

	test('an unknown source to review, or a decision on one, gives a 404 in Chinese', async ({ page, baseURL }) => {
		for (const id of ['999', 'abc']) {
			const response = await page.goto(`/sources/${id}/review`);
			expect(response?.status()).toBe(404);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('页面不存在（404）');
			const decision = await page.request.post(`/sources/${id}/review?/reject`, {
				form: { proposal: '1' },
				headers: { origin: baseURL!, accept: 'application/json' }
			});
			// A form sent by the page's script is answered with the outcome as JSON: an address naming no
			// source as an error of the request, a proposal not found there as the command's failure.
			const answer = await decision.json();
			expect(answer.type === 'error' ? decision.status() : answer.status, JSON.stringify(answer)).toBe(404);
			expect(JSON.stringify(answer)).toMatch(/没有编号为“abc”的任务来源|该拟立项事项不存在/);
		}
	});
});
