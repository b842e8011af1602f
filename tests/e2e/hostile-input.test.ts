import { request as playwrightRequest } from '@playwright/test';
import { formFields as fields, hostileValues as hostile } from '../helpers/hostile';
import { accounts, matrix } from './authorization-matrix';
import { expect, signIn, test } from './fixtures';

/**
 * Bad input never produces a server error: every action, called by an actor allowed to call it,
 * with hostile values in every field a form of this application has. (The full drill, with
 * thousands of generated requests, belongs to `npm run drills`.)
 */
test.use({ account: null });

test('hostile values in every field of every action get a 4xx or a redirect, never a 5xx', async ({ baseURL }) => {
	test.setTimeout(180_000);
	const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
	const contexts = new Map<string, Awaited<ReturnType<typeof playwrightRequest.newContext>>>();
	const failures: string[] = [];
	for (const row of matrix.filter((r) => !r.public && r.route !== '/logout')) {
		// Hostile current passwords count as failed logins and lock the account: that happens to an
		// account no other test signs in with, not to one the tests running beside this one need.
		const username =
			row.route === '/account/password'
				? 'staff-gsl'
				: accounts[(row.allowed.find((a) => a !== 'anonymous') ?? 'staff') as keyof typeof accounts];
		if (!contexts.has(username)) {
			const api = await playwrightRequest.newContext({ baseURL });
			await signIn(api, baseURL!, username);
			contexts.set(username, api);
		}
		const api = contexts.get(username)!;
		const path = row.route
			.replace('[id]', '999999')
			.replace('[code]', row.code ?? 'YRD-02')
			.replace('[month]', month);
		const url = row.action === 'default' ? path : `${path}?/${row.action}`;
		for (const [kind, value] of Object.entries(hostile)) {
			const response = await api.post(url, {
				form: Object.fromEntries(fields.map((f) => [f, value])),
				headers: { origin: baseURL!, accept: 'text/html' },
				maxRedirects: 0
			});
			if (response.status() >= 500) failures.push(`${username} ${url} ${kind}: ${response.status()}`);
		}
		const multipart = await api.post(url, {
			headers: { origin: baseURL!, accept: 'text/html', 'content-type': 'multipart/form-data; boundary=broken' },
			data: '--broken\r\nContent-Disposition: form-data; name="file"; filename="x.xlsx"\r\n\r\nnot an end',
			maxRedirects: 0
		});
		if (multipart.status() >= 500) failures.push(`${username} ${url} bad multipart: ${multipart.status()}`);
	}
	// Past the body size limit the server refuses before reading.
	const oversized = await contexts.get('supervisor')!.post(`/reviews?/approve`, {
		form: { comment: 'x'.repeat(7 * 1024 * 1024) },
		headers: { origin: baseURL!, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(oversized.status()).toBe(413);
	// A form posted where no form is (405), or an enhanced form's request with no form in it (415), is
	// the request's fault: the answer says so, not that the system failed for a while.
	const office = contexts.get('supervisor')!;
	for (const [url, headers, status] of [
		['/', { accept: 'text/html' }, 405],
		['/reviews?/approve', { accept: 'application/json', 'x-sveltekit-action': 'true' }, 415]
	] as const) {
		const response = await office.post(url, { headers: { origin: baseURL!, ...headers }, maxRedirects: 0 });
		expect(response.status(), url).toBe(status);
		const text = await response.text();
		expect(text, url).not.toContain('暂时无法完成');
		expect(text, url).toContain('请回到页面重新操作');
	}
	for (const api of contexts.values()) await api.dispose();
	expect(failures).toEqual([]);
});
