// `node server/build.mjs`: compiles the reference server with `tsc -p server/tsconfig.json` into
// server/dist/ (server/dist/server/main.js is the entry point), and strips the types from
// demo/seed.ts into server/dist/demo/seed.js so the server seeds the demo's own data.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}server/dist`;

rmSync(dist, { recursive: true, force: true });
const result = spawnSync(`${root}node_modules/.bin/tsc`, ['-p', `${root}server/tsconfig.json`], {
  stdio: 'inherit',
});
if (result.status !== 0) process.exit(result.status ?? 1);

const source = readFileSync(`${root}demo/seed.ts`, 'utf8');
const { outputText } = ts.transpileModule(source, {
  compilerOptions: {
    module: ts.ModuleKind.ESNext,
    target: ts.ScriptTarget.ES2022,
    verbatimModuleSyntax: true,
  },
  fileName: 'seed.ts',
});
if (/^\s*import\s/m.test(outputText)) {
  console.error(
    'server/build.mjs: demo/seed.ts now imports values; the server can only use it while it imports types alone.',
  );
  process.exit(1);
}
mkdirSync(`${dist}/demo`, { recursive: true });
writeFileSync(`${dist}/demo/seed.js`, outputText);
