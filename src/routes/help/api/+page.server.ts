import { requireUser } from '$lib/server/auth/guard';
import { openApiDocument } from '$lib/server/api/openapi';
import type { PageServerLoad } from './$types';

type Schema = {
	type?: string | string[];
	description?: string;
	properties?: Record<string, Schema>;
	items?: Schema;
	enum?: unknown[];
	anyOf?: Schema[];
};
type Operation = {
	summary: string;
	description: string;
	parameters: { name: string; in: string; required: boolean; description?: string; schema: Schema }[];
	responses: Record<string, { content?: { 'application/json': { schema: Schema } } }>;
};

/** The OpenAPI description as a page: the same document /api/v1/openapi.json serves. */
export const load = (({ locals, url }) => {
	requireUser(locals);
	const spec = openApiDocument(url.origin) as { servers: { url: string }[]; paths: Record<string, { get: Operation }> };
	const typeOf = (s: Schema): string =>
		s.enum
			? s.enum.map(String).join(' | ')
			: s.anyOf
				? s.anyOf.map(typeOf).join(' | ')
				: s.type === 'array'
					? `${typeOf(s.items ?? {})}[]`
					: String(s.type ?? 'object');
	return {
		base: spec.servers[0].url,
		endpoints: Object.entries(spec.paths).map(([path, { get }]) => ({
			path,
			summary: get.summary,
			description: get.description,
			cityOnly: '403' in get.responses,
			parameters: get.parameters.map((p) => ({
				name: p.name,
				where: p.in,
				required: p.required,
				type: typeOf(p.schema),
				description: p.description ?? ''
			})),
			fields: Object.entries(get.responses['200'].content?.['application/json'].schema.properties ?? {}).map(([name, s]) => ({
				name,
				type: typeOf(s),
				description: s.description ?? ''
			}))
		}))
	};
}) satisfies PageServerLoad;
