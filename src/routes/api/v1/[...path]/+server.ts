import { answerApi } from '$lib/server/api/handler';
import type { RequestHandler } from './$types';

/** The read API: GET only (any other method is refused by SvelteKit with 405). */
export const GET: RequestHandler = (event) => answerApi(event, event.params.path);
