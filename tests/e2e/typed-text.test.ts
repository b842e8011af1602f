/** Nothing a person types is dropped: not by a field's limit, not by a refusal, not beside an unticked milestone. */
import { expect, pageAs, test } from './fixtures';
import { month } from './page-list';

test.use({ account: null });

for (const javaScript of [true, false]) {
	test(`a text over the limit is kept whole, counted and refused with the reason (JavaScript ${javaScript ? 'on' : 'off'})`, async ({
		browser,
		baseURL
	}) => {
		const page = await pageAs(browser, baseURL!, 'staff-ks', { javaScriptEnabled: javaScript });
		await page.goto(`/initiatives/OPN-04/report/${month()}`);
		const pasted = '长'.repeat(20_000);
		const progress = page.getByLabel('进展情况');
		await progress.fill(pasted);
		await expect(progress).toHaveValue(pasted); // no maxlength cuts the paste
		if (javaScript) await expect(page.getByText('超出 18000 字')).toBeVisible();
		await page.getByRole('button', { name: '保存草稿' }).click();
		await expect(page.getByText(/不能超过 2000/).first()).toBeVisible();
		await expect(page.getByLabel('进展情况')).toHaveValue(pasted);
	});
}

for (const javaScript of [true, false]) {
	test(`a paste past what one field can hold is refused with the reason, every other field kept (JavaScript ${javaScript ? 'on' : 'off'})`, async ({
		browser,
		baseURL
	}) => {
		const page = await pageAs(browser, baseURL!, 'staff-ks', { javaScriptEnabled: javaScript });
		await page.goto(`/initiatives/OPN-04/report/${month()}`);
		await page.getByLabel('存在问题').fill('问题栏里自己打的字');
		// 800,000 characters, 2.4 MB: past the 2 MB a field of a form may hold (set as a paste sets it).
		await page.getByLabel('进展情况').evaluate((area: HTMLTextAreaElement) => {
			area.value = '推'.repeat(800_000);
			area.dispatchEvent(new Event('input', { bubbles: true }));
		});
		await page.getByRole('button', { name: '保存草稿' }).click();
		await expect(page.getByText('有一栏内容过长').first()).toBeVisible();
		await expect(page.getByLabel('存在问题')).toHaveValue('问题栏里自己打的字');
		// What a refused form gives back of one text (KEPT_VALUE_LENGTH in forms.ts): the paste, shortened to it.
		expect((await page.getByLabel('进展情况').inputValue()).length).toBe(600_000);
	});
}

test('evidence typed beside a milestone not ticked as met is not dropped: the save says why', async ({ browser, baseURL }) => {
	const page = await pageAs(browser, baseURL!, 'staff-ks');
	await page.goto(`/initiatives/OPN-04/report/${month()}`);
	await page.getByLabel('进展情况').fill('本月推进顺利。');
	const evidence = page.getByLabel('佐证材料').first();
	await evidence.fill('验收报告扫描件');
	await page.getByRole('button', { name: '保存草稿' }).click();
	await expect(page.getByText(/未勾选该节点已完成/)).toBeVisible();
	await expect(page.getByLabel('佐证材料').first()).toHaveValue('验收报告扫描件');
	await expect(page.getByLabel('进展情况')).toHaveValue('本月推进顺利。');
});

test('text typed in a second tab is shown to copy when the first tab submitted the report meanwhile', async ({ browser, baseURL }) => {
	// PTY-05 (市委组织部, staff-zzb) has only a draft this month; no other test submits it.
	const first = await pageAs(browser, baseURL!, 'staff-zzb');
	const second = await pageAs(browser, baseURL!, 'staff-zzb');
	for (const page of [first, second]) await page.goto(`/initiatives/PTY-05/report/${month()}`);
	await first.getByLabel('进展情况').fill('第一个标签页提交的进展。');
	await first.getByLabel('存在问题').fill('无');
	await first.getByLabel('下步打算').fill('继续推进');
	await first.getByRole('button', { name: '提交审核' }).click();
	await expect(first).toHaveURL(/\/initiatives\/PTY-05\?done=reported/);

	const typed = '第二个标签页里写了很久的一段话。\n第二行。';
	await second.getByLabel('进展情况').fill(typed);
	await second.getByRole('button', { name: '保存草稿' }).click();
	await expect(second.getByText('您输入的内容未能保存')).toBeVisible();
	await expect(second.locator('#unsaved-progress')).toHaveValue(typed);
});

