/**
 * Answers a call of the read API: the key (Authorization: Bearer), the rate limits, the parameters
 * checked by the endpoint's schemas, the answer checked by its schema, and one line in the call log,
 * whatever the outcome. Errors are JSON `{ error: { code, message } }` with the message in Chinese,
 * the office's language (the API serves its systems, not a browser with a language setting).
 */
import type { RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { endOfSuzhouDay, suzhouToday } from '$lib/dates';
import { parseViewMoment } from '$lib/view-moment';
import { m } from '$lib/i18n';
import { appDb } from '../app-db';
import { inDocumentLanguage } from '../document-language';
import { pastViewReady } from '../portfolio';
import { clientAddress } from '../request';
import { ApiError, DIGITS, endpointFor, paramIssue } from './endpoints';
import { openApiDocument } from './openapi';
import { RateLimiter } from './rate-limit';
import { logCall, scopeOfKey } from './tokens';

/**
 * Per key: 120 calls a minute on average, 60 at once. Calls without a valid key, per address, the
 * same: a client set up wrong learns why (401) before it is slowed; a flood of them is refused (429)
 * before it fills the call log. (Guessing a 256-bit key is hopeless at any rate.)
 */
export const perKey = new RateLimiter(120, 60);
export const perAddress = new RateLimiter(120, 60);

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
	new Response(JSON.stringify(body), {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }
	});

const refusal = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
	json(status, { error: { code, message } }, headers);

/** A call the API refuses before any key is read, in its own words: a method other than GET, an address that does not decode, no such endpoint. */
export function refusedCall(kind: 'method' | 'address' | 'endpoint'): Response {
	return inDocumentLanguage(() =>
		kind === 'method'
			? refusal(405, 'method_not_allowed', m.api_method_not_allowed(), { allow: 'GET' })
			: kind === 'address'
				? refusal(400, 'bad_address', m.api_bad_address())
				: refusal(404, 'no_such_endpoint', m.api_not_found())
	);
}

/** The first issues of a failed parse, as a person reads them: which parameter, and what it may be (not the schema library's words). */
function issueText(error: z.ZodError): string {
	// One rule a parameter, the last it breaks: a huge page number breaks the largest integer and the
	// largest page, and is told the largest page.
	const byName = new Map<string, z.core.$ZodIssue>();
	for (const issue of error.issues) byName.set(issue.path.join('.') || '?', issue);
	return [...byName]
		.slice(0, 3)
		.map(([name, issue]) => paramIssue(name, ruleOf(issue)))
		.join(m.remark_separator());
}

function ruleOf(issue: z.core.$ZodIssue): string {
	if (issue.code === 'too_big')
		return issue.origin === 'string'
			? m.api_param_max_length({ max: String(issue.maximum) })
			: m.api_param_max({ max: String(issue.maximum) });
	if (issue.code === 'too_small') return m.api_param_min({ min: String(issue.minimum) });
	if (issue.code === 'invalid_value') return m.api_param_one_of({ values: issue.values.map(String).join(' | ') });
	if (
		(issue.code === 'invalid_type' && issue.expected === 'number') ||
		(issue.code === 'invalid_format' && issue.pattern === String(DIGITS))
	)
		return m.api_param_integer();
	return m.api_param_invalid();
}

export async function answerApi(event: RequestEvent, path: string): Promise<Response> {
	const started = performance.now();
	const db = appDb();
	const at = new Date().toISOString();
	const address = clientAddress(event);
	let tokenId: number | null = null;
	const response = await inDocumentLanguage(async () => {
		if (path === 'openapi.json') return json(200, openApiDocument(event.url.origin), { 'cache-control': 'public, max-age=300' });
		const key = /^Bearer\s+(\S+)$/i.exec(event.request.headers.get('authorization') ?? '')?.[1] ?? null;
		const scope = key ? scopeOfKey(db, key, at) : null;
		if (!scope) {
			const wait = perAddress.take(address ?? 'unknown');
			if (wait) return refusal(429, 'rate_limited', m.api_rate_limited({ seconds: wait }), { 'retry-after': String(wait) });
			return refusal(401, key ? 'invalid_key' : 'missing_key', key ? m.api_key_invalid() : m.api_key_missing(), {
				'www-authenticate': 'Bearer'
			});
		}
		tokenId = scope.tokenId;
		const wait = perKey.take(String(scope.tokenId));
		const limits = { 'x-ratelimit-limit': String(perKey.perMinute), 'x-ratelimit-remaining': String(perKey.left(String(scope.tokenId))) };
		if (wait) return refusal(429, 'rate_limited', m.api_rate_limited({ seconds: wait }), { ...limits, 'retry-after': String(wait) });
		const found = endpointFor(path);
		if (!found) return refusal(404, 'no_such_endpoint', m.api_not_found(), limits);
		const { endpoint } = found;
		if (endpoint.cityOnly && scope.unitId !== null) return refusal(403, 'city_only', m.api_city_only(), limits);
		const params = endpoint.params.safeParse(found.params);
		const given = event.url.searchParams;
		// A parameter the endpoint does not take is refused, not ignored: `asOf` on a month's summary
		// (always as of its month's end or today) would otherwise answer another day than the one asked.
		const takes = Object.keys(endpoint.query.shape);
		const unknown = [...given.keys()].find((name) => !takes.includes(name));
		if (unknown !== undefined) {
			const rule = m.api_param_not_taken({ takes: takes.length ? takes.join(', ') : m.api_param_none() });
			return refusal(400, 'bad_request', m.api_bad_request({ detail: paramIssue(unknown, rule) }), limits);
		}
		// A parameter given twice is refused, not read as its first or last value.
		const repeated = [...new Set(given.keys())].find((name) => given.getAll(name).length > 1);
		if (repeated) return refusal(400, 'bad_request', m.api_bad_request({ detail: paramIssue(repeated, m.api_param_repeated()) }), limits);
		// An empty value is no value (as a form sends a field left blank): `unit=` filters nothing, as `asOf=` always did.
		const query = endpoint.query.safeParse(Object.fromEntries([...given].filter(([, value]) => value !== '')));
		if (!params.success) return refusal(400, 'bad_request', m.api_bad_request({ detail: issueText(params.error) }), limits);
		if (!query.success) return refusal(400, 'bad_request', m.api_bad_request({ detail: issueText(query.error) }), limits);
		const today = suzhouToday();
		// A past day nobody looked at yet is computed off the event loop first (`pastViewReady`), for an admitted call only.
		const moment = parseViewMoment((query.data as { asOf?: string }).asOf ?? null, today);
		if (moment.ok && moment.moment.asOf) await pastViewReady(db, endOfSuzhouDay(moment.moment.asOf), moment.moment.asOf);
		try {
			const answer = endpoint.run({ db, scope, today }, { params: params.data, query: query.data });
			// The answer is checked against the schema the description publishes: it never says one thing and sends another.
			return json(200, endpoint.response.parse(answer), limits);
		} catch (e) {
			if (e instanceof ApiError) return refusal(e.status, e.code, e.message, limits);
			throw e;
		}
	});
	logCall(db, {
		at,
		tokenId,
		method: event.request.method,
		path: `/api/v1/${path}${event.url.search}`.slice(0, 500),
		status: response.status,
		address,
		ms: Math.round(performance.now() - started)
	});
	return response;
}
