// Screenshots of the demo, as a reader sees it: light and dark, wide and 360 px.
// Usage: node scripts/screenshots.mjs [outDir]   (starts its own Vite server on 127.0.0.1)
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const out = process.argv[2] ?? 'screenshots';
mkdirSync(out, { recursive: true });
const port = 5199;
const server = spawn('./node_modules/.bin/vite', ['--config', 'vite.config.ts', '--port', String(port), '--strictPort'], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve) => server.stdout.on('data', (d) => String(d).includes('Local') && resolve()));

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  for (const [name, width, theme] of [['wide-light', 1280, 'light'], ['wide-dark', 1280, 'dark'], ['narrow-light', 360, 'light'], ['narrow-dark', 360, 'dark']]) {
    const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
    page.on('console', (m) => m.type() === 'error' && console.log(`[${name}] console:`, m.text()));
    page.on('pageerror', (e) => console.log(`[${name}] pageerror:`, e.message));
    await page.goto(`http://127.0.0.1:${port}/demo/`);
    await page.evaluate((t) => localStorage.setItem('parley-demo-theme', t), theme);
    await page.reload();
    await page.waitForFunction(() => document.querySelector('#seed-thread')?.shadowRoot?.querySelectorAll('parley-post').length > 3);
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
}
console.log(`screenshots in ${out}/`);