test('a text typed while the sign-in ran out is given back after signing in again, and nothing is saved meanwhile', async ({
	browser,
	baseURL,
	stored
}) => {
	// OPN-04 (staff-ks): the other tests here never save it.
	const path = `/initiatives/OPN-04/report/${month()}`;
	const page = await pageAs(browser, baseURL!, 'staff-ks');
	await page.goto(path);
	const typed = `写了很久的进展，第一段。\n第二段：会话在此期间失效。${Date.now()}`;
	await page.getByLabel('进展情况').fill(typed);
	// Typed into the page as its scripts run (the count follows the text): a long text is typed long
	// after the page loaded. (A form sent before its scripts ran is the case of the next test.)
	await expect(page.getByText(`${typed.length}/2000`)).toBeVisible();
	// A milestone's evidence, a line of text with an address in it, is kept as well.
	const evidence = '验收报告见 https://example.org/opn-04/验收';
	await page.getByLabel('佐证材料').first().fill(evidence);
	// The session ends (idle timeout, or signed out in another tab) before the save.
	await page.context().clearCookies();
	await page.getByRole('button', { name: '保存草稿' }).click();
	await expect(page).toHaveURL(/\/login\?unsaved/);
	await expect(page.getByRole('alert')).toContainText('刚才提交的内容没有保存');
	await page.getByLabel('用户名').fill('staff-ks');
	await page.getByLabel('密码').fill('suzhou-demo-2021');
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page).toHaveURL(new RegExp(`${path}\\?unsaved$`));
	await expect(page.getByLabel('进展情况')).toHaveValue(typed);
	await expect(page.getByLabel('佐证材料').first()).toHaveValue(evidence);
	await expect(page.getByText('已恢复您在本标签页中输入但尚未保存的文字')).toHaveCount(2);
	expect(stored.prepare(`SELECT count(*) FROM progress_report WHERE progress = ?`).pluck().get(typed)).toBe(0);
	// Sent again and refused for something else (evidence beside no ticked milestone, as above), then
	// opened afresh: the text is the form's, nothing is "given back" twice.
	await page.getByLabel('佐证材料').first().fill('现场照片');
	await page.getByRole('button', { name: '保存草稿' }).click();
	await expect(page.getByText(/未勾选该节点已完成/)).toBeVisible();
	await expect(page.getByLabel('进展情况')).toHaveValue(typed);
	await page.goto(path);
	await expect(page.getByLabel('进展情况')).toHaveValue('');
	await expect(page.getByText('已恢复您在本标签页中输入但尚未保存的文字')).toHaveCount(0);
});

test('with JavaScript off, a form sent after the sign-in ran out shows its texts on the login page to copy; nothing is saved', async ({
	browser,
	baseURL,
	stored
}) => {
	// OPN-04 (staff-ks): the other tests here never save it. The report form is multipart (evidence files).
	const path = `/initiatives/OPN-04/report/${month()}`;
	const page = await pageAs(browser, baseURL!, 'staff-ks', { javaScriptEnabled: false });
	await page.goto(path);
	const typed = `没有脚本时写的进展。\n第二行：会话在此期间失效。${Date.now()}`;
	await page.getByLabel('进展情况').fill(typed);
	await page.getByLabel('存在问题').fill('资金拨付滞后');
	const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
	await page.locator('input[type="file"]').first().setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: png });
	await page.context().clearCookies();
	await page.getByRole('button', { name: '保存草稿' }).click();
	await expect(page).toHaveURL(/\/login\?unsaved/);
	await expect(page.getByText('以下为您输入的文字，请先复制留存')).toBeVisible();
	await expect(page.getByLabel('进展情况')).toHaveValue(typed);
	await expect(page.getByLabel('存在问题')).toHaveValue('资金拨付滞后');
	// The page's own values (the report's version, what the button does) are not among them.
	await expect(page.locator('.unsaved textarea')).toHaveCount(2);
	// The file chosen was not uploaded: said, by its name.
	await expect(page.getByText('所选文件未上传，请重新登录后再次选择：现场照片.png。')).toBeVisible();
	expect(stored.prepare(`SELECT count(*) FROM progress_report WHERE progress = ?`).pluck().get(typed)).toBe(0);
	// Signed in from there, back to the form.
	await page.getByLabel('用户名').fill('staff-ks');
	await page.getByLabel('密码').fill('suzhou-demo-2021');
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page).toHaveURL(new RegExp(`${path}\\?unsaved$`));
	await expect(page.getByLabel('进展情况')).toBeVisible();
});

