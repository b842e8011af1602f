/**
 * A refusal answered before SvelteKit renders anything (a form sent from another site, a disabled
 * account, a page the person's role may not open): one page in the person's language that looks like
 * the app's (its header with its name, the message in a panel), with the pages' policy. It carries no
 * navigation of the app: the person may open none of it (signed out) or the refusal says where to go.
 */
import { getLocale, m } from '$lib/i18n';
import { contentSecurityPolicy } from '../content-security-policy';

// The app's colours and font (app.css), inline: the page is written here, not by SvelteKit, and may
// not point at the built stylesheet, whose name changes with every build.
const STYLE = `body{margin:0;font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei','Noto Sans SC',sans-serif;color:#1f2933;background:#f4f6f8;line-height:1.6}
header{background:#b3261e;padding:.8rem 1rem}header a{color:#fff;font-weight:700;text-decoration:none}
main{max-width:40rem;margin:2rem auto;padding:0 1rem}
section{background:#fff;border:1px solid #d9dee3;border-radius:8px;padding:1rem 1.25rem}
h1{font-size:1.4rem;line-height:1.3;margin-top:.25rem}a{color:#0b57a4}`;

export type RefusalLink = { href: string; label: string };

/** The page: `title` for the tab, `heading` and `text` in the panel, and one way on. */
export const refusalPage = (title: string, heading: string, text: string, link: RefusalLink) =>
	`<!doctype html><html lang="${getLocale()}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>${STYLE}</style></head>
<body><header><a href="/">${m.app_name()}</a></header>
<main><section><h1>${heading}</h1><p>${text}</p>
<p><a href="${link.href}">${link.label}</a></p></section></main></body></html>`;

/** The answer: 403 with the page, its policy (the inline style's hash), and any `headers` given. */
export function refusal(html: string, headers: Record<string, string> = {}): Response {
	return new Response(html, {
		status: 403,
		headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': contentSecurityPolicy(html), ...headers }
	});
}
