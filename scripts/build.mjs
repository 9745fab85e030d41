// `npm run build`:
//   dist/parley.js  the entry a site owner loads with a script tag: a minified ES module (Lit,
//                   marked, DOMPurify inside) that registers every element; what only some readers
//                   use loads on first use from chunks beside it, dist/parley-<name>-<hash>.js
//                   (the composer's editor, Floating UI). Built with scripts/bundle-config.mjs
//                   (Lit templates minified, whitespace removed).
//   dist/parley.single.js  the same in one self-contained file, for who wants one file.
//   dist/lib/       ES modules with dependencies external, plus .d.ts types: what bundlers import.
//   custom-elements.json  the element manifest, from the components' JSDoc
//                   (custom-elements-manifest.config.mjs).
//   size-report.json      what dist/parley.js weighs, per dependency and per src area
//                         (scripts/size.mjs); the build fails when it is over the size budget.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { bundleConfig } from './bundle-config.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => `${root}node_modules/.bin/${name}`;
const run = (cmd, args) => {
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

/** @type {import('./minify-templates.mjs').TemplateStat[]} */
const templateStats = [];
await build(bundleConfig({ root, entry: 'src/parley.ts', outDir: 'dist', templateStats }));
await build(
  bundleConfig({
    root,
    entry: 'src/index.ts',
    outDir: 'dist',
    fileName: 'parley.single.js',
    emptyOutDir: false,
    singleFile: true,
  }),
);
const before = templateStats.reduce((n, s) => n + s.before, 0);
const after = templateStats.reduce((n, s) => n + s.after, 0);
console.log(`Lit templates: ${before} → ${after} characters in ${templateStats.length} modules`);

run(bin('tsc'), ['-p', 'tsconfig.build.json']);
// The element manifest; what goes into it is set in custom-elements-manifest.config.mjs.
run(bin('cem'), ['analyze', '--quiet']);

// Size report and budget: prints the table, writes size-report.json, exits non-zero when over.
run(process.execPath, [`${root}scripts/size.mjs`]);