test('on an item’s edit page, saving one form keeps what is typed and not yet saved in the others', async ({
	browser,
	baseURL,
	stored
}) => {
	// GOV-02: no other test edits it.
	const itemTitle = () => stored.prepare(`SELECT title FROM initiative WHERE code = 'GOV-02'`).pluck().get();
	const titleBefore = itemTitle();
	const page = await pageAs(browser, baseURL!, 'supervisor');
	await page.goto('/initiatives/GOV-02/edit');
	const title = page.getByLabel('任务名称');
	const stamp = Date.now();
	await title.fill(`统筹发展和安全（修改中 ${stamp}）`);
	await page.getByLabel('责任领导').fill('分管副市长');
	const theme = page.getByLabel('类别');
	const otherTheme = await theme.locator('option:not([disabled]):not(:checked)').first().getAttribute('value');
	await theme.selectOption(otherTheme!);
	const unchecked = await page.locator('input[name="coUnitIds"]:not(:checked)').first().getAttribute('value');
	const coUnit = page.locator(`input[name="coUnitIds"][value="${unchecked}"]`);
	await coUnit.check();

	// A milestone saved meanwhile, its removal reason half typed in the next one.
	const [first, second] = await page.locator('.milestone').all();
	// 顺序 as the pages number milestones (序号 from 1); saved unchanged, the order stays.
	await expect(first.getByLabel('顺序')).toHaveValue('1');
	await expect(second.getByLabel('顺序')).toHaveValue('2');
	const reason = second.getByLabel('删除理由');
	await reason.fill('与第一个节点重复');
	const renamed = `第一个节点（改名 ${stamp}）`;
	await first.getByLabel('节点名称').fill(renamed);
	await first.getByRole('button', { name: '保存', exact: true }).click();
	await expect(page.getByText('时间节点已保存。')).toBeVisible();
	await expect(first.getByLabel('节点名称')).toHaveValue(renamed);
	const savedTitle = (code: string) =>
		stored
			.prepare(`SELECT m.title FROM milestone m JOIN initiative i ON i.id = m.initiative_id WHERE i.code = ? ORDER BY m.position, m.id`)
			.pluck()
			.all(code);
	expect(savedTitle('GOV-02')[0]).toBe(renamed);

	// What was typed in the item's form and the other milestone's is still there, and the item is not changed yet.
	await expect(title).toHaveValue(`统筹发展和安全（修改中 ${stamp}）`);
	await expect(page.getByLabel('责任领导')).toHaveValue('分管副市长');
	await expect(coUnit).toBeChecked();
	await expect(theme).toHaveValue(otherTheme!);
	await expect(reason).toHaveValue('与第一个节点重复');
	expect(itemTitle()).toBe(titleBefore);

	// Then the item's own save keeps the milestone just renamed, and saves what was typed.
	await page.getByRole('button', { name: '保存任务信息' }).click();
	await expect(page.getByText('任务信息已保存。')).toBeVisible();
	expect(stored.prepare(`SELECT title, leader FROM initiative WHERE code = 'GOV-02'`).get()).toEqual({
		title: `统筹发展和安全（修改中 ${stamp}）`,
		leader: '分管副市长'
	});
	// The form saved shows what is stored, also where the stored value changed under it.
	await expect(title).toHaveValue(`统筹发展和安全（修改中 ${stamp}）`);
	await expect(theme).toHaveValue(otherTheme!);
	await expect(coUnit).toBeChecked();
	await page.reload();
	await expect(theme).toHaveValue(otherTheme!);
	await expect(title).toHaveValue(`统筹发展和安全（修改中 ${stamp}）`);
	await expect(page.locator('.milestone').first().getByLabel('节点名称')).toHaveValue(renamed);
});

