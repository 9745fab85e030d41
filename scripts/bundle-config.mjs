// The Vite settings of dist/parley.js, in one place: scripts/build.mjs builds the bundle with them
// and scripts/size.mjs builds each dependency alone with the same ones, so the two compare.
import { minifyLitTemplatesPlugin } from './minify-templates.mjs';

/**
 * The modules that only load on first use (through a dynamic import): the markdown parser,
 * MemoryAdapter, the composer's editor with its drafts and mention suggestions, Floating UI.
 * Everything else the entry needs goes into the core chunk; a module missing here would be put
 * there too (bigger, never broken), and scripts/size.mjs shows each chunk's size.
 */
const ON_FIRST_USE =
  /node_modules[\\/](marked|@floating-ui)[\\/]|src[\\/](later\.ts|adapters[\\/]memory\.ts|content[\\/]markdown-(parse|ready)\.ts|components[\\/]composer[\\/]editor\.ts|controllers[\\/](draft|mention-suggestions)\.ts|internal[\\/]floating\.ts)/;

const ENTRY = /src[\\/]parley\.ts$/;

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
        // The entry (src/parley.ts) awaits a chunk at its top level, so no chunk may import from
        // the entry: that chunk would wait for the entry, which waits for it. 'strict' keeps the
        // entry's exports as they are and puts the code it shares with the chunks into a chunk
        // of its own (parley-core-<hash>.js), which the entry imports statically.
        preserveEntrySignatures: 'strict',
        output: {
          codeSplitting: singleFile
            ? false
            : {
                // Everything but what loads on first use goes into one chunk, parley-core-<hash>.js:
                // one file and one gzip stream for the critical path, instead of one chunk per
                // set of importers. The rest are split as rolldown sees fit.
                // The entry module itself stays in the entry: it awaits a chunk that imports the core.
                groups: [{ name: 'core', test: (id) => !ON_FIRST_USE.test(id) && !ENTRY.test(id) }],
              },
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
