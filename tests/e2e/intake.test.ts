/**
 * Source intake in Chromium, as the office does it: a set of minutes uploaded as Word, its proposals
 * reviewed beside the text, one accepted with its unit and deadline, the item linked to its sentence;
 * a span chosen by hand; bad files refused in Chinese with what was typed kept.
 */
import { Document, Packer, Paragraph } from 'docx';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scannedPdf } from '../intake/scanned-pdf';
import { expect, test } from './fixtures';

test.use({ account: 'supervisor' });

const minutes = readFileSync('drizzle/demo/minutes-2026-11-20.txt', 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'intake-e2e-'));

async function fillSource(page: import('@playwright/test').Page, title: string) {
	await page.goto('/sources/new');
	await page.selectOption('select[name=kind]', 'minutes');
	await page.fill('input[name=title]', title);
	await page.fill('input[name=speaker]', '市政府办公室');
	await page.fill('input[name=deliveredOn]', '2026-11-20');
}

test('minutes uploaded as Word become tracked items with their units and deadlines, each linked to its sentence', async ({
	page,
	stored,
	expectAccessible,
	snapshot
}) => {
	const docx = join(dir, '常务会议纪要.docx');
	writeFileSync(
		docx,
		await Packer.toBuffer(new Document({ sections: [{ children: minutes.split('\n').map((line) => new Paragraph(line)) }] }))
	);
	const title = `市政府第21次常务会议纪要 ${Date.now()}`;
	await fillSource(page, title);
	await page.setInputFiles('input[name=file]', docx);
	await page.getByRole('button', { name: '保存并分析' }).click();
	await expect(page).toHaveURL(/\/sources\/\d+\/review\?done=added/);
	await expect(page.getByRole('status')).toContainText('拟立项事项');
	const cards = page.locator('.card');
	expect(await cards.count()).toBeGreaterThanOrEqual(12);
	await expectAccessible();
	await snapshot('source-review-1280');

	// The first task of the minutes: 市应急管理局 leads, by 2026-12-31.
	const card = cards.filter({ hasText: '完成全市高层建筑消防安全隐患排查整治' });
	await expect(card).toContainText('市应急管理局');
	await expect(card).toContainText('2026年12月31日');
	await card.getByRole('link', { name: '立项' }).click();
	await expect(page).toHaveURL(/\/proposals\/\d+/);
	const lead = stored.prepare("SELECT id FROM unit WHERE name = '市应急管理局'").get() as { id: number };
	await expect(page.locator('select[name=leadUnitId]')).toHaveValue(String(lead.id));
	await expect(page.locator('input[name=dueOn]')).toHaveValue('2026-12-31');
	await page.selectOption('select[name=themeId]', { label: '善治之城' });
	const code = await page.locator('input[name=code]').inputValue();
	expect(code).toMatch(/^GOV-\d{2}$/);
	await page.getByRole('button', { name: '立项' }).click();
	await expect(page).toHaveURL(/review\?done=accepted/);
	await expect(page.getByRole('status')).toContainText(`已立项 ${code}`);

	// A proposal turned down (驳回) leaves the cards for the decided list; merged with the next (合并), two become one.
	const undecided = await cards.count();
	await cards.first().getByRole('button', { name: '驳回' }).click();
	await expect(cards).toHaveCount(undecided - 1);
	await cards.first().getByRole('button', { name: '与下一条合并' }).click();
	await expect(cards).toHaveCount(undecided - 2);

	// The item quotes its sentence, and the source's text links the sentence to the item.
	const item = stored
		.prepare('SELECT source_id, source_quote, quote_start, quote_end, due_on, lead_unit_id FROM initiative WHERE code = ?')
		.get(code) as {
		source_id: number;
		source_quote: string;
		quote_start: number;
		quote_end: number;
		due_on: string;
		lead_unit_id: number;
	};
	const body = (stored.prepare('SELECT body FROM source WHERE id = ?').get(item.source_id) as { body: string }).body;
	expect(body.slice(item.quote_start, item.quote_end)).toBe(item.source_quote);
	expect(item).toMatchObject({ due_on: '2026-12-31', lead_unit_id: lead.id });
	await page.goto(`/sources/${item.source_id}`);
	await expect(page.locator(`a.quote[href="/initiatives/${code}"] mark`)).toHaveText(item.source_quote);
	await page.goto('/sources');
	await expect(page.getByRole('row', { name: new RegExp(title) })).toContainText('会议纪要');

	// Any span chosen in the text opens 立项 with it, at its place.
	await page.goto(`/sources/${item.source_id}/review`);
	await page.waitForLoadState('networkidle'); // the page's script listens for the selection
	const chosen = '每月报送一次隐患整改进展';
	await page.evaluate((words) => {
		const pieces = [...document.querySelectorAll('article [data-start]')];
		const piece = pieces.find((p) => p.textContent?.includes(words))!;
		const node = piece.firstChild!;
		const at = node.textContent!.indexOf(words);
		const range = document.createRange();
		range.setStart(node, at);
		range.setEnd(node, at + words.length);
		getSelection()!.removeAllRanges();
		getSelection()!.addRange(range);
	}, chosen);
	await page.getByRole('link', { name: /以选中的 \d+ 个字立项/ }).click();
	await expect(page).toHaveURL(/\/initiatives\/new\?source=\d+&start=\d+&end=\d+/);
	await expect(page.locator('textarea[name=quote]')).toHaveValue(chosen);
	const start = Number(new URL(page.url()).searchParams.get('start'));
	expect(body.slice(start, start + chosen.length)).toBe(chosen);
});

