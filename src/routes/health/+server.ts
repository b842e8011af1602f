import { text } from '@sveltejs/kit';
import { appDb } from '$lib/server/app-db';
import type { RequestHandler } from './$types';

/**
 * The health check (健康检查) for a load balancer, a monitor or a start script: 200 `ok` once the
 * database answers a query. Public, cheap, and never cached.
 */
export const GET: RequestHandler = () => {
	appDb().$client.prepare('SELECT 1').pluck().get();
	return text('ok', { headers: { 'cache-control': 'no-store' } });
};
