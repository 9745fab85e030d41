// Runs every test/**/*.test.ts in headless Chromium (Debian's /usr/bin/chromium or CHROME_PATH).
// When scripts/test.mjs has started the reference server (server/), PARLEY_TEST_SERVER holds its
// URL and the test page gets it as `window.__PARLEY_SERVER__`; without it the server tests skip.
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';

const executablePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const server = process.env.PARLEY_TEST_SERVER;
const serverScript = server
  ? `<script>window.__PARLEY_SERVER__ = ${JSON.stringify(server)};</script>`
  : '';

export default {
  files: ['test/**/*.test.ts'],
  nodeResolve: { exportConditions: ['development'] },
  // dist/ again under /dist-without-<name>/, where the chunk parley-<name>-<hash>.js answers 503,
  // as on a network that failed, and under /dist-slow-<name>/, where it answers after a second,
  // as on a slow one: tests load the bundle from there to see that handled.
  middleware: [
    async (ctx, next) => {
      const match = /^\/dist-(without|slow)-([\w-]+)\/(.*)$/.exec(ctx.path);
      if (match) {
        const [, how, name, file] = match;
        if (new RegExp(`^parley-${name}-[\\w-]+\\.js$`).test(file)) {
          if (how === 'without') {
            ctx.status = 503;
            return undefined;
          }
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
        ctx.path = `/dist/${file}`;
      }
      return next();
    },
  ],
  plugins: [
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)),
    }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Parley tests</title>${serverScript}</head>
  <body><script type="module" src="${testFramework}"></script></body>
</html>`,
};
