// Screenshots of the demo as a reader sees it: light and dark, wide and 360 px, plus the
// interactive states (quote popover, mention suggestions, reply box, preview) and the article
// page with its comments-mode thread.
// Usage: node scripts/screenshots.mjs [outDir]   (starts its own Vite server on 127.0.0.1)
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { launchChromium } from './chromium.mjs';

const out = process.argv[2] ?? 'screenshots';
mkdirSync(out, { recursive: true });
const port = 5199;
const server = spawn(
  './node_modules/.bin/vite',
  ['--config', 'vite.config.ts', '--port', String(port), '--strictPort'],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
await new Promise((resolve) =>
  server.stdout.on('data', (d) => String(d).includes('Local') && resolve(undefined)),
);

const browser = await launchChromium();

/**
 * A page of the demo (`path`, the seed discussion by default) with a theme and fresh demo data,
 * once the thread `selector` shows more than three posts.
 */
async function open(width, theme, height = 900, path = '', selector = '#seed-thread') {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
  page.on('console', (m) => m.type() === 'error' && console.log(`console: ${m.text()}`));
  page.on('pageerror', (e) => console.log(`pageerror: ${e.message}`));
  await page.goto(`http://127.0.0.1:${port}/demo/${path}`);
  await page.evaluate((t) => {
    for (const key of Object.keys(localStorage))
      if (key.startsWith('parley:')) localStorage.removeItem(key);
    localStorage.setItem('parley-demo-theme', t);
  }, theme);
  await page.reload();
  await page.waitForFunction(
    (sel) =>
      (document.querySelector(sel)?.shadowRoot?.querySelectorAll('parley-post').length ?? 0) > 3,
    selector,
  );
  await page.waitForTimeout(300);
  return page;
}

const thread = (page) => page.locator('#seed-thread');

try {
  for (const [name, width, theme] of [
    ['wide-light', 1280, 'light'],
    ['wide-dark', 1280, 'dark'],
    ['narrow-light', 360, 'light'],
    ['narrow-dark', 360, 'dark'],
  ]) {
    const page = await open(width, theme);
    // A full-page capture is not scrolling: render every post, skipped or not.
    await page.addStyleTag({
      content: 'parley-thread::part(post) { content-visibility: visible; }',
    });
    await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
    await page.close();
  }
  for (const [width, theme] of [
    [1280, 'light'],
    [360, 'dark'],
  ]) {
    const tag = `${width === 360 ? 'narrow' : 'wide'}-${theme}`;
    // Quote popover over p4's quote.
    let page = await open(width, theme, 800);
    const jump = thread(page)
      .locator('parley-post[data-post-id="p4"]')
      .locator('parley-quote')
      .locator('[part="jump"]');
    await jump.scrollIntoViewIfNeeded();
    await jump.focus();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}/state-quote-popover-${tag}.png` });
    // Signed in, mention suggestions in the main composer.
    await page.selectOption('#viewer', 'u-dqualls');
    const field = thread(page).locator('parley-composer.main').locator('textarea');
    await field.waitFor();
    await field.scrollIntoViewIfNeeded();
    await field.click();
    await page.keyboard.type('Thanks @an');
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${out}/state-mentions-${tag}.png` });
    await page.keyboard.press('Enter');
    await page.keyboard.type(' — **great** point, see https://example.org');
    await thread(page).locator('parley-composer.main').locator('[role="tab"]').nth(1).click();
    await page.waitForTimeout(100);
    await page.screenshot({ path: `${out}/state-preview-${tag}.png` });
    // Reply box under p2 and a jump highlight.
    await thread(page)
      .locator('parley-post[data-post-id="p2"]')
      .locator('[data-action="reply"]')
      .click();
    await page.keyboard.type('An inline reply');
    await page.waitForTimeout(150);
    await page.screenshot({ path: `${out}/state-reply-${tag}.png` });
    await page.close();
  }
  // The article page: a comments-mode thread under an article.
  for (const [name, width, theme] of /** @type {[string, number, string][]} */ ([
    ['article-wide-light', 1280, 'light'],
    ['article-wide-dark', 1280, 'dark'],
    ['article-narrow-light', 360, 'light'],
    ['article-narrow-dark', 360, 'dark'],
  ])) {
    const page = await open(width, theme, 900, 'article.html', '#comments');
    await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
}
console.log(`screenshots in ${out}/`);
