/** The read API's parts that need no server: the rate limiter's arithmetic and the description. */
import { describe, expect, it } from 'vitest';
import { endpointFor, endpoints } from '$lib/server/api/endpoints';
import { openApiDocument } from '$lib/server/api/openapi';
import { RateLimiter } from '$lib/server/api/rate-limit';

describe('the rate limiter', () => {
	it('allows the burst, then one call per 1/rate, and says how long to wait', () => {
		const limiter = new RateLimiter(60, 5); // one a second on average
		const t0 = 1_000_000;
		for (let i = 0; i < 5; i++) expect(limiter.take('k', t0)).toBe(0);
		expect(limiter.take('k', t0)).toBe(1);
		expect(limiter.take('k', t0 + 999)).toBe(1);
		expect(limiter.take('k', t0 + 1000)).toBe(0);
		expect(limiter.take('other', t0)).toBe(0); // buckets are per key
		expect(limiter.take('k', t0 + 60_000)).toBe(0); // refilled, up to the burst
		expect(limiter.left('k')).toBe(4);
	});
});

describe('the OpenAPI description', () => {
	it('describes every endpoint from its own schemas, with the moment of its figures', () => {
		const doc = openApiDocument('https://duban.example') as {
			openapi: string;
			paths: Record<
				string,
				{
					get: {
						parameters: { name: string; in: string }[];
						responses: Record<string, { content?: { 'application/json': { schema: { properties: Record<string, unknown> } } } }>;
					};
				}
			>;
		};
		expect(doc.openapi).toBe('3.1.0');
		expect(Object.keys(doc.paths)).toEqual(endpoints.map((e) => e.path));
		for (const [path, { get }] of Object.entries(doc.paths)) {
			expect(get.responses['200'].content!['application/json'].schema.properties, path).toHaveProperty('asOf');
			for (const name of path.match(/\{(\w+)\}/g) ?? [])
				expect(
					get.parameters.some((p) => p.in === 'path' && `{${p.name}}` === name),
					`${path} ${name}`
				).toBe(true);
		}
		expect(doc.paths['/items'].get.parameters.map((p) => p.name)).toEqual(['asOf', 'theme', 'unit', 'light', 'status', 'page', 'pageSize']);
	});

	it('finds the endpoint of a path and its parameters, and nothing for others', () => {
		expect(endpointFor('items/YRD-01/reports')).toMatchObject({ endpoint: { path: '/items/{code}/reports' }, params: { code: 'YRD-01' } });
		expect(endpointFor('items/中')?.params).toEqual({ code: '中' });
		expect(endpointFor('items/%E4')?.params).toEqual({ code: '%E4' }); // taken as sent: SvelteKit has decoded the address
		expect(endpointFor('items/YRD-01/other')).toBeNull();
		expect(endpointFor('')).toBeNull();
	});
});
