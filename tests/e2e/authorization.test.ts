import { request as playwrightRequest, type APIResponse } from '@playwright/test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { accounts, actors, matrix, reads, type Actor } from './authorization-matrix';
import { expect, signIn, test } from './fixtures';

/** Every mutating action and endpoint in src/routes, as `route action`. */
function mutationsInRoutes(dir = 'src/routes'): string[] {
	const found: string[] = [];
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) {
			found.push(...mutationsInRoutes(path));
			continue;
		}
		const route = '/' + relative('src/routes', dir).split('\\').join('/');
		const text = readFileSync(path, 'utf8');
		if (name === '+page.server.ts') {
			const block = text.match(/export const actions = \{([\s\S]*?)\n\} satisfies Actions/);
			for (const m of block?.[1].matchAll(/^\t(\w+):/gm) ?? []) found.push(`${route.replace(/\/$/, '') || '/'} ${m[1]}`);
		}
		if (name === '+server.ts') {
			for (const m of text.matchAll(/export (?:const|async function|function) (POST|PUT|PATCH|DELETE)\b/g)) found.push(`${route} ${m[1]}`);
		}
	}
	return found;
}

/** Every route in src/routes (a folder with a page or an endpoint), as SvelteKit names it. */
function routesIn(dir = 'src/routes'): string[] {
	const names = readdirSync(dir);
	const here = names.some((n) => /^\+(page|server)\.|^\+page\.server\./.test(n))
		? ['/' + relative('src/routes', dir).split('\\').join('/')]
		: [];
	return [
		...here.map((r) => (r === '/' ? r : r.replace(/\/$/, ''))),
		...names.filter((n) => statSync(join(dir, n)).isDirectory()).flatMap((n) => routesIn(join(dir, n)))
	];
}

test.use({ account: null });

test('every route has a row in the table of reads', () => {
	const rows = reads.map((r) => r.route).sort();
	expect(rows).toEqual(routesIn().sort());
});

/**
 * How a read was answered: refused (401, 403, a way to the login page, or page data whose node
 * failed with 401/403) or allowed. Refused data must carry no data of the page. Every path of the
 * matrix names a record that exists, so a 404 is a refusal too: a record the reader may not read
 * (another unit's slip, a file it may not see) is answered as one that does not exist.
 */
async function readOutcome(response: APIResponse, isData: boolean): Promise<'allowed' | 'refused'> {
	const status = response.status();
	if (status === 401 || status === 403 || status === 404) return 'refused';
	if (status === 303 || status === 302) return (response.headers()['location'] ?? '').startsWith('/login') ? 'refused' : 'allowed';
	expect(status, response.url()).toBeLessThan(400);
	if (!isData) return 'allowed';
	const body = (await response.json()) as { type: string; location?: string; nodes?: ({ type: string; status?: number } | null)[] };
	if (body.type === 'redirect') return body.location?.startsWith('/login') ? 'refused' : 'allowed';
	const failed = body.nodes?.find((n) => n?.type === 'error' && (n.status === 401 || n.status === 403 || n.status === 404));
	if (failed) {
		expect(body.nodes?.at(-1)?.type, `${response.url()} refused, yet carries the page's data`).not.toBe('data');
		return 'refused';
	}
	return 'allowed';
}

for (const actor of actors) {
	test(`reading pages and their data as ${actor}`, async ({ baseURL }) => {
		const api = await playwrightRequest.newContext({ baseURL });
		if (actor !== 'anonymous') await signIn(api, baseURL!, accounts[actor]);
		const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
		// Logout last: it ends the session the other reads need.
		for (const row of [...reads].sort((a, b) => Number(a.route === '/logout') - Number(b.route === '/logout'))) {
			const path = row.path(month);
			const [pathname, query] = path.split('?');
			const dataPath = `${pathname === '/' ? '' : pathname}/__data.json${query ? `?${query}&` : '?'}`;
			const requests: [string, boolean][] = [[path, false]];
			// The page's data, and the same with every layout skipped (as the client asks after a navigation).
			if (row.data !== false) requests.push([dataPath.replace(/[?&]$/, ''), true], [`${dataPath}x-sveltekit-invalidated=01`, true]);
			for (const [url, isData] of requests) {
				const response = await api.get(url, { headers: { accept: isData ? '*/*' : 'text/html' }, maxRedirects: 0 });
				expect(response.status(), `${actor} GET ${url}`).toBeLessThan(500);
				if (row.public) continue;
				const expected = (row.allowed as readonly Actor[]).includes(actor) ? 'allowed' : 'refused';
				expect(await readOutcome(response, isData), `${actor} GET ${url} answered ${response.status()}`).toBe(expected);
			}
		}
		await api.dispose();
	});
}

test('every mutating action and endpoint has a row in the authorization matrix', () => {
	const rows = new Set(matrix.map((r) => `${r.route} ${r.action}`));
	const found = mutationsInRoutes();
	expect(found.length).toBeGreaterThan(5);
	expect(found.filter((f) => !rows.has(f))).toEqual([]);
	expect([...rows].filter((r) => !found.includes(r))).toEqual([]);
});

for (const actor of actors) {
	test(`authorization as ${actor}`, async ({ baseURL }) => {
		const api = await playwrightRequest.newContext({ baseURL });
		if (actor !== 'anonymous') await signIn(api, baseURL!, accounts[actor]);
		// A user id that does not exist: an allowed call is refused by validation, and nobody is changed.
		const someUserId = 999999;
		const currentMonth = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
		const outcomes: string[] = [];
		// Logout last: it ends the session the other calls need.
		for (const row of [...matrix].sort((a, b) => Number(a.route === '/logout') - Number(b.route === '/logout'))) {
			const path = row.route
				.replace('[id]', String(someUserId))
				.replace('[code]', row.code ?? 'YRD-02')
				.replace('[month]', currentMonth);
			const url = row.action === 'default' ? path : `${path}?/${row.action}`;
			const response = await api.post(url, { form: {}, headers: { origin: baseURL!, accept: 'text/html' }, maxRedirects: 0 });
			const status = response.status();
			const location = response.headers()['location'] ?? '';
			expect(status, `${actor} ${url}`).toBeLessThan(500);
			if (row.public) continue;
			// A form sent without a session goes on to the login page whole (307), any other request is sent there (303).
			const refused = status === 403 || status === 401 || ((status === 303 || status === 307) && location.startsWith('/login'));
			const expected = (row.allowed as readonly Actor[]).includes(actor) ? 'allowed' : 'refused';
			outcomes.push(`${url}: ${refused ? 'refused' : 'allowed'} (expected ${expected}, got ${status})`);
			expect(refused ? 'refused' : 'allowed', `${actor} ${url} answered ${status} ${location}`).toBe(expected);
		}
		expect(outcomes.length).toBe(matrix.filter((r) => !r.public).length);
		await api.dispose();
	});
}
