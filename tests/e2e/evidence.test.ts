/**
 * Evidence files from the report form, as units send them: several at once with JavaScript (the
 * progress shows), a plain file input without; a bad file refused with the reason and the typed text
 * kept; the office sees the picture's thumbnail and the PDF's first page in 审核; the files are served
 * only to those who may read them.
 */
import { expect, pageAs, test } from './fixtures';
import { month } from './page-list';
import { pdf, png } from '../helpers/files';

test.use({ account: null });

const picture = { name: '现场照片.png', mimeType: 'image/png', buffer: png() };
const report = { name: '验收报告.pdf', mimeType: 'application/pdf', buffer: pdf() };

async function fillTexts(page: import('@playwright/test').Page, text: string) {
	await page.getByLabel('进展情况').fill(text);
	await page.getByLabel('存在问题').fill('暂无。');
	await page.getByLabel('下步打算').fill('按计划推进。');
}

test('with JavaScript: several files at once, sent with progress, seen as thumbnails in 审核', async ({ browser, baseURL }) => {
	// OPN-02 is led by 市商务局 (staff-swj); no other test writes its report.
	const staff = await pageAs(browser, baseURL!, 'staff-swj');
	await staff.goto(`/initiatives/OPN-02/report/${month()}`);
	await fillTexts(staff, '附现场照片和验收报告。');
	await staff.locator('#files').setInputFiles([picture, report]);
	await staff.getByRole('button', { name: '提交审核' }).click();
	await expect(staff).toHaveURL(/\/initiatives\/OPN-02\?done=reported/);
	await expect(staff.locator('.evidence-files').first()).toContainText('现场照片.png');

	const office = await pageAs(browser, baseURL!, 'supervisor');
	await office.goto('/reviews');
	const article = office.locator('article', { hasText: 'OPN-02' });
	const thumbnail = article.getByRole('img', { name: '现场照片.png' });
	// Thumbnails load as they come into view.
	await thumbnail.scrollIntoViewIfNeeded();
	await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(160);
	await expect(thumbnail).toBeVisible();
	await expect(article.locator('canvas[data-drawn="true"]')).toHaveCount(1);
	// The file itself: the picture inline, the PDF only as a download, neither sniffed nor run.
	const href = await article.getByRole('link', { name: '现场照片.png', exact: true }).last().getAttribute('href');
	const response = await office.request.get(href!);
	expect(response.headers()['content-type']).toBe('image/png');
	expect(response.headers()['content-disposition']).toMatch(/^inline/);
	expect(response.headers()['x-content-type-options']).toBe('nosniff');
	const pdfHref = await article.getByRole('link', { name: '验收报告.pdf', exact: true }).last().getAttribute('href');
	expect((await office.request.get(pdfHref!)).headers()['content-disposition']).toMatch(/^attachment/);
	expect(Buffer.from(await response.body())).toEqual(png());

	// Nobody signed out reads it.
	const anonymous = await pageAs(browser, baseURL!, null);
	const refused = await anonymous.request.get(href!, { maxRedirects: 0 });
	expect([303, 401]).toContain(refused.status());
});

test('without JavaScript: a bad file is refused with its reason and the text kept; a good one is kept', async ({ browser, baseURL }) => {
	// GOV-02 is led by 市应急管理局 (staff-yjj).
	const staff = await pageAs(browser, baseURL!, 'staff-yjj', { javaScriptEnabled: false });
	await staff.goto(`/initiatives/GOV-02/report/${month()}`);
	await fillTexts(staff, '应急演练已完成，附照片。');
	await staff.locator('#files').setInputFiles([{ name: '演练照片.pdf', mimeType: 'application/pdf', buffer: png() }]);
	await staff.getByRole('button', { name: '保存草稿' }).click();
	await expect(staff.locator('form.report-form')).toContainText('文件内容与扩展名不符');
	await expect(staff.getByLabel('进展情况')).toHaveValue('应急演练已完成，附照片。');
	await staff.locator('#files').setInputFiles([picture]);
	await staff.getByRole('button', { name: '保存草稿' }).click();
	await expect(staff).toHaveURL(/saved/);
	await expect(staff.locator('.evidence-files')).toContainText('现场照片.png');
	// A draft's file is the lead unit's: the office does not read it yet, and is told no more than of a missing file.
	const href = await staff.locator('.evidence-files a').first().getAttribute('href');
	const office = await pageAs(browser, baseURL!, 'supervisor');
	const refused = await office.request.get(href!);
	const missing = await office.request.get('/files/999999999');
	expect([refused.status(), await refused.text()]).toEqual([404, await missing.text()]);
});

test('a closure (销号): the unit’s files with its request (no JavaScript), the office’s with its decision', async ({
	browser,
	baseURL
}) => {
	// ECO-01 is led by 市生态环境局 (staff-sthj); no other test closes it.
	const staff = await pageAs(browser, baseURL!, 'staff-sthj', { javaScriptEnabled: false });
	// Forged or overfull forms are refused with the reason and the typed text shown again; nothing kept.
	const post = (form: FormData) =>
		staff.request.post('/initiatives/ECO-01?/requestClosure', {
			multipart: form,
			headers: { origin: baseURL!, accept: 'text/html' },
			maxRedirects: 0
		});
	const forged = new FormData();
	forged.append('evidence', '伪造的字段');
	forged.append('files-abc', new Blob([new Uint8Array(pdf())], { type: 'application/pdf' }), '验收报告.pdf');
	const refusedForged = await post(forged);
	expect(refusedForged.status()).toBe(400);
	expect(await refusedForged.text()).toMatch(/此表单不接受这个文件字段[\s\S]*伪造的字段/);
	const overfull = new FormData();
	overfull.append('evidence', '太多的文件');
	for (let i = 0; i < 15; i++) overfull.append('files', new Blob([new Uint8Array(png())], { type: 'image/png' }), `照片${i}.png`);
	const refusedOverfull = await post(overfull);
	expect(refusedOverfull.status()).toBe(400);
	expect(await refusedOverfull.text()).toMatch(/一次最多上传 10 个文件[\s\S]*太多的文件/);
	await staff.goto('/initiatives/ECO-01');
	await staff.getByLabel('销号佐证材料').fill('全部节点已完成，验收报告附后。');
	await staff.locator('#closure-files').setInputFiles([report]);
	await staff.getByRole('button', { name: '申请销号' }).click();
	await expect(staff).toHaveURL(/done=closure/);
	const closures = staff.locator('#actions');
	await expect(closures.locator('.evidence-files')).toContainText('验收报告.pdf');

	const office = await pageAs(browser, baseURL!, 'supervisor');
	await office.goto('/initiatives/ECO-01');
	await office.locator('input[id^="decideClosure-files-"]').setInputFiles([picture]);
	await office.getByRole('button', { name: '同意销号' }).click();
	await expect(office).toHaveURL(/done=closure-granted/);
	const shown = office.locator('#actions .evidence-files');
	await expect(shown).toContainText('验收报告.pdf');
	await expect(shown).toContainText('现场照片.png');
	// The unit reads the office's papers too, as it reads the decision.
	await staff.goto('/initiatives/ECO-01');
	await expect(staff.locator('#actions .evidence-files')).toContainText('现场照片.png');
});
