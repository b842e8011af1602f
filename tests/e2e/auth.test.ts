import { DEMO_PASSWORD, expect, pageAs, test } from './fixtures';

test.use({ account: null });

test('nothing is visible without logging in', async ({ page }) => {
	for (const path of ['/', '/initiatives/YRD-02', '/sources/1', '/admin/users']) {
		await page.goto(path);
		await expect(page, path).toHaveURL(/\/login/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录');
	}
	await expect(page.getByText('演示账户')).toBeVisible();
});

test('the health check answers without signing in and tells nothing else', async ({ request }) => {
	const response = await request.get('/health');
	expect(response.status()).toBe(200);
	expect(await response.text()).toBe('ok');
	expect(response.headers()['cache-control']).toBe('no-store');
});

test('login returns to the page asked for; logout ends the session on the server', async ({ page, context, expectAccessible }) => {
	await page.goto('/initiatives/YRD-02');
	await expectAccessible();
	await page.getByLabel('用户名').fill('leader');
	await page.getByLabel('密码').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page).toHaveURL(/\/initiatives\/YRD-02$/);
	// The header names the person; a name that already says the role is not followed by it again.
	await expect(page.locator('header .who')).toContainText('市领导');
	await expect(page.locator('header .who')).not.toContainText('（领导）');

	const cookie = (await context.cookies()).find((c) => c.name === 'session')!;
	expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
	await page.getByRole('button', { name: '退出' }).click();
	await expect(page).toHaveURL(/\/login$/);

	// The old token no longer opens anything, even when replayed by hand.
	await context.addCookies([cookie]);
	await page.goto('/');
	await expect(page).toHaveURL(/\/login/);
});

test('wrong credentials get a Chinese message and a 4xx; five make a lockout that does not reveal the name, which the administrator may lift', async ({
	page,
	browser,
	baseURL
}) => {
	// An account no other test signs in with, since it stays locked for 15 minutes.
	for (const username of ['staff-zfw', 'no-such-user']) {
		await page.goto('/login');
		for (let attempt = 1; attempt <= 5; attempt++) {
			await page.getByLabel('用户名').fill(username);
			await page.getByLabel('密码').fill(`wrong-${attempt}`);
			const [response] = await Promise.all([
				page.waitForResponse((r) => r.request().method() === 'POST'),
				page.getByRole('button', { name: '登录' }).click()
			]);
			expect(response.status()).toBe(attempt < 5 ? 400 : 429);
			const expected = attempt < 5 ? '用户名或密码错误' : '账户已被临时锁定';
			await expect(page.getByRole('alert')).toContainText(expected);
		}
		await page.getByLabel('用户名').fill(username);
		await page.getByLabel('密码').fill(DEMO_PASSWORD);
		await page.getByRole('button', { name: '登录' }).click();
		await expect(page.getByRole('alert')).toContainText('请 15 分钟后再试');
		await expect(page.getByLabel('用户名')).toHaveValue(username);
	}
	// The administrator sees the lock on the account's page and lifts it; the person signs in at once.
	const admin = await pageAs(browser, baseURL!, 'admin');
	await admin.goto('/admin/users');
	// The list of accounts says so too, not 正常.
	const row = admin.getByRole('row').filter({ has: admin.getByRole('link', { name: 'staff-zfw', exact: true }) });
	await expect(row).toContainText(/已锁定至 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
	await admin.getByRole('link', { name: 'staff-zfw', exact: true }).click();
	await expect(admin.getByText(/账户已锁定至/)).toBeVisible();
	await expect(admin.getByText('正常')).toHaveCount(0);
	// A second tab on the same page, opened before the lift.
	const secondTab = await admin.context().newPage();
	await secondTab.goto(admin.url());
	await admin.getByRole('button', { name: '解除锁定' }).click();
	await expect(admin.getByText('已解除锁定，该用户可以重新登录。')).toBeVisible();
	await expect(admin.getByText(/账户已锁定至/)).toHaveCount(0);
	// The second tab's lift has nothing to lift: it says so, and no longer shows the lock.
	await secondTab.getByRole('button', { name: '解除锁定' }).click();
	await expect(secondTab.getByRole('alert')).toContainText('该账户目前未被锁定');
	await expect(secondTab.getByText(/账户已锁定至/)).toHaveCount(0);
	await expect(secondTab.getByText(/正常/)).toBeVisible();
	await page.goto('/login');
	await page.getByLabel('用户名').fill('staff-zfw');
	await page.getByLabel('密码').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page).not.toHaveURL(/\/login/);
});

