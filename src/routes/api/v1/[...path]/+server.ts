import { answerApi, refusedCall } from '$lib/server/api/handler';
import type { RequestHandler } from './$types';

/** The read API: GET only. */
export const GET: RequestHandler = (event) => answerApi(event, event.params.path);

/** Any other method, in the API's own error format rather than SvelteKit's plain text. */
export const fallback: RequestHandler = () => refusedCall('method');
