/**
 * Who reports: the lead unit writes and submits the month's report; a co-unit writes its 协办意见,
 * which the lead unit reads on its report form. LIV-03 is led by 市教育局 (staff-jyj); the demo
 * staff's unit (市发展改革委) is one of its co-units. Nothing here submits LIV-03's report, which the
 * security test drafts.
 */
import { expect, pageAs, test } from './fixtures';
import { month } from './page-list';

test.use({ account: null });

for (const javaScript of [true, false]) {
	test(`a co-unit writes its contribution and the lead unit reads it while writing (JavaScript ${javaScript ? 'on' : 'off'})`, async ({
		browser,
		baseURL
	}) => {
		const opinion = `市发展改革委协办意见：完成项目立项审批。\n需协调事项：无。${Date.now()}`;
		const co = await pageAs(browser, baseURL!, 'staff', { javaScriptEnabled: javaScript });
		// The co-unit is sent from the report form to its contribution, and from the item page too.
		await co.goto(`/initiatives/LIV-03/report/${month()}`);
		await expect(co).toHaveURL(new RegExp(`/initiatives/LIV-03/contribution/${month()}$`));
		await co.goto('/initiatives/LIV-03');
		await co.getByRole('link', { name: /本月协办意见/ }).click();
		await expect(co.getByRole('heading', { level: 1 })).toContainText('协办意见');
		await co.getByLabel('协办意见').fill(opinion);
		await co.getByRole('button', { name: '保存协办意见' }).click();
		await expect(co.getByRole('status')).toContainText('协办意见已保存');
		await expect(co.getByLabel('协办意见')).toHaveValue(opinion);

		const lead = await pageAs(browser, baseURL!, 'staff-jyj', { javaScriptEnabled: javaScript });
		await lead.goto(`/initiatives/LIV-03/report/${month()}`);
		const contributions = lead.getByRole('group', { name: '配合单位协办意见' });
		await expect(contributions).toContainText('市发展改革委');
		await expect(contributions).toContainText('完成项目立项审批。');
		// Line breaks are kept where the text is shown.
		const shown = await contributions.locator('.text', { hasText: String(opinion.slice(-13)) }).innerText();
		expect(shown).toContain('\n');

		// Before the report is sent, the office does not read it.
		const office = await pageAs(browser, baseURL!, 'supervisor', { javaScriptEnabled: javaScript });
		await office.goto('/initiatives/LIV-03');
		await expect(office.locator('body')).not.toContainText(opinion.slice(-13));
	});
}

test("a co-unit's report is refused, and the lead unit's draft is left as it was", async ({ browser, baseURL }) => {
	const co = await pageAs(browser, baseURL!, 'staff');
	const response = await co.request.post(`/initiatives/LIV-03/report/${month()}`, {
		form: { intent: 'submit', progress: '配合单位越权填报', problems: '无', nextSteps: '无', version: '1' },
		headers: { origin: baseURL!, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(response.status()).toBe(403);
	expect(await response.text()).toContain('牵头单位');
	const lead = await pageAs(browser, baseURL!, 'staff-jyj');
	await lead.goto(`/initiatives/LIV-03/report/${month()}`);
	await expect(lead.getByLabel('进展情况')).not.toHaveValue('配合单位越权填报');
	await lead.goto('/todo');
	await expect(lead.getByRole('link', { name: /LIV-03/ }).first()).toHaveAttribute(
		'href',
		new RegExp(`/initiatives/LIV-03/report/${month()}`)
	);
	await co.goto('/todo');
	await expect(co.getByRole('region', { name: /待填协办意见/ })).toBeVisible();
});

test('a contribution of a co-unit taken off the item meanwhile still goes with the report, said to be one', async ({
	browser,
	baseURL
}) => {
	// INN-02: led by 市工信局 (staff-gxj), 市数据局 (staff-sjj) among its co-units; no other test writes to it.
	const opinion = `市数据局协办意见：数据共享接口已联调。${Date.now()}`;
	const co = await pageAs(browser, baseURL!, 'staff-sjj');
	await co.goto(`/initiatives/INN-02/contribution/${month()}`);
	await co.getByLabel('协办意见').fill(opinion);
	await co.getByRole('button', { name: '保存协办意见' }).click();
	await expect(co.getByRole('status')).toContainText('协办意见已保存');

	const office = await pageAs(browser, baseURL!, 'supervisor');
	await office.goto('/initiatives/INN-02/edit');
	await office.getByRole('checkbox', { name: '市数据局' }).uncheck();
	await office.getByRole('button', { name: '保存任务信息' }).click();
	await expect(office.getByText('任务信息已保存。')).toBeVisible();

	const lead = await pageAs(browser, baseURL!, 'staff-gxj');
	await lead.goto(`/initiatives/INN-02/report/${month()}`);
	const contributions = lead.getByRole('group', { name: '配合单位协办意见' });
	const former = contributions.locator('li', { hasText: opinion });
	await expect(former).toContainText('市数据局');
	await expect(former).toContainText('该单位已不再是本任务的配合单位');
	// The co-unit still on the item is expected, not said to be a former one.
	await expect(contributions.locator('li', { hasText: '市科技局' })).not.toContainText('不再是');
});