test('empty and over-long fields are refused with a message, not an error', async ({ page, baseURL }) => {
	const response = await page.request.post('/login', {
		form: { username: 'x'.repeat(10_000), password: '' },
		headers: { origin: baseURL!, accept: 'text/html' }
	});
	expect(response.status()).toBe(400);
	expect(await response.text()).toContain('用户名过长');
});

test("a form from another site is refused in the person's language, before anything reads it", async ({ browser, baseURL }) => {
	const page = await pageAs(browser, baseURL!, null);
	const response = await page.request.post('/login', {
		form: { username: 'admin', password: DEMO_PASSWORD },
		headers: { origin: 'http://evil.example', accept: 'text/html' },
		maxRedirects: 0
	});
	expect(response.status()).toBe(403);
	expect(response.headers()['set-cookie']).toBeUndefined();
	expect(response.headers()['x-frame-options']).toBe('DENY');
	expect(response.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
	expect(await response.text()).toContain('此表单不是从本系统的页面提交的');
	// Signed in, the person's cookie sent: no Origin at all, a multipart form, a plain-text body and a
	// JSON answer are refused too, before the action (a new calendar feed address) runs.
	const staff = await pageAs(browser, baseURL!, 'staff-mzj');
	const feed = '/account/notifications?/feed';
	for (const [headers, body] of [
		[{ accept: 'text/html' }, { form: { kind: 'personal' } }],
		[{ origin: 'http://evil.example', accept: 'text/html' }, { multipart: { kind: 'personal' } }],
		[{ origin: 'null', accept: 'text/html', 'content-type': 'text/plain' }, { data: 'kind=personal' }]
	] as const) {
		const refused = await staff.request.post(feed, { ...body, headers, maxRedirects: 0 });
		expect(refused.status()).toBe(403);
		expect(await refused.text()).not.toContain('.ics');
	}
	const json = await staff.request.post(feed, {
		form: { kind: 'personal' },
		headers: { origin: 'http://evil.example', accept: 'application/json' }
	});
	expect(json.status()).toBe(403);
	expect((await json.json()).message).toContain('ORIGIN');
	// The same action sent from this site's own page goes past the check.
	const own = await staff.request.post(feed, { form: { kind: 'personal' }, headers: { origin: baseURL!, accept: 'application/json' } });
	expect(own.status()).toBe(200);
	expect(await own.text()).toContain('.ics');
});

test('pages carry the security headers', async ({ page }) => {
	const response = await page.goto('/login');
	const headers = response!.headers();
	expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
	expect(headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-/);
	expect(headers['x-content-type-options']).toBe('nosniff');
	expect(headers['referrer-policy']).toBe('same-origin');
});

test('an administrator creates a user, who must change the password at first login', async ({ browser, baseURL }) => {
	const admin = await pageAs(browser, baseURL!, 'admin');
	await admin.goto('/admin/users');

	// A weak password is refused with the reason, and the entered values stay.
	await admin.getByLabel('用户名（工号）').fill('wang.li');
	await admin.getByLabel('姓名').fill('王丽');
	await admin.getByLabel('角色').selectOption({ label: '领导' });
	await admin.getByLabel('初始密码').fill('weak');
	await admin.getByRole('button', { name: '创建用户' }).click();
	await expect(admin.getByText('密码长度不足 10 位')).toBeVisible();
	await expect(admin.getByLabel('用户名（工号）')).toHaveValue('wang.li');

	await admin.getByLabel('初始密码').fill('Initial-Pass-2026');
	await admin.getByRole('button', { name: '创建用户' }).click();
	await expect(admin.getByRole('status')).toContainText('已创建用户 wang.li');

	const user = await pageAs(browser, baseURL!, null);
	await user.goto('/login');
	await user.getByLabel('用户名').fill('wang.li');
	await user.getByLabel('密码').fill('Initial-Pass-2026');
	await user.getByRole('button', { name: '登录' }).click();
	await expect(user).toHaveURL(/\/account\/password$/);
	await user.goto('/');
	await expect(user).toHaveURL(/\/account\/password$/);
	await user.getByLabel('当前密码').fill('Initial-Pass-2026');
	await user.getByLabel('新密码', { exact: true }).fill('Chosen-Pass-2026');
	await user.getByLabel('确认新密码').fill('Chosen-Pass-2026');
	await user.getByRole('button', { name: '保存新密码' }).click();
	await expect(user.getByRole('status')).toContainText('密码已修改');
	await user.goto('/');
	await expect(user.getByRole('heading', { level: 1 })).toHaveText('重点任务总览');
});

test('disabling a user ends their sessions at once, for good; the login page says why', async ({ browser, baseURL }) => {
	const staff = await pageAs(browser, baseURL!, 'staff-wgl');
	await staff.goto('/');
	await expect(staff.getByRole('heading', { level: 1 })).toBeVisible();

	const admin = await pageAs(browser, baseURL!, 'admin');
	await admin.goto('/admin/users');
	await admin.getByRole('link', { name: 'staff-wgl' }).click();
	await admin.getByRole('button', { name: '停用账户' }).click();
	await expect(admin.getByRole('status')).toContainText('已停用');
	await admin.getByRole('button', { name: '启用账户' }).click();
	await expect(admin.getByRole('status')).toContainText('已启用');

	// No request was made while the account was disabled: its session still ended.
	await staff.goto('/');
	await expect(staff).toHaveURL(/\/login/);

	await admin.getByRole('button', { name: '停用账户' }).click();
	await expect(admin.getByRole('status')).toContainText('已停用');
	await staff.getByLabel('用户名').fill('staff-wgl');
	await staff.getByLabel('密码').fill(DEMO_PASSWORD);
	await staff.getByRole('button', { name: '登录' }).click();
	await expect(staff.getByText('该账户已停用')).toBeVisible();

	await admin.getByRole('button', { name: '启用账户' }).click();
	await expect(admin.getByRole('status')).toContainText('已启用');
});

test('text typed into the system is shown as text, never run', async ({ browser, baseURL }) => {
	// Within the 50 characters a name may have.
	const payload = `<svg onload=alert(1)><script>alert(2)</script>'&`;
	const admin = await pageAs(browser, baseURL!, 'admin');
	let dialogs = 0;
	admin.on('dialog', (d) => {
		dialogs++;
		void d.dismiss();
	});
	await admin.goto('/admin/users');
	await admin.getByRole('link', { name: 'leader' }).click();
	// Wait for the user's page: the list page has a 姓名 field of its own (the create form).
	await expect(admin.getByRole('heading', { level: 1 })).toContainText('（leader）');
	await admin.getByLabel('姓名').fill(payload);
	await admin.getByRole('button', { name: '保存' }).click();
	await expect(admin.getByRole('heading', { level: 1 })).toContainText(payload);
	await admin.goto('/admin/users');
	await expect(admin.getByRole('cell', { name: payload })).toBeVisible();
	await admin.goto('/admin/audit');
	expect(dialogs).toBe(0);

	await admin.goto('/admin/users');
	await admin.getByRole('link', { name: 'leader' }).click();
	await expect(admin.getByRole('heading', { level: 1 })).toContainText('（leader）');
	await admin.getByLabel('姓名').fill('市领导');
	await admin.getByRole('button', { name: '保存' }).click();
});

test('admin pages are accessible and refused to other roles', async ({ browser, baseURL }) => {
	const admin = await pageAs(browser, baseURL!, 'admin');
	for (const path of ['/admin/users', '/admin/audit', '/admin/audit?log=changes']) {
		await admin.goto(path);
		const { default: AxeBuilder } = await import('@axe-core/playwright');
		const results = await new AxeBuilder({ page: admin }).analyze();
		expect(
			results.violations.map((v) => v.id),
			path
		).toEqual([]);
	}
	await expect(admin.getByRole('table')).toContainText('修改');

	const leader = await pageAs(browser, baseURL!, 'leader');
	const response = await leader.goto('/admin/users');
	expect(response!.status()).toBe(403);
	await expect(leader.getByText('您的账号没有打开此页面的权限')).toBeVisible();
});
