/**
 * Two people on the same record: the second save is refused and shows what the first saved, the
 * second person's text stays in the form, and saving again changes nothing until they say they have
 * seen the other changes. Nobody's text is overwritten without them knowing.
 */
import type { Page } from '@playwright/test';
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
		await refusedUntilSeen(tabA, tabB, path, textA, textB);
	});
}

test('a report begun in another tab after this one opened is shown, not saved over (JavaScript off)', async ({
	browser,
	baseURL,
	stored
}) => {
	// An item without a report this month that no other test writes (those write LIV-03, OPN-04, PTY-05, PTY-06).
	const found = stored
		.prepare(
			`SELECT i.code, u.username FROM initiative i JOIN user u ON u.unit_id = i.lead_unit_id AND u.role = 'staff'
			 WHERE i.status = 'active' AND i.code NOT IN ('LIV-03', 'OPN-04', 'PTY-05', 'PTY-06')
			   AND NOT EXISTS (SELECT 1 FROM progress_report r WHERE r.initiative_id = i.id AND r.month = ?)
			 ORDER BY i.code LIMIT 1`
		)
		.get(month()) as { code: string; username: string } | undefined;
	expect(found, 'an item without a report this month (the demo leaves some unreported)').toBeTruthy();
	const path = `/initiatives/${found!.code}/report/${month()}`;
	const tabA = await pageAs(browser, baseURL!, found!.username, { javaScriptEnabled: false });
	const tabB = await pageAs(browser, baseURL!, found!.username, { javaScriptEnabled: false });
	await tabA.goto(path);
	await tabB.goto(path);
	const textA = `甲先开始的进展-${Date.now()}`;
	await tabA.getByLabel('进展情况').fill(textA);
	await tabA.getByRole('button', { name: '保存草稿' }).click();
	await expect(tabA.getByRole('status')).toBeVisible();
	await refusedUntilSeen(tabA, tabB, path, textA, `乙后保存的进展-${Date.now()}`);
});

/**
 * Tab B, opened before tab A saved `textA`, saves `textB`: refused with A's text in full and B's kept,
 * refused again on the next click (A's text stays), saved once B says it has seen A's.
 */
async function refusedUntilSeen(tabA: Page, tabB: Page, path: string, textA: string, textB: string) {
	await tabB.getByLabel('进展情况').fill(textB);
	for (let click = 0; click < 2; click++) {
		await tabB.getByRole('button', { name: '保存草稿' }).click();
		await expect(tabB.getByRole('alert')).toContainText(textA);
		await expect(tabB.getByLabel('进展情况')).toHaveValue(textB);
	}
	await tabA.goto(path);
	await expect(tabA.getByLabel('进展情况')).toHaveValue(textA);
	await tabB.getByLabel('我已看到以上更改').check();
	await tabB.getByRole('button', { name: '保存草稿' }).click();
	await expect(tabB.getByRole('status')).toBeVisible();
	await tabA.goto(path);
	await expect(tabA.getByLabel('进展情况')).toHaveValue(textB);
}
