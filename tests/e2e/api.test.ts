/**
 * The read API against the production server: the administrator issues keys in Chromium; then every
 * endpoint is called with every kind of key (none, not a key, revoked, the city's, a unit's), its
 * figures are compared with the dashboard's for the same day, and a key past its rate is refused.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, pageAs, test } from './fixtures';

test.use({ account: null });

const suzhouDate = (offsetDays = 0) => new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
const lastMonth = () => {
	const [y, mo] = suzhouDate().split('-').map(Number);
	return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
};

async function issue(admin: Page, name: string, unit: string | null): Promise<string> {
	await admin.goto('/admin/api');
	await admin.getByLabel('名称（使用的系统）').fill(name);
	if (unit) await admin.getByLabel('范围').selectOption({ label: unit });
	await admin.getByRole('button', { name: '签发密钥' }).click();
	const key = (await admin.locator('code.key').innerText()).trim();
	expect(key).toMatch(/^sz_[A-Za-z0-9_-]{43}$/);
	return key;
}

const call = (api: APIRequestContext, path: string, key: string | null) =>
	api.get(`/api/v1${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

test('every endpoint answers every kind of key as its scope allows, and its figures are the pages’', async ({
	browser,
	baseURL,
	playwright,
	stored
}) => {
	const admin = await pageAs(browser, baseURL!, 'admin');
	// The demo staff's unit (市发展改革委) leads YRD-02; ECO-01 is led by 市生态环境局, of which it is not a co-unit.
	const unit = stored
		.prepare(`SELECT u.name FROM unit u JOIN initiative i ON i.lead_unit_id = u.id WHERE i.code = 'YRD-02'`)
		.pluck()
		.get() as string;
	const foreign = stored
		.prepare(
			`SELECT i.code FROM initiative i JOIN unit u ON u.id = i.lead_unit_id WHERE u.name <> ? AND NOT EXISTS (SELECT 1 FROM initiative_co_unit c JOIN unit v ON v.id = c.unit_id WHERE c.initiative_id = i.id AND v.name = ?) ORDER BY i.code LIMIT 1`
		)
		.pluck()
		.get(unit, unit) as string;
	const city = await issue(admin, '城市运行大屏', null);
	const unitKey = await issue(admin, '发改委内网', unit);
	const revoked = await issue(admin, '已停用的系统', null);
	await admin.goto('/admin/api');
	await admin.locator('tr', { hasText: '已停用的系统' }).getByRole('button', { name: '撤销' }).click();
	await expect(admin.getByRole('status')).toContainText('密钥已撤销');

	const api = await playwright.request.newContext({ baseURL });
	const month = lastMonth();
	const keys = { none: null, 'not a key': 'sz_' + 'x'.repeat(43), revoked, city, unit: unitKey } as const;
	const expected: Record<string, Record<keyof typeof keys, number>> = {
		'/items': { none: 401, 'not a key': 401, revoked: 401, city: 200, unit: 200 },
		'/items/YRD-02': { none: 401, 'not a key': 401, revoked: 401, city: 200, unit: 200 },
		[`/items/${foreign}`]: { none: 401, 'not a key': 401, revoked: 401, city: 200, unit: 404 },
		'/items/YRD-02/reports': { none: 401, 'not a key': 401, revoked: 401, city: 200, unit: 200 },
		[`/items/${foreign}/reports`]: { none: 401, 'not a key': 401, revoked: 401, city: 200, unit: 404 },
		'/units': { none: 401, 'not a key': 401, revoked: 401, city: 200, unit: 200 },
		[`/summary/${month}`]: { none: 401, 'not a key': 401, revoked: 401, city: 200, unit: 403 },
		'/openapi.json': { none: 200, 'not a key': 200, revoked: 200, city: 200, unit: 200 },
		'/no-such-thing': { none: 401, 'not a key': 401, revoked: 401, city: 404, unit: 404 }
	};
	const outcomes: string[] = [];
	for (const path of Object.keys(expected))
		for (const [kind, key] of Object.entries(keys) as [keyof typeof keys, string | null][]) {
			const response = await call(api, path, key);
			outcomes.push(`${path} ${kind}: ${response.status()}`);
			if (response.status() !== 200) expect((await response.json()).error.message, `${path} ${kind}`).toMatch(/[\u4e00-\u9fff]/);
		}
	expect(outcomes).toEqual(
		Object.entries(expected).flatMap(([path, byKey]) => Object.entries(byKey).map(([kind, status]) => `${path} ${kind}: ${status}`))
	);
	// Other methods are not part of the API, and an address that does not decode is the caller's
	// mistake, not a missing sign-in: both said in the API's own format.
	for (const method of ['post', 'delete'] as const) {
		const refused = await api[method]('/api/v1/items', { headers: { authorization: `Bearer ${city}` } });
		expect(refused.status()).toBe(405);
		expect((await refused.json()).error).toEqual({ code: 'method_not_allowed', message: '接口只接受 GET 请求。' });
	}
	for (const path of ['/items/%E0%A4%A', '/summary/%ff']) {
		const garbled = await call(api, path, city);
		expect(garbled.status(), path).toBe(400);
		expect((await garbled.json()).error.code).toBe('bad_address');
	}
	const otherVersion = await api.get('/api/v2/items', { headers: { authorization: `Bearer ${city}` } });
	expect(otherVersion.status()).toBe(404);
	expect((await otherVersion.json()).error.code).toBe('no_such_endpoint');
	// A month before tracking began is no month of the ledger (the 月报 page says 404 of it).
	expect((await call(api, '/summary/2020-01', city)).status()).toBe(400);
	// A garbled scope never issues a key of the whole city.
	const garbledScope = await admin.request.post('/admin/api?/issue', {
		form: { name: '范围写错的密钥', unitId: '01x' },
		headers: { origin: baseURL!, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(garbledScope.status()).toBe(400);
	expect(stored.prepare("SELECT count(*) FROM api_token WHERE name = '范围写错的密钥'").pluck().get()).toBe(0);

	// A unit's key sees only the unit's items.
	const mine = await (await call(api, '/items?pageSize=500', unitKey)).json();
	const unitId = (await (await call(api, '/units', city)).json()).units.find((u: { name: string }) => u.name === unit).id;
	expect(mine.items.length).toBeGreaterThan(0);
	for (const item of mine.items) expect(item.leadUnit?.id === unitId || item.coUnitIds.includes(unitId), item.code).toBe(true);

	// The city's figures for a past day are the dashboard's for that day.
	const day = `${month}-15`;
	const all = await (await call(api, `/items?asOf=${day}&pageSize=500`, city)).json();
	expect(all).toMatchObject({ asOf: day, live: false, total: all.items.length });
	const leader = await pageAs(browser, baseURL!, 'leader');
	await leader.goto(`/?asOf=${day}`);
	const figure = async (key: string) => Number(await leader.locator(`.figure.${key} dd`).innerText());
	expect(all.total).toBe(await figure('total'));
	expect(all.items.filter((i: { light: string }) => i.light === 'red').length).toBe(await figure('red'));
	expect(all.items.filter((i: { pace: string }) => i.pace === 'behind').length).toBe(await figure('behind'));
	expect(all.items.filter((i: { pace: string }) => i.pace === 'done').length).toBe(await figure('done'));
	// The month's summary is the 月报 page's.
	const summary = await (await call(api, `/summary/${month}`, city)).json();
	expect(summary).toMatchObject({
		month,
		closed: true,
		asOf: `${month}-${String(new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 0)).getUTCDate())}`,
		dueOn: `${month}-25`
	});
	expect(summary.lights.map((l: { count: number }) => l.count).reduce((a: number, b: number) => a + b, 0)).toBe(summary.total);
	await leader.goto(`/reports/${month}`);
	await expect(leader.locator('main')).toContainText(String(summary.total));

	// Bad parameters are a 400 in Chinese, naming the parameter.
	const bad = await call(api, '/items?pageSize=100000', city);
	expect(bad.status()).toBe(400);
	expect((await bad.json()).error.message).toBe('请求参数有误：参数 pageSize：不能大于 500');
	// In words of ours, never the schema library's (期望 number, 实际接收 NaN).
	const words = async (query: string) => (await (await call(api, `/items?${query}`, city)).json()).error.message as string;
	expect(await words('unit=gsl')).toBe('请求参数有误：参数 unit：应为整数');
	expect(await words('light=purple')).toBe('请求参数有误：参数 light：应为 green | yellow | red 之一');
	expect(await words('page=0')).toBe('请求参数有误：参数 page：不能小于 1');
	expect(await words('page=99999999999999999999')).toBe('请求参数有误：参数 page：不能大于 100000');
	// What JavaScript would also read as a number is no page a caller means.
	for (const value of ['1e2', '0x10', '%2012', '2.0', '-1'])
		expect(await words(`page=${value}`), value).toBe('请求参数有误：参数 page：应为整数');
	// A theme code or a unit id that names nothing is told, not answered with an empty list.
	expect(await words('theme=yrd')).toMatch(/^请求参数有误：参数 theme：没有这个类别代码（区分大小写）；可用的有：YRD, /);
	expect(await words('unit=99999')).toBe('请求参数有误：参数 unit：没有这个单位；各单位的 id 见 /api/v1/units');
	expect(await words('unit=0')).toBe('请求参数有误：参数 unit：不能小于 1');
	// A parameter given twice is read as neither value.
	expect(await words('unit=1&unit=2')).toBe('请求参数有误：参数 unit：只能给出一次');
	expect((await call(api, '/items?asOf=2026-02-30', city)).status()).toBe(400);
	// An empty value is no value: `unit=` and `light=` filter nothing, as a blank form field does.
	const blank = await (await call(api, '/items?unit=&light=&theme=', city)).json();
	expect(blank.total).toBe((await (await call(api, '/items', city)).json()).total);
	// A parameter the endpoint does not take is refused, not ignored: a summary is never "as of" another day.
	const asOfSummary = await call(api, `/summary/${month}?asOf=${month}-15`, city);
	expect(asOfSummary.status()).toBe(400);
	expect((await asOfSummary.json()).error.message).toBe('请求参数有误：参数 asOf：本接口不接受此参数（可用参数：无）');
	expect(await words('a=1&a=2')).toBe(
		'请求参数有误：参数 a：本接口不接受此参数（可用参数：asOf, theme, unit, light, status, page, pageSize）'
	);
	expect(await words('pagesize=10')).toBe(
		'请求参数有误：参数 pagesize：本接口不接受此参数（可用参数：asOf, theme, unit, light, status, page, pageSize）'
	);
	expect((await call(api, '/summary/2099-01', city)).status()).toBe(400);

	// Every call is in the log.
	await admin.goto('/admin/api');
	await expect(admin.locator('table').last()).toContainText(`/api/v1/summary/${month}`);
	await api.dispose();
});

test('a key past its rate is refused with the time to wait', async ({ browser, baseURL, playwright }) => {
	const admin = await pageAs(browser, baseURL!, 'admin');
	const key = await issue(admin, '压力测试', null);
	const api = await playwright.request.newContext({ baseURL });
	// Sent at once: one after another, on a busy machine the bucket refilled (2 a second) as fast as the
	// calls were answered, and none was past the burst.
	const responses = await Promise.all(Array.from({ length: 75 }, () => call(api, '/units', key)));
	const statuses = responses.map((response) => response.status());
	const refused = responses.find((response) => response.status() === 429) ?? null;
	expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(60);
	expect(refused, 'a call past the burst is refused').not.toBeNull();
	expect(Number(refused!.headers()['retry-after'])).toBeGreaterThan(0);
	expect((await refused!.json()).error.message).toContain('请求过于频繁');
	await api.dispose();
});