test('a refused 立项 keeps the steps as chosen: one unticked stays unticked, and the item is made without it', async ({ page, stored }) => {
	await fillSource(page, `步骤测试 ${Date.now()}`);
	await page.fill(
		'textarea[name=body]',
		'市发展改革委牵头，2027年3月31日前完成方案编制，2027年6月30日前完成项目立项，2027年12月31日前全面建成投用。'
	);
	await page.getByRole('button', { name: '保存并分析' }).click();
	await expect(page).toHaveURL(/\/sources\/\d+\/review\?done=added/);
	await page.locator('.card').first().getByRole('link', { name: '立项' }).click();
	const steps = page.locator('input[name=steps]');
	await expect(steps).toHaveCount(3);
	await steps.nth(0).uncheck();
	// No theme is assumed: the office chooses one.
	await expect(page.locator('select[name=themeId]')).toHaveValue('');
	await page.selectOption('select[name=themeId]', { label: '长三角一体化' });
	await page.fill('input[name=code]', 'YRD-01'); // taken
	await page.getByRole('button', { name: '立项' }).click();
	await expect(page.locator('#field-code-error')).toContainText('已被使用');
	expect(await steps.evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).checked))).toEqual([false, true, true]);
	await expect(page.locator('select[name=themeId] option:checked')).toHaveText('长三角一体化');
	const code = `YRD-${80 + Math.floor(Math.random() * 19)}`;
	await page.fill('input[name=code]', code);
	await page.getByRole('button', { name: '立项' }).click();
	await expect(page).toHaveURL(/review\?done=accepted/);
	const dues = stored
		.prepare('SELECT due_on FROM milestone WHERE initiative_id = (SELECT id FROM initiative WHERE code = ?) ORDER BY due_on')
		.all(code) as { due_on: string }[];
	expect(dues.map((d) => d.due_on)).toEqual(['2027-06-30', '2027-12-31']);
});

test('a task very like an item already made is registered only once the office ticks that it checked', async ({ page, stored }) => {
	// The same words pasted as two sources (a paste made twice): the second's proposal may repeat the first's item.
	const words = `市工业和信息化局牵头，2027年9月底前建成第${Date.now() % 100000}号智能制造示范工厂。`;
	const accept = async (code: string) => {
		await page.selectOption('select[name=themeId]', { label: '创新之城' });
		await page.fill('input[name=code]', code);
		await page.getByRole('button', { name: '立项' }).click();
	};
	const codes = stored.prepare("SELECT code FROM initiative WHERE code LIKE 'INN-%'").all() as { code: string }[];
	const free = Array.from({ length: 99 }, (_, i) => `INN-${String(i + 1).padStart(2, '0')}`).filter(
		(c) => !codes.some((x) => x.code === c)
	);
	for (const [n, title] of ['纪要一', '纪要二'].entries()) {
		await fillSource(page, `${title} ${Date.now()}`);
		await page.fill('textarea[name=body]', words);
		await page.getByRole('button', { name: '保存并分析' }).click();
		await page.locator('.card').first().getByRole('link', { name: '立项' }).click();
		if (n === 0) {
			await expect(page.locator('input[name=confirmRepeat]')).toHaveCount(0);
			await accept(free[0]);
			await expect(page).toHaveURL(/review\?done=accepted/);
		}
	}
	const confirm = page.getByLabel(`已核对，与 ${free[0]} 不是同一任务，仍要立项`);
	await expect(confirm).not.toBeChecked();
	await accept(free[1]);
	await expect(page.getByText(`该事项可能与 ${free[0]} 重复`)).toBeVisible();
	await expect(page.locator('input[name=code]')).toHaveValue(free[1]);
	expect(stored.prepare('SELECT count(*) FROM initiative WHERE code = ?').pluck().get(free[1])).toBe(0);
	await confirm.check();
	await page.getByRole('button', { name: '立项' }).click();
	await expect(page).toHaveURL(/review\?done=accepted/);
	expect(stored.prepare('SELECT count(*) FROM initiative WHERE code = ?').pluck().get(free[1])).toBe(1);
});

