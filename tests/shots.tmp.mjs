import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const base = 'http://127.0.0.1:3003';
const [user, path, out, width, full] = process.argv.slice(2);
const ctx = await browser.newContext({ baseURL: base, viewport: { width: Number(width ?? 1280), height: 900 } });
const page = await ctx.newPage();
page.on('console', (m) => m.type() === 'error' && console.log('console', m.text()));
await page.request.post('/login', {
	form: { username: user, password: 'suzhou-demo-2021' },
	headers: { origin: base, accept: 'text/html' },
	maxRedirects: 0
});
await page.goto(path);
await page.waitForTimeout(500);
if (full === 'charts') {
	await page.locator('.charts').screenshot({ path: `/tmp/s/${out}.png` });
} else await page.screenshot({ path: `/tmp/s/${out}.png`, fullPage: full !== 'no' });
await browser.close();
