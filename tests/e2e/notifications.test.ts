/**
 * Notices reaching people, in Chromium against the production server, with a real SMTP server and a
 * real HTTP receiver standing for the unit's DingTalk group, both started by the test: the
 * administrator sets the channels up, staff give their address, the office returns a report, and
 * within a minute the unit's staff have it in the inbox, in their mailbox and in their group.
 */
import { createHmac } from 'node:crypto';
import { MailSink } from '../helpers/mail-sink';
import { WebhookSink } from '../helpers/webhook-sink';
import { expect, pageAs, test } from './fixtures';

test.use({ account: null });

const thisMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

// PTY-09 is led by 市纪委监委 (staff-jw) and has only a draft this month; no other test writes it.
const CODE = 'PTY-09';

test('a returned report reaches the unit in the inbox, by e-mail and in its DingTalk group within a minute', async ({
	browser,
	baseURL,
	stored
}) => {
	const mail = new MailSink();
	const robot = new WebhookSink();
	const [port, robotBase] = await Promise.all([mail.start(), robot.start()]);
	const admin = await pageAs(browser, baseURL!, 'admin');
	try {
		const unitName = stored
			.prepare(`SELECT u.name FROM unit u JOIN initiative i ON i.lead_unit_id = u.id WHERE i.code = ?`)
			.pluck()
			.get(CODE) as string;

		// The administrator sets up the relay and the unit's group robot.
		await admin.goto('/admin/notifications');
		await admin.getByLabel('服务器地址').fill('127.0.0.1');
		await admin.getByLabel('端口', { exact: true }).fill(String(port));
		await admin.getByLabel('发件人').fill('not an address');
		await admin.locator('form[action="?/smtp"]').getByRole('button', { name: '保存' }).click();
		await expect(admin.getByText('请填写有效的发件人地址')).toBeVisible();
		await expect(admin.getByLabel('服务器地址')).toHaveValue('127.0.0.1');
		await admin.getByLabel('发件人').fill('苏州市委督查室 <duchashi@suzhou.example>');
		await admin.locator('form[action="?/smtp"]').getByRole('button', { name: '保存' }).click();
		await expect(admin.getByRole('status')).toContainText('邮件服务器设置已保存');
		await admin.locator('summary', { hasText: '添加群机器人' }).click();
		await admin.getByLabel('名称').fill('市纪委监委工作群');
		await admin.getByLabel('类型').selectOption('dingtalk');
		await admin.getByLabel('Webhook 地址').fill(`${robotBase}/robot/send?access_token=e2e-token`);
		await admin.getByLabel('加签密钥（可选）').fill('SECe2e');
		await admin.getByLabel('所属单位').selectOption({ label: unitName });
		await admin.getByRole('button', { name: '添加群机器人' }).click();
		await expect(admin.getByRole('status')).toContainText('群机器人已添加');
		// The robot's address is listed without its token.
		await expect(admin.locator('td.url').filter({ hasText: '/robot/send' })).toContainText('access_token=…');
		await expect(admin.locator('td.url').filter({ hasText: '/robot/send' })).not.toContainText('e2e-token');

		// Staff give their address (a wrong one is refused in Chinese).
		const staff = await pageAs(browser, baseURL!, 'staff-jw');
		await staff.goto('/account/notifications');
		await staff.getByLabel('电子邮箱').fill('jw at suzhou');
		expect(await staff.getByLabel('电子邮箱').evaluate((input: HTMLInputElement) => input.checkValidity())).toBe(false);
		// The server refuses it too, in Chinese, when the browser does not check (or is bypassed).
		const refused = await staff.request.post('/account/notifications?/save', {
			form: { email: 'jw at suzhou', events: 'report_returned' },
			headers: { origin: baseURL!, accept: 'text/html' }
		});
		expect(refused.status()).toBe(400);
		expect(await refused.text()).toContain('请填写有效的电子邮箱地址');
		await staff.getByLabel('电子邮箱').fill('jw@suzhou.example');
		await staff.getByRole('button', { name: '保存' }).click();
		await expect(staff.getByRole('status')).toContainText('通知设置已保存');
		// Used once the code sent to it is typed back (a mistyped address never receives a notice).
		const confirming = staff.getByRole('region', { name: '确认邮箱' });
		await expect(confirming).toContainText('新邮箱 jw@suzhou.example 待确认');
		await expect(confirming).toContainText('确认之前，通知只在系统内显示。');
		await expect(staff.getByLabel('电子邮箱')).toHaveValue('jw@suzhou.example');
		await expect.poll(() => mail.messages.some((m) => m.subject === '督查督办系统邮箱确认码'), { timeout: 60_000 }).toBe(true);
		const code = /确认码：(\d{6})/.exec(mail.messages.find((m) => m.subject === '督查督办系统邮箱确认码')!.text ?? '')![1];
		await staff.getByLabel('确认码').fill('000000' === code ? '111111' : '000000');
		await staff.getByRole('button', { name: '确认邮箱' }).click();
		await expect(confirming).toContainText('确认码不正确，还可尝试 4 次。');
		await staff.getByLabel('确认码').fill(code);
		await staff.getByRole('button', { name: '确认邮箱' }).click();
		await expect(staff.getByRole('status')).toContainText('邮箱已确认，邮件通知将发往 jw@suzhou.example。');
		await expect(staff.getByLabel('电子邮箱')).toHaveValue('jw@suzhou.example');

		await staff.goto(`/initiatives/${CODE}/report/${thisMonth()}`);
		await staff.getByLabel('进展情况').fill('完成年度廉政风险排查。');
		await staff.getByLabel('下步打算').fill('推进整改落实。');
		await staff.getByRole('button', { name: '提交审核' }).click();
		await expect(staff.getByRole('status')).toContainText('本月进展已提交');

		const office = await pageAs(browser, baseURL!, 'supervisor');
		await office.goto('/reviews');
		const review = office.locator('article.review').filter({ hasText: CODE });
		await review.getByLabel('退回意见').fill('请补充排查发现问题的数量。');
		await review.getByRole('button', { name: '退回' }).click();
		await expect(office.getByRole('status')).toContainText('已退回');
		const returnedAt = Date.now();

		// In the inbox at once, with the count in the header.
		await staff.goto('/');
		await expect(staff.locator('a.inbox .unread')).toHaveText(/^\d+$/);
		await staff.locator('a.inbox').click();
		const notice = staff
			.locator('li.unread')
			.filter({ hasText: `${CODE} ` })
			.filter({ hasText: '被退回' });
		await expect(notice).toContainText('请补充排查发现问题的数量。');

		// By e-mail and in the group, within a minute.
		await expect.poll(() => mail.messages.some((m) => m.subject?.startsWith(CODE)), { timeout: 60_000 }).toBe(true);
		const mailed = mail.messages.find((m) => m.subject?.startsWith(CODE))!;
		expect(mailed.subject).toMatch(/进展被退回$/);
		expect(mailed.text).toContain('请补充排查发现问题的数量。');
		expect(mailed.text).toContain(`${baseURL}/initiatives/${CODE}/report/${thisMonth()}`);
		await expect.poll(() => robot.received.length, { timeout: 60_000 }).toBeGreaterThan(0);
		const posted = robot.received[0];
		const timestamp = posted.url.searchParams.get('timestamp')!;
		expect(posted.url.searchParams.get('sign')).toBe(createHmac('sha256', 'SECe2e').update(`${timestamp}\nSECe2e`).digest('base64'));
		expect(JSON.stringify(posted.json)).toContain('请补充排查发现问题的数量。');
		expect(Date.now() - returnedAt).toBeLessThan(60_000);

		// Opening the notice goes to the report, and it is read.
		await notice.getByRole('button', { name: '前往处理' }).click();
		await expect(staff).toHaveURL(new RegExp(`/initiatives/${CODE}/report/${thisMonth()}$`));
		await staff.goto('/notifications');
		await expect(
			staff
				.locator('li')
				.filter({ hasText: `${CODE} ` })
				.filter({ hasText: '被退回' })
		).not.toHaveClass(/unread/);

		// The administrator's log shows both sent.
		await admin.goto('/admin/notifications');
		await expect(admin.locator('tr').filter({ hasText: 'jw@suzhou.example' }).filter({ hasText: CODE })).toContainText('已发送');
		await expect(admin.locator('tr').filter({ hasText: '市纪委监委工作群' }).last()).toContainText('已发送');
	} finally {
		// Leave the server as the other tests expect it: no relay, no robot.
		await admin.goto('/admin/notifications');
		for (const remove of await admin.getByRole('button', { name: '删除' }).all()) await remove.click();
		if (await admin.getByRole('button', { name: '不发送邮件' }).count()) await admin.getByRole('button', { name: '不发送邮件' }).click();
		await Promise.all([mail.close(), robot.close()]);
	}
});

