/**
 * The OpenAPI 3.1 description of the read API, made from the endpoints' own zod schemas (zod 4's
 * JSON Schema output), served at /api/v1/openapi.json and shown as a page at /help/api.
 */
import { z } from 'zod';
import { endpoints } from './endpoints';

let kept: { origin: string; document: object } | null = null;

const errorSchema = {
	type: 'object',
	properties: {
		error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] }
	},
	required: ['error']
};

function parametersOf(schema: z.ZodObject, where: 'path' | 'query') {
	const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
		properties?: Record<string, { description?: string }>;
		required?: string[];
	};
	return Object.entries(json.properties ?? {}).map(([name, property]) => ({
		name,
		in: where,
		required: where === 'path' || (json.required ?? []).includes(name),
		description: property.description,
		schema: { ...property, description: undefined }
	}));
}

export function openApiDocument(origin: string): object {
	if (kept?.origin === origin) return kept.document;
	const paths: Record<string, object> = {};
	for (const e of endpoints) {
		const error = (description: string) => ({
			description,
			content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } }
		});
		paths[e.path] = {
			get: {
				summary: e.summary,
				description: e.description,
				parameters: [...parametersOf(e.params, 'path'), ...parametersOf(e.query, 'query')],
				responses: {
					'200': {
						description: '成功',
						content: { 'application/json': { schema: z.toJSONSchema(e.response, { io: 'output', unrepresentable: 'any' }) } }
					},
					'400': error('参数有误'),
					'401': error('缺少或无效的密钥'),
					...(e.cityOnly ? { '403': error('仅限全市密钥') } : {}),
					'404': error('没有该任务，或密钥无权查看'),
					'429': error('请求过于频繁（见 Retry-After）')
				}
			}
		};
	}
	const document = {
		openapi: '3.1.0',
		info: {
			title: '苏州市重点任务督查督办 · 只读接口',
			version: '1.0.0',
			description:
				'供城市大屏、政务数据平台等系统读取重点任务、时间节点、审核通过的月度进展、单位和月报汇总。密钥由系统管理员签发（全市或某一单位），在请求头 Authorization: Bearer <密钥> 中提供。每个密钥平均每分钟 120 次请求。所有调用均有记录。'
		},
		servers: [{ url: `${origin}/api/v1` }],
		security: [{ bearer: [] }],
		components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: { Error: errorSchema } },
		paths
	};
	kept = { origin, document };
	return document;
}
