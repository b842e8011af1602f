/**
 * 督办单 in the browser: the office issues the slip the rules call for from the item page, the unit
 * addressed finds it in its to-do and answers it (JavaScript off too), another unit cannot read it
 * (nor learn that it exists),
 * and the register lists it with its state and exports it.
 */
import JSZip from 'jszip';
import { expect, pageAs, test } from './fixtures';

test.use({ account: null });

test('the office issues a slip from the item, the unit answers it from its to-do, the register shows it answered', async ({
	browser,
	baseURL,
	stored
}) => {
	const office = await pageAs(browser, baseURL!, 'supervisor');
	// PTY-06 is led by 市委组织部 (staff-zzb) and is overdue in the demo: the rules call for a red 督办单.
	await office.goto('/initiatives/PTY-06');
	const panel = office.locator('#slips');
	await expect(panel).toContainText('按今日规则应签发');
	await expect(panel.locator('.slip-badge')).toHaveText('督办单');
	await expect(panel).toContainText('已逾期');
	const before = stored.prepare("SELECT count(*) FROM supervision_slip WHERE colour = 'red'").pluck().get() as number;
	await panel.getByLabel('督办要求').fill('请于反馈时限前报送整改方案。');
	await panel.getByRole('button', { name: '签发', exact: true }).click();
	await expect(office).toHaveURL(/\/slips\/\d+\?done=issued/);
	const number = `苏督办〔${new Date(Date.now() + 8 * 3600_000).getUTCFullYear()}〕${before + 1}号`;
	await expect(office.getByRole('heading', { level: 1 })).toContainText(number);
	await expect(office.getByText('请于反馈时限前报送整改方案。')).toBeVisible();
	const slipUrl = new URL(office.url()).pathname;
	// The same item is not pressed twice while its slip waits for an answer.
	await office.goto('/initiatives/PTY-06');
	await office.locator('#slips').getByRole('button', { name: '签发', exact: true }).click();
	await expect(office.locator('#slips [role="alert"], #slips .form-error').first()).toContainText(number);

	// Another unit's staff cannot read it, nor learn that it exists: the answer is a missing slip's,
	// and the refusal is in the security log with its reason.
	// (staff-mzj, whom no other test uses: the authorization tests have staff and staff-gxj refused hundreds of times,
	// past what the security log takes of one account in ten minutes.)
	const other = await pageAs(browser, baseURL!, 'staff-mzj');
	const refused = await other.goto(slipUrl);
	expect(refused!.status()).toBe(404);
	await expect(other.getByText('该督办单不存在。')).toBeVisible();
	expect((await other.request.get(`${slipUrl}/docx`)).status()).toBe(404);
	expect((await other.goto('/slips/999999999'))!.status()).toBe(404);
	await expect(other.getByText('该督办单不存在。')).toBeVisible();
	const logged = stored
		.prepare(`SELECT detail FROM security_event WHERE kind = 'access_denied' AND username = 'staff-mzj' ORDER BY id DESC LIMIT 2`)
		.all()
		.map((row) => JSON.parse((row as { detail: string }).detail));
	expect(logged).toEqual([
		expect.objectContaining({ path: `${slipUrl}/docx`, status: 404, reason: 'slip' }),
		expect.objectContaining({ path: slipUrl, status: 404, reason: 'slip' })
	]);

	// The unit addressed answers it, without JavaScript.
	const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
	const unit = await context.newPage();
	await unit.goto('/login');
	await unit.getByLabel('用户名').fill('staff-zzb');
	await unit.getByLabel('密码').fill('suzhou-demo-2021');
	await unit.getByRole('button', { name: '登录' }).click();
	await unit.goto('/todo');
	await unit.locator(`a[href="${slipUrl}"]`).click();
	await expect(unit).toHaveURL(new RegExp(`${slipUrl}$`));
	await unit.getByLabel('反馈情况').fill('已制定整改方案，12月底前完成逾期节点。');
	await unit.getByRole('button', { name: '报送反馈' }).click();
	await expect(unit.getByRole('status')).toContainText('反馈已报送');
	await expect(unit.locator('.slip')).toContainText('已反馈');

	await office.goto('/slips?state=answered');
	await expect(office.getByRole('table', { name: '督办单登记簿' })).toContainText(number);
	const [download] = await Promise.all([office.waitForEvent('download'), office.getByRole('link', { name: /导出登记簿/ }).click()]);
	expect(download.suggestedFilename()).toMatch(/^督办单登记簿（\d{4}-\d{2}-\d{2}）\.xlsx$/);
	const [word] = await Promise.all([
		office.waitForEvent('download'),
		(async () => {
			await office.goto(slipUrl);
			await office.getByRole('link', { name: '下载 Word 文件' }).click();
		})()
	]);
	expect(word.suggestedFilename()).toBe(`${number}重点任务督办单（红色）.docx`);
	await context.close();
});

test('the office gives last month’s 通报 the number of its register and its signing date; the Word circular prints them', async ({
	browser,
	baseURL
}) => {
	const office = await pageAs(browser, baseURL!, 'supervisor');
	const now = new Date(Date.now() + 8 * 3600_000);
	const today = now.toISOString().slice(0, 10);
	const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
	const number = `苏督通〔${today.slice(0, 4)}〕7号`;
	await office.goto(`/reports/${last}`);
	await office.getByRole('link', { name: '本月通报（登记文号、下载Word）' }).click();
	await expect(office.getByText('尚未登记文号')).toBeVisible();
	// Typed with round brackets; a signing date inside the month is refused, what was typed kept.
	await office.getByLabel('文号').fill(`苏督通(${today.slice(0, 4)})7号`);
	await office.getByLabel('成文日期').fill(`${last}-01`);
	await office.getByRole('button', { name: '登记文号' }).click();
	await expect(office.locator('.error')).toContainText('成文日期应在');
	await expect(office.getByLabel('文号')).toHaveValue(`苏督通(${today.slice(0, 4)})7号`);
	// The refusal hides once the field is changed, which the page's scripts see: typed before they run
	// (SvelteKit starts them by a dynamic import that ends after the load event), it waits for the next send.
	await office.waitForLoadState('networkidle');
	await office.getByLabel('成文日期').fill(today);
	await expect(office.locator('.error')).toHaveCount(0);
	await office.getByRole('button', { name: '登记文号' }).click();
	await expect(office).toHaveURL(/\?done=saved$/);
	await expect(office.getByText(`文号：${number}`)).toBeVisible();
	const word = await office.request.get(`/reports/${last}/circular/docx`);
	expect(word.status()).toBe(200);
	const xml = await (await JSZip.loadAsync(await word.body())).file('word/document.xml')!.async('string');
	expect(xml).toContain(number);
	// The circular is the office's Chinese document whatever language the interface is read in.
	await office.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: baseURL! }]);
	const inEnglish = await office.request.get(`/reports/${last}/circular/docx`);
	expect(await (await JSZip.loadAsync(await inEnglish.body())).file('word/document.xml')!.async('string')).toBe(xml);
	// A unit's staff may neither open the page nor download the circular.
	const unit = await pageAs(browser, baseURL!, 'staff');
	expect((await unit.goto(`/reports/${last}/circular`))!.status()).toBe(403);
	expect((await unit.request.get(`/reports/${last}/circular/docx`)).status()).toBe(403);
});
