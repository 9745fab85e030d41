// `npm run build`:
//   dist/parley.js  one self-contained, minified ES module (Lit, marked, DOMPurify, Floating UI
//                   inside) that registers every element: what a site owner loads with a script tag.
//   dist/lib/       ES modules with dependencies external, plus .d.ts types: what bundlers import.
//   custom-elements.json  the element manifest, from the components' JSDoc.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => `${root}node_modules/.bin/${name}`;
const run = (cmd, args) => {
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

await build({
  root,
  configFile: false,
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'parley.js' },
  },
});

run(bin('tsc'), ['-p', 'tsconfig.build.json']);
run(bin('cem'), ['analyze', '--litelement', '--globs', 'src/components/**/*.component.ts', '--outdir', '.', '--quiet']);

const bundle = readFileSync(`${root}dist/parley.js`);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`dist/parley.js  ${kb(bundle.length)}  (gzip ${kb(gzipSync(bundle, { level: 9 }).length)})`);