test('bad files get a clear Chinese message and what was typed stays', async ({ page }) => {
	const cases: [string, Buffer, RegExp][] = [
		['扫描件.pdf', scannedPdf(), /没有文字层/],
		['乱码.txt', Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]), /不是文本文件/],
		['空.txt', Buffer.alloc(0), /文件是空的/],
		['旧版.doc', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), /另存为 \.docx/]
	];
	const before = await page.request.get('/sources').then((r) => r.text());
	for (const [name, bytes, message] of cases) {
		const file = join(dir, name);
		writeFileSync(file, bytes);
		await fillSource(page, `拒收测试 ${name}`);
		await page.setInputFiles('input[name=file]', file);
		await page.getByRole('button', { name: '保存并分析' }).click();
		await expect(page.locator('.error, [role=alert]').first()).toHaveText(message);
		await expect(page.locator('input[name=title]')).toHaveValue(`拒收测试 ${name}`);
	}
	// A file past the limit is refused before it is sent.
	const large = join(dir, '大文件.pdf');
	writeFileSync(large, Buffer.alloc(20 * 1024 * 1024, 0x20));
	await fillSource(page, '拒收测试 大文件');
	await page.setInputFiles('input[name=file]', large);
	await expect(page.getByRole('alert')).toContainText('不能超过');
	expect(await page.request.get('/sources').then((r) => r.text())).not.toContain('拒收测试');
	expect(before).not.toContain('拒收测试');
});

test('a long source’s proposals are reviewed a hundred at a time, numbered on through the pages', async ({ page }) => {
	const units = ['市发展改革委', '市商务局', '市科技局', '市交通运输局'];
	const body = Array.from({ length: 150 }, (_, i) => `${units[i % 4]}牵头，${(i % 12) + 1}月底前完成第${i + 1}项重点工作。`).join('\n');
	await fillSource(page, `长纪要 ${Date.now()}`);
	await page.fill('textarea[name=body]', body);
	await page.getByRole('button', { name: '保存并分析' }).click();
	await expect(page).toHaveURL(/\/sources\/\d+\/review\?done=added/);
	await expect(page.getByRole('status')).toContainText('150');
	await expect(page.locator('.card')).toHaveCount(100);
	await expect(page.locator('.card').last().locator('.tag')).toHaveText('100');
	const pager = page.getByRole('navigation', { name: '翻页' });
	await expect(pager).toContainText('第 1–100 条，共 150 条待审核');
	await pager.getByRole('link', { name: '下一页' }).click();
	await expect(page).toHaveURL(/\/review\?page=2$/);
	await expect(page.locator('.card')).toHaveCount(50);
	await expect(page.locator('.card').first().locator('.tag')).toHaveText('101');
	await expect(page.locator('.card').last()).toContainText('第150项重点工作');
	await expect(pager).toContainText('第 101–150 条，共 150 条待审核');
	// A decision made on the second page comes back to it.
	await page.locator('.card').first().getByRole('button', { name: '驳回' }).click();
	await expect(page).toHaveURL(/\/review\?page=2$/);
	await expect(page.locator('.card')).toHaveCount(49);
	await expect(page.locator('.card').first()).toContainText('第102项重点工作');
	await expect(pager).toContainText('第 101–149 条，共 149 条待审核');
	// A page past the last is the first.
	await page.goto(page.url().replace('page=2', 'page=9'));
	await expect(page.locator('.card').first().locator('.tag')).toHaveText('1');
});
