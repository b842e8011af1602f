/** 批示: a leader writes on an item, its lead unit answers from its to-do, the co-units read both, other units neither. */
import { expect, pageAs, test } from './fixtures';

test.use({ account: null });

test('a leader’s instruction is answered by the item’s lead unit; a co-unit reads it and the answer, and is not asked', async ({
	browser,
	baseURL
}) => {
	// LIV-01: led by 市民政局 (staff-mzj), 市教育局 (staff-jyj) one of its co-units; no other test uses it.
	const body = `请抓紧推进养老服务设施建设，月底前报送进展。（${Date.now()}）`;
	const leader = await pageAs(browser, baseURL!, 'leader');
	await leader.goto('/initiatives/LIV-01');
	await leader.getByLabel('写批示').fill(body);
	await leader.getByRole('button', { name: '发送批示' }).click();
	const written = leader.locator('article.instruction').filter({ hasText: body });
	await expect(leader.getByText('批示已发送，牵头单位将在待办中看到。')).toBeVisible();
	await expect(written).toBeVisible();
	await expect(written.getByText('待牵头单位回复')).toBeVisible();

	// The co-unit reads it, is not asked to answer, and its to-do does not list it.
	const coUnit = await pageAs(browser, baseURL!, 'staff-jyj');
	await coUnit.goto('/todo');
	await expect(coUnit.getByText(body)).toHaveCount(0);
	await coUnit.goto('/initiatives/LIV-01');
	const read = coUnit.locator('article.instruction').filter({ hasText: body });
	await expect(read.getByText('待牵头单位回复')).toBeVisible();
	await expect(read.getByLabel('回复批示')).toHaveCount(0);

	// The lead unit finds it on its to-do and answers it on the item's page.
	const lead = await pageAs(browser, baseURL!, 'staff-mzj');
	await lead.goto('/todo');
	await lead.getByRole('listitem').filter({ hasText: body }).getByRole('link').click();
	await expect(lead).toHaveURL(/\/initiatives\/LIV-01#instruction-\d+$/);
	const toAnswer = lead.locator('article.instruction').filter({ hasText: body });
	await toAnswer.getByLabel('回复批示').fill('已召开专题会部署，月底前报送。');
	await toAnswer.getByRole('button', { name: '回复', exact: true }).click();
	await expect(
		lead.locator('article.instruction').filter({ hasText: body }).getByText('回复：已召开专题会部署，月底前报送。')
	).toBeVisible();
	await lead.goto('/todo');
	await expect(lead.getByText(body)).toHaveCount(0);

	// A form not sent as the page made it (a hidden id changed) is refused in words the office reads.
	for (const instructionId of ['abc', '0', '1e20']) {
		const tampered = await lead.request.post('/initiatives/LIV-01?/answerInstruction', {
			form: { instructionId, version: '1', answer: '收到' },
			headers: { origin: baseURL!, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(tampered.status()).toBe(400);
		expect(await tampered.text()).toContain('表单已过期，请刷新页面');
	}

	// The co-unit and the leader read the answer.
	await coUnit.reload();
	await expect(read.getByText('回复：已召开专题会部署，月底前报送。')).toBeVisible();
	await leader.reload();
	await expect(written.getByText('回复：已召开专题会部署，月底前报送。')).toBeVisible();

	// Staff of a unit not on the item (市工业和信息化局) read neither, on the page nor in its history.
	const outsider = await pageAs(browser, baseURL!, 'staff-gxj');
	await outsider.goto('/initiatives/LIV-01?history');
	await expect(outsider.getByText('本任务的批示由牵头单位和配合单位查阅。')).toBeVisible();
	await expect(outsider.getByRole('heading', { level: 1 })).toContainText('LIV-01');
	expect(await outsider.content()).not.toContain(body.slice(0, 12));
	expect(await outsider.content()).not.toContain('已召开专题会部署');
});
