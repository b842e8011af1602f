/**
 * What an attacker or a curious insider tried (security round 2): redirects that leave the site,
 * action names that reach Object's members, refusals that left no trace, drafts read by others.
 */
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { month } from './page-list';
import { expect, signIn, test } from './fixtures';

test.use({ account: null });

async function as(baseURL: string, username: string): Promise<APIRequestContext> {
	const api = await playwrightRequest.newContext({ baseURL });
	await signIn(api, baseURL, username);
	return api;
}

const offSite = [
	'/%09/evil.example',
	'/%0A/evil.example',
	'/%0D/evil.example',
	'/\\evil.example',
	'//evil.example',
	'/%E3%80%80/x',
	'/%5Cevil'
];

test('going back after login, a language change or a notice never leaves the site', async ({ baseURL }) => {
	const origin = new URL(baseURL!).origin;
	const api = await as(baseURL!, 'leader');
	for (const target of offSite) {
		const login = await api.get(`/login?redirectTo=${encodeURIComponent(decodeURIComponent(target))}`, { maxRedirects: 0 });
		expect(login.status(), target).toBe(303);
		expect(new URL(login.headers()['location'], baseURL).origin, target).toBe(origin);
		const language = await api.post('/language', {
			form: { locale: 'zh-CN', back: decodeURIComponent(target) },
			headers: { origin: baseURL!, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(language.status(), target).toBe(303);
		expect(new URL(language.headers()['location'], baseURL).origin, target).toBe(origin);
	}
	// Nor does going on from a notice to the place it names.
	for (const target of offSite) {
		const onward = await api.post('/notifications?/read', {
			form: { id: '1', next: decodeURIComponent(target) },
			headers: { origin: baseURL!, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(onward.status(), target).toBe(303);
		expect(new URL(onward.headers()['location'], baseURL).origin, target).toBe(origin);
	}
	const here = await api.get(`/login?redirectTo=${encodeURIComponent('/initiatives/YRD-02?asOf=2024-06-30')}`, { maxRedirects: 0 });
	expect(here.headers()['location']).toBe('/initiatives/YRD-02?asOf=2024-06-30');
	await api.dispose();
});

test("an action name that is not an action (Object's members, 'default') is a 404, never a 500", async ({ baseURL }) => {
	const api = await as(baseURL!, 'staff');
	for (const [path, name] of ['/initiatives/YRD-01', '/login', '/language'].flatMap((p) =>
		['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'default', 'x%00y'].map((n) => [p, n])
	)) {
		const response = await api.post(`${path}?/${name}`, {
			form: {},
			headers: { origin: baseURL!, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(response.status(), `${path} ${name}`).toBe(404);
	}
	await api.dispose();
});

test('refused attempts are written to the security log, and the log cannot be flooded', async ({ baseURL, stored }) => {
	const api = await as(baseURL!, 'staff-tc');
	const count = () =>
		(
			stored.prepare(`SELECT count(*) AS n FROM security_event WHERE kind = 'access_denied' AND username = 'staff-tc'`).get() as {
				n: number;
			}
		).n;
	const before = count();
	for (let i = 0; i < 40; i++) {
		const response = await api.post('/admin/users?/create', {
			form: { username: `forged-${i}` },
			headers: { origin: baseURL!, accept: 'text/html' }
		});
		expect(response.status()).toBe(403);
	}
	expect(count() - before).toBeGreaterThan(0);
	expect(count() - before).toBeLessThanOrEqual(20);
	const last = stored
		.prepare(`SELECT detail FROM security_event WHERE kind = 'access_denied' AND username = 'staff-tc' ORDER BY id DESC LIMIT 1`)
		.get() as { detail: string };
	expect(JSON.parse(last.detail)).toMatchObject({ method: 'POST', path: '/admin/users?/create', status: 403 });
	await api.dispose();
});

test("another unit's draft is not readable, on the item page, in its data or its history, nor on the office's edit page", async ({
	baseURL
}) => {
	const secret = `草稿保密测试-${Date.now()}`;
	const writer = await as(baseURL!, 'staff-jyj');
	const saved = await writer.post(`/initiatives/LIV-03/report/${month()}`, {
		form: { intent: 'draft', progress: secret, problems: '', nextSteps: '' },
		headers: { origin: baseURL!, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(saved.status()).toBe(303);
	expect(await (await writer.get('/initiatives/LIV-03')).text()).toContain(secret);

	// staff (市发展改革委) is a co-unit of LIV-03: it writes its own contribution, not the lead's draft.
	for (const reader of ['leader', 'supervisor', 'staff-gxj', 'staff']) {
		const api = await as(baseURL!, reader);
		for (const url of ['/initiatives/LIV-03', '/initiatives/LIV-03?history', '/initiatives/LIV-03/__data.json']) {
			const body = await (await api.get(url)).text();
			expect(body, `${reader} ${url}`).not.toContain(secret);
		}
		expect(await (await api.get('/initiatives/LIV-03')).text()).toContain('草稿');
		await api.dispose();
	}
	// Nor on the office's edit page, which sent the whole item (its reports among it) to the browser.
	const office = await as(baseURL!, 'supervisor');
	for (const url of ['/initiatives/LIV-03/edit', '/initiatives/LIV-03/edit/__data.json']) {
		const answer = await office.get(url);
		expect(answer.status(), url).toBe(200);
		expect(await answer.text(), url).not.toContain(secret);
	}
	await office.dispose();
	await writer.dispose();
});

test('a form sent without a session goes on to the login page whole and is never read as a sign-in, though it names a user and a password', async ({
	baseURL
}) => {
	const api = await playwrightRequest.newContext({ baseURL });
	// The administrator's "new user" form, sent after the sign-in ran out (JavaScript off): it names an
	// existing account and its password.
	const form = { username: 'staff-ks', password: 'suzhou-demo-2021', displayName: '新同事（会话已失效时提交）' };
	const sent = await api.post('/admin/users?/create', { form, headers: { origin: baseURL!, accept: 'text/html' }, maxRedirects: 0 });
	expect(sent.status()).toBe(307);
	const login = sent.headers()['location'];
	expect(login).toMatch(/^\/login\?unsaved&redirectTo=%2Fadmin%2Fusers%3Funsaved&lostForm$/);
	// The browser sends it again there: the login page shows its texts and signs nobody in.
	const passedOn = await api.post(login, { form, headers: { origin: baseURL!, accept: 'text/html' }, maxRedirects: 0 });
	expect(passedOn.status()).toBe(401);
	expect(passedOn.headers()['set-cookie'] ?? '').not.toContain('session');
	const page = await passedOn.text();
	expect(page).toContain('新同事（会话已失效时提交）');
	// What was typed, but never a password.
	expect(page).toContain('id="unsaved-lost-1"');
	expect(page).not.toContain('id="unsaved-lost-2"');
	expect(page).not.toMatch(/<textarea[^>]*>suzhou-demo-2021/);
	expect((await api.get('/todo', { headers: { accept: 'text/html' }, maxRedirects: 0 })).headers()['location']).toBe(
		'/login?redirectTo=%2Ftodo'
	); // nobody signed in
	// The login form on that page posts to the login without the mark, where a sign-in is a sign-in.
	expect(page).toContain('action="?unsaved=&amp;redirectTo=%2Fadmin%2Fusers%3Funsaved"');
	await api.dispose();
});