test('the holidays page opens a year with its days, keeps a refused text, and never lets one administrator replace another’s days unseen', async ({
	browser,
	baseURL
}) => {
	// 2099: no other test enters or reads that year.
	const page = await pageAs(browser, baseURL!, 'admin');
	await page.goto('/admin/calendar');
	await page.getByLabel('查看或录入其他年份').fill('2099');
	await page.getByRole('button', { name: '打开' }).click();
	await expect(page.getByRole('heading', { name: '2099 年的安排' })).toBeVisible();
	await expect(page.getByText('系统尚无 2099 年的安排')).toBeVisible();
	const holidays = page.getByLabel('放假日期');
	await holidays.fill('2099-10-01~2099-10-07');
	await page.getByRole('button', { name: '保存', exact: true }).click();
	await expect(page.getByText('2099 年的节假日安排已保存')).toBeVisible();
	await expect(page.getByRole('row').filter({ hasText: '2099' })).toHaveCount(1);
	// The form shows the year as it is now: correcting one day keeps the others.
	await expect(holidays).toHaveValue('2099-10-01~2099-10-07');

	// A long list with one slip of the pen: refused, the text kept with the reason.
	const typed = '2099-01-01\n2099-02-05~2099-02-11\n2099-13-01\n2099-05-01~2099-05-05\n2099-10-01~2099-10-07';
	await holidays.fill(typed);
	await page.getByRole('button', { name: '保存', exact: true }).click();
	await expect(page.getByText('“2099-13-01”不是日期')).toBeVisible();
	await expect(holidays).toHaveValue(typed);

	// Another administrator, on the year opened before, adds one day and saves first.
	const other = await pageAs(browser, baseURL!, 'admin');
	await other.goto('/admin/calendar?year=2099');
	await other.getByLabel('放假日期').fill('2099-10-01~2099-10-08');
	await other.getByRole('button', { name: '保存', exact: true }).click();
	await expect(other.getByText('2099 年的节假日安排已保存')).toBeVisible();

	// The first, mended, is refused: told what changed, its text kept; saved once they say they have seen it.
	const mended = typed.replace('2099-13-01', '2099-04-05');
	await holidays.fill(mended);
	await page.getByRole('button', { name: '保存', exact: true }).click();
	await expect(page.getByText('该记录已被')).toBeVisible();
	await expect(page.getByRole('listitem').filter({ hasText: '2099-10-01~2099-10-08' })).toBeVisible();
	await expect(holidays).toHaveValue(mended);
	await page.getByLabel('我已看到以上更改').check();
	await page.getByRole('button', { name: '保存', exact: true }).click();
	await expect(page.getByText('2099 年的节假日安排已保存')).toBeVisible();
	await expect(holidays).toHaveValue('2099-01-01\n2099-02-05~2099-02-11\n2099-04-05\n2099-05-01~2099-05-05\n2099-10-01~2099-10-07');

	// Removing the entry: the other administrator's page, opened before that save, is refused too.
	await other.getByRole('button', { name: '删除录入' }).click();
	await expect(other.getByText('该记录已被')).toBeVisible();
	await page.getByRole('button', { name: '删除录入' }).click();
	await expect(page.getByText('已删除录入的安排')).toBeVisible();
	await expect(page.getByRole('row').filter({ hasText: '2099' })).toHaveCount(0);
	await other.close();
});
