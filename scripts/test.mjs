// `npm test`: type-check, build (the bundle is tested as a site owner would load it), check the
// built package's exports and its element manifest (scripts/package.test.mjs, manifest.test.mjs),
// build and test the reference server (server/, node:test) and its storage backends
// (server/storage/, on SQLite and PostgreSQL), then run the whole browser suite in headless
// Chromium against one reference server started here: a random 127.0.0.1 port, a temp database,
// seeding allowed (POST /v1/_seed), PARLEY_SSO_SECRET=test-secret-test-secret-test-secret! (36 bytes), any origin, no rate limits.
// Its URL reaches the browser as `window.__PARLEY_SERVER__` (web-test-runner.config.mjs reads
// PARLEY_TEST_SERVER). Extra arguments go to web-test-runner.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const chrome = process.env.CHROME_PATH ?? '/usr/bin/chromium';
if (!existsSync(chrome)) {
  console.error(
    `No Chromium found at ${chrome}.\n` +
      'The tests run in a real browser. Install one and run `npm test` again:\n' +
      '  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y chromium\n' +
      '  or point CHROME_PATH at an installed Chrome/Chromium binary, e.g.\n' +
      '  CHROME_PATH="/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" npm test',
  );
  process.exit(1);
}

const env = { ...process.env, CHROME_PATH: chrome };
const run = (cmd, args) => {
  const result = spawnSync(cmd, args, { stdio: 'inherit', env, cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

const bin = (name) => `${root}node_modules/.bin/${name}`;
run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
run(process.execPath, [`${root}scripts/build.mjs`]);
// The build, test and config scripts, type-checked once the build is there: the package tests
// import the built package (dist/lib) the way a consumer does.
run(bin('tsc'), ['-p', 'tsconfig.scripts.json']);
// The built package as a consumer sees it: its exports, parley-comments/testing under node:test,
// and the element manifest (fresh, public members only, all of it documented).
run(process.execPath, [
  '--test',
  '--test-reporter=dot',
  `${root}scripts/package.test.mjs`,
  `${root}scripts/manifest.test.mjs`,
]);
run(process.execPath, [`${root}server/build.mjs`]);

// `node scripts/test.mjs --files <globs>` runs only those browser tests (after the builds), for
// work on the front end; `npm test` runs everything.
const browserOnly = process.argv.includes('--files');

const serverTests = `${root}server/dist/server/test`;
const testFiles = readdirSync(serverTests)
  .filter((name) => name.endsWith('.test.js'))
  .map((name) => join(serverTests, name));
if (!browserOnly) {
  console.log(`\nReference server tests (${testFiles.length} files)`);
  run(process.execPath, ['--test', '--test-reporter=spec', ...testFiles]);
}

// The storage layer (server/storage/), compiled into its own dist (server/build.mjs empties
// server/dist), against both backends: SQLite in memory and PostgreSQL on a throwaway cluster
// (scripts/postgres.mjs; skipped with a message when PostgreSQL is not installed, unless
// PARLEY_REQUIRE_POSTGRES=1 as in CI).
if (!browserOnly) runStorageTests();

function runStorageTests() {
  const storageDist = `${root}server/storage/dist`;
  rmSync(storageDist, { recursive: true, force: true });
  run(bin('tsc'), ['-p', `${root}server/storage/tsconfig.json`]);
  const storageTests = `${storageDist}/server/storage/test`;
  const storageFiles = readdirSync(storageTests)
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => join(storageTests, name));
  console.log(`\nStorage tests, SQLite and PostgreSQL (${storageFiles.length} files)`);
  const storageStarted = performance.now();
  // One file at a time: each starts its own cluster, and CI machines have few cores.
  run(process.execPath, [
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec',
    ...storageFiles,
  ]);
  console.log(`Storage tests took ${((performance.now() - storageStarted) / 1000).toFixed(1)} s`);
}

/** Starts the built reference server for the browser tests; resolves once it listens. */
function startServer(dir) {
  const child = spawn(process.execPath, [`${root}server/dist/server/main.js`], {
    cwd: root,
    env: {
      ...process.env,
      PARLEY_HOST: '127.0.0.1',
      PARLEY_PORT: '0',
      PARLEY_DB: join(dir, 'browser-tests.sqlite'),
      PARLEY_ALLOW_SEED: 'on',
      PARLEY_SSO_SECRET: 'test-secret-test-secret-test-secret!',
      // The test page's origin (http://localhost:<wtr port>) is not known in advance.
      PARLEY_ORIGINS: '*',
      PARLEY_RATE_USER: 'off',
      PARLEY_RATE_ADDRESS: 'off',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`the reference server did not start in 15 s:\n${output}`)),
      15_000,
    );
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the reference server exited with ${code}:\n${output}`));
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'parley-browser-tests-'));
let server;
const stopServer = () =>
  new Promise((resolve) => {
    if (!server || server.child.exitCode !== null || server.child.signalCode !== null)
      return resolve(undefined);
    server.child.once('exit', () => resolve(undefined));
    server.child.kill('SIGTERM');
  });

let status = 1;
try {
  server = await startServer(dir);
  console.log(`\nBrowser tests, with the reference server at ${server.url}`);
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.on(signal, () => server.child.kill('SIGTERM'));
  // Asynchronous, so this process keeps reading the server's output while the tests run.
  const wtr = spawn(
    bin('wtr'),
    ['--config', 'web-test-runner.config.mjs', ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      cwd: root,
      env: { ...env, PARLEY_TEST_SERVER: server.url },
    },
  );
  status = await new Promise((resolve) =>
    wtr.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))),
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
} finally {
  await stopServer();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
