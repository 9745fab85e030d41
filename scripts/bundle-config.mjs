// The Vite settings of dist/parley.js, in one place: scripts/build.mjs builds the bundle with them
// and scripts/size.mjs builds each dependency alone with the same ones, so the two compare.
import { minifyLitTemplatesPlugin } from './minify-templates.mjs';

/**
 * Vite inline config for a self-contained, minified ES module.
 * @param {object} o
 * @param {string} o.root       project root
 * @param {string} o.entry      entry module (relative to root, or a virtual id)
 * @param {string} o.outDir     output folder
 * @param {string} [o.fileName] output file name
 * @param {boolean} [o.sourcemap]
 * @param {boolean} [o.emptyOutDir]
 * @param {import('vite').Plugin[]} [o.plugins]  extra plugins (a virtual entry, say)
 * @param {import('./minify-templates.mjs').TemplateStat[]} [o.templateStats]  receives `{ file, before, after }` per module whose Lit templates were minified
 * @param {boolean} [o.singleFile]  one file with every chunk inlined, instead of an entry that loads
 *   the rest (the composer's editor, Floating UI, …) on first use
 * @returns {import('vite').InlineConfig}
 */
export function bundleConfig({
  root,
  entry,
  outDir,
  fileName = 'parley.js',
  sourcemap = true,
  emptyOutDir = true,
  plugins = [],
  templateStats,
  singleFile = false,
}) {
  return {
    root,
    configFile: false,
    logLevel: 'warn',
    // Lit's `production` export condition is Vite's default for a build (no `development`), so
    // the bundle gets Lit's production code without dev-mode warnings. scripts/size.mjs checks.
    plugins: [minifyLitTemplatesPlugin({ stats: templateStats }), ...plugins],
    build: {
      outDir,
      emptyOutDir,
      target: 'es2022', // es2020 lowers class fields: 0.7 KB gzip more
      // Oxc. Measured: terser instead is 0.35 KB gzip bigger; terser after Oxc saves 0.3 KB.
      minify: true,
      sourcemap,
      lib: { entry, formats: ['es'], fileName: () => fileName },
      rolldownOptions: {
        // A chunk loaded on first use imports what it shares with the entry from the entry itself
        // (`./parley.js`), which may export more than its public API for that; with the default
        // ('strict') the shared code went to a third chunk the entry had to load first.
        preserveEntrySignatures: 'allow-extension',
        output: {
          inlineDynamicImports: singleFile,
          chunkFileNames: 'parley-[name]-[hash].js',
          // For an ES library Vite minifies without removing whitespace and keeps the
          // /* @__PURE__ */ annotations, for another bundler to tree-shake. dist/parley.js is
          // loaded as it is by a <script type="module">: drop both (6.4 KB gzip). Licence banners
          // were already dropped before; keeping them (`legalComments: 'eof'`) costs 0.4 KB.
          minify: {
            compress: true,
            mangle: true,
            codegen: { removeWhitespace: true, legalComments: 'none' },
          },
          comments: false,
        },
      },
    },
  };
}
