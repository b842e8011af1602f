import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '$lib/server/content-security-policy';

const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('contentSecurityPolicy', () => {
	it('allows exactly the inline scripts and styles of the page, by the hash of their text', () => {
		const start = '\n\t{ kit.start(app, element, { data: "苏州" }); }\n';
		const style = 'body { margin: 0 }';
		const html = `<html><head><script type="module" src="/_app/start.js"></script><style>${style}</style></head><body><script>${start}</script></body></html>`;
		const policy = contentSecurityPolicy(html);
		const directive = (name: string) => policy.split('; ').find((d) => d.startsWith(`${name} `));
		expect(directive('script-src')).toBe(`script-src 'self' ${sha(start)}`);
		expect(directive('style-src')).toBe(`style-src 'self' ${sha(style)}`);
		expect(directive('frame-ancestors')).toBe("frame-ancestors 'none'");
		expect(directive('object-src')).toBe("object-src 'none'");
	});

	it('allows no inline script on a page without one', () => {
		const policy = contentSecurityPolicy('<html><body><script src="/a.js"></script><p>无脚本</p></body></html>');
		expect(policy).toContain("script-src 'self'; ");
		expect(policy).not.toContain('sha256-');
	});
});
