// `npm test`: type-check, build (the bundle is tested as a site owner would load it), then run
// the whole suite in headless Chromium. Extra arguments go to web-test-runner.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

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

const run = (cmd, args) => {
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, CHROME_PATH: chrome } });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
run(process.execPath, [new URL('./build.mjs', import.meta.url).pathname]);
run(bin('wtr'), ['--config', 'web-test-runner.config.mjs', ...process.argv.slice(2)]);