test('a calendar feed made on the settings page opens without signing in and lists the unit’s deadlines', async ({
	browser,
	baseURL,
	playwright
}) => {
	const staff = await pageAs(browser, baseURL!, 'staff-jw');
	await staff.goto('/account/notifications');
	const mine = staff.locator('form.feed').filter({ hasText: '我的日历' });
	await mine.getByRole('button', { name: /生成订阅地址|重新生成/ }).click();
	const address = (await staff.locator('form.feed code.url').innerText()).trim();
	expect(address).toMatch(new RegExp(`^${baseURL}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
	// The address is not in the page's own address (which browsers keep in their history).
	expect(staff.url()).not.toContain('/calendar/');

	const calendarProgram = await playwright.request.newContext();
	const feed = await calendarProgram.get(address);
	expect(feed.status()).toBe(200);
	expect(feed.headers()['content-type']).toContain('text/calendar');
	const ICAL = (await import('ical.js')).default;
	const calendar = new ICAL.Component(ICAL.parse(await feed.text()));
	const summaries = calendar.getAllSubcomponents('vevent').map((v) => String(new ICAL.Event(v).summary));
	expect(summaries.some((s) => s.endsWith('进展报送截止'))).toBe(true);
	expect(summaries.some((s) => s.includes(CODE))).toBe(true);

	// A new address closes the old one.
	await staff.locator('form.feed').filter({ hasText: '我的日历' }).getByRole('button', { name: '重新生成（原地址失效）' }).click();
	await expect(staff.locator('form.feed code.url')).not.toHaveText(address);
	const old = await calendarProgram.get(address);
	expect(old.status()).toBe(404);
	expect(await old.text()).toContain('该日历订阅地址无效或已重新生成');
	await calendarProgram.dispose();
});

test('two administrators saving the reminders one after the other: the second is shown the first one’s change, keeps what they typed, and saves once they have seen it', async ({
	browser,
	baseURL
}) => {
	const first = await pageAs(browser, baseURL!, 'admin');
	const second = await pageAs(browser, baseURL!, 'admin');
	const reminders = (page: typeof first) => page.locator('form[action="?/reminders"]');
	await first.goto('/admin/notifications');
	await second.goto('/admin/notifications');
	const [time, days] = [
		await reminders(first).getByLabel('提醒时间').inputValue(),
		await reminders(first).getByLabel('截止日前').inputValue()
	];

	await reminders(first).getByLabel('提醒时间').fill('07:45');
	await reminders(first).getByRole('button', { name: '保存' }).click();
	await expect(first.getByRole('status')).toContainText('提醒设置已保存');

	await reminders(second).getByLabel('截止日前').fill('5');
	await reminders(second).getByRole('button', { name: '保存' }).click();
	const refusal = reminders(second).getByRole('alert');
	await expect(refusal).toContainText('已被');
	await expect(refusal).toContainText(`提醒时间（北京时间）：${time} → 07:45`);
	await expect(reminders(second).getByLabel('截止日前')).toHaveValue('5');
	await reminders(second).getByLabel('提醒时间').fill('07:45');
	await reminders(second).getByLabel('我已看到以上更改', { exact: false }).check();
	await reminders(second).getByRole('button', { name: '保存' }).click();
	await expect(second.getByRole('status')).toContainText('提醒设置已保存');
	await expect(reminders(second).getByLabel('截止日前')).toHaveValue('5');

	// Put back what the other tests expect.
	await reminders(second).getByLabel('提醒时间').fill(time);
	await reminders(second).getByLabel('截止日前').fill(days);
	await reminders(second).getByRole('button', { name: '保存' }).click();
	await expect(second.getByRole('status')).toContainText('提醒设置已保存');
});
