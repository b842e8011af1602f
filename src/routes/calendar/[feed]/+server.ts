import { error } from '@sveltejs/kit';
import { m } from '$lib/i18n';
import { appDb } from '$lib/server/app-db';
import { feedScope, feedText } from '$lib/server/calendar-feed';
import type { RequestHandler } from './$types';

/** A calendar feed: its secret address is the credential (calendar programs send no cookie). */
export const GET: RequestHandler = ({ params }) => {
	const now = new Date();
	const db = appDb();
	const scope = feedScope(db, params.feed.replace(/\.ics$/, ''), now);
	if (!scope) error(404, m.feed_not_found());
	return new Response(feedText(db, scope, now), {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'cache-control': 'private, max-age=300',
			'x-robots-tag': 'noindex',
			'referrer-policy': 'no-referrer'
		}
	});
};
