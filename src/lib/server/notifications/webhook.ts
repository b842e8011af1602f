/**
 * Group robots (群机器人): the message as DingTalk and WeCom accept it, signed where they sign.
 * - DingTalk (钉钉自定义机器人): markdown; with a secret (加签), `timestamp` (ms) and `sign` =
 *   Base64(HMAC-SHA256(secret, timestamp + "\n" + secret)) are added to the address. Answers
 *   `{ errcode: 0 }` when taken.
 * - WeCom (企业微信群机器人): markdown `content`; answers `{ errcode: 0 }`.
 * - Any other endpoint: the notice as JSON; with a secret, `X-Signature: sha256=<hex HMAC of the body>`
 *   and `X-Timestamp`. Any 2xx answer means taken.
 * Every message carries its outbox id (`msgId`, or in the text), so a receiver can tell a repeat.
 */
import { m } from '$lib/i18n';
import { inDocumentLanguage } from '../document-language';
import { createHmac } from 'node:crypto';
import { deadline } from './deadline';
import type { WebhookKind } from '$lib/notification-events';

export type WebhookTarget = { kind: WebhookKind; url: string; secret: string | null };
export type OutgoingMessage = { id: number; event: string; title: string; body: string; link: string; at: string };

export function dingTalkSign(secret: string, timestamp: number): string {
	return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

/**
 * A message's own text as plain text inside Markdown: the characters Markdown (and the HTML it lets
 * through) reads as markup are written full-width, as Chinese text writes them anyway. A unit's
 * words (an answer to a 批示, a comment) then read as they were typed in the group, never as a link,
 * a picture or a heading posing as the system's; the only link is the message's own.
 */
export function asPlainMarkdown(text: string): string {
	return text.replace(/[[\]()!#*_`<>~|\\=]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/** The request a robot of `target.kind` takes for `message`. */
export function webhookRequest(target: WebhookTarget, message: OutgoingMessage, now = Date.now()): { url: string; init: RequestInit } {
	// In the language of the message itself (the documents'), as its title and body are.
	const open = inDocumentLanguage(() => m.robot_open_link());
	const markdown = `**${asPlainMarkdown(message.title)}**\n\n${asPlainMarkdown(message.body)}${message.link ? `\n\n[${open}](${message.link})` : ''}`;
	const json = (body: unknown, headers: Record<string, string> = {}) => ({
		method: 'POST',
		headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
		body: JSON.stringify(body)
	});
	if (target.kind === 'dingtalk') {
		const url = new URL(target.url);
		if (target.secret) {
			url.searchParams.set('timestamp', String(now));
			url.searchParams.set('sign', dingTalkSign(target.secret, now));
		}
		return {
			url: url.href,
			init: json({ msgtype: 'markdown', markdown: { title: message.title, text: markdown }, msgId: String(message.id) })
		};
	}
	if (target.kind === 'wecom') return { url: target.url, init: json({ msgtype: 'markdown', markdown: { content: markdown } }) };
	const body = {
		msgId: String(message.id),
		event: message.event,
		title: message.title,
		body: message.body,
		link: message.link,
		at: message.at
	};
	const text = JSON.stringify(body);
	const headers: Record<string, string> = { 'x-timestamp': String(now) };
	if (target.secret) headers['x-signature'] = `sha256=${createHmac('sha256', target.secret).update(`${now}.${text}`).digest('hex')}`;
	return {
		url: target.url,
		init: { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: text }
	};
}

/** How long a robot has to answer, its whole answer read. */
const ANSWER_MS = 15_000;
/** What is read of a robot's answer: a robot's is a line of JSON. */
const ANSWER_BYTES = 64 * 1024;

/** Sends and checks the answer; throws with the reason when the robot did not take it (within 15 s, or before `signal` fires). */
export async function postWebhook(target: WebhookTarget, message: OutgoingMessage, signal?: AbortSignal): Promise<void> {
	const { url, init } = webhookRequest(target, message);
	// Held until the whole answer is read (`deadline`).
	const due = deadline(ANSWER_MS, new Error(`no answer within ${ANSWER_MS / 1000} s`));
	let text: string;
	let response: Response;
	try {
		response = await fetch(url, { ...init, redirect: 'error', signal: signal ? AbortSignal.any([due.signal, signal]) : due.signal });
		text = await answerText(response);
	} finally {
		due.clear();
	}
	// The answer's body is not kept: an address that is no robot (a service inside the network) would
	// otherwise have its pages shown on the administrator's outbox. A robot's own error is (errmsg).
	if (!response.ok) throw new Error(`HTTP ${response.status}`);
	if (target.kind === 'generic') return;
	let answer: { errcode?: number; errmsg?: string } = {};
	try {
		answer = JSON.parse(text) as typeof answer;
	} catch {
		throw new Error(`not a robot's answer (HTTP ${response.status}, ${response.headers.get('content-type') ?? 'no type'})`);
	}
	if (answer.errcode !== 0) throw new Error(`errcode ${String(answer.errcode)}: ${String(answer.errmsg ?? '').slice(0, 200)}`);
}

/** The first ANSWER_BYTES of an answer's body as text; the rest is not read. */
async function answerText(response: Response): Promise<string> {
	if (!response.body) return '';
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	try {
		while (size < ANSWER_BYTES) {
			const { done, value } = await reader.read();
			if (done) break;
			chunks.push(value);
			size += value.byteLength;
		}
	} finally {
		await reader.cancel().catch(() => {});
	}
	return Buffer.concat(chunks).subarray(0, ANSWER_BYTES).toString('utf8').slice(0, 2000);
}
