/**
 * Two people on the same record: the second save is refused and shows what the first saved, the
 * second person's text stays in the form, and saving again changes nothing until they say they have
 * seen the other changes. Nobody's text is overwritten without them knowing.
 */
import { expect, pageAs, test } from './fixtures';
import { month } from './page-list';

test.use({ account: null });

// Items and accounts of this test's own: auth.test.ts disables staff-wgl for a moment, for example.
for (const [javaScript, code, account] of [
	[true, 'CUL-03', 'staff-zrgh'],
	[false, 'LIV-04', 'staff-wjw']
] as const) {
	test(`a save over a newer version is refused until the person has seen it (JavaScript ${javaScript ? 'on' : 'off'})`, async ({
		browser,
		baseURL
	}) => {
		const path = `/initiatives/${code}/report/${month()}`;
		const tabA = await pageAs(browser, baseURL!, account, { javaScriptEnabled: javaScript });
		const tabB = await pageAs(browser, baseURL!, account, { javaScriptEnabled: javaScript });
		await tabA.goto(path);
		await tabB.goto(path);
		const textA = `甲填写的进展-${Date.now()}`;
		const textB = `乙填写的进展-${Date.now()}`;
		await tabA.getByLabel('进展情况').fill(textA);
		await tabA.getByRole('button', { name: '保存草稿' }).click();
		await expect(tabA.getByRole('status')).toBeVisible();

		await tabB.getByLabel('进展情况').fill(textB);
		await tabB.getByRole('button', { name: '保存草稿' }).click();
		await expect(tabB.getByRole('alert')).toContainText(textA); // what A saved, in full
		await expect(tabB.getByLabel('进展情况')).toHaveValue(textB); // B's own text kept

		// Saving again without saying so is refused again: A's text stays.
		await tabB.getByRole('button', { name: '保存草稿' }).click();
		await expect(tabB.getByRole('alert')).toContainText(textA);
		await tabA.goto(path);
		await expect(tabA.getByLabel('进展情况')).toHaveValue(textA);

		// Once B says they have seen it, B's text is saved.
		await tabB.getByLabel('我已看到以上更改').check();
		await tabB.getByRole('button', { name: '保存草稿' }).click();
		await expect(tabB.getByRole('status')).toBeVisible();
		await tabA.goto(path);
		await expect(tabA.getByLabel('进展情况')).toHaveValue(textB);
	});
}
