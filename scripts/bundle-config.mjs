// The Vite settings of dist/parley.js, in one place: scripts/build.mjs builds the bundle with them
// and scripts/size.mjs builds each dependency alone with the same ones, so the two compare.
import { minifyLitTemplatesPlugin } from './minify-templates.mjs';

/** The module whose static imports, and theirs, make the embedded backend's one chunk. */
const EMBEDDED = /\/src\/controllers\/embedded-backend\.ts$/;

/**
 * Which modules go into the core chunk: those the entry imports statically, directly or not (what
 * must load before it runs), found by walking the module graph once it is built. Everything
 * reached only through a dynamic import (the markdown parser, MemoryAdapter, the composer's
 * editor, Floating UI, …) is left to chunks loaded on first use. The entry module itself stays
 * in the entry: it awaits a chunk that imports the core.
 *
 * What the embedded backend imports statically beyond the core (MemoryAdapter, the markdown
 * parser, the strings of writing) goes into one chunk too: split by importers, those chunks are
 * only asked for once the main thread has read the backend's, after the first render's work.
 * @returns {import('vite').Plugin & { inCore(id: string): boolean, inEmbedded(id: string): boolean }}
 */
function coreModules() {
  const core = new Set();
  const embedded = new Set();
  return {
    name: 'parley-core-modules',
    buildEnd() {
      /** @param {string[]} from @param {Set<string>} into @param {Set<string>} [not] */
      const walk = (from, into, not) => {
        into.clear();
        for (const queue = [...from]; queue.length;) {
          const id = /** @type {string} */ (queue.shift());
          if (into.has(id) || not?.has(id)) continue;
          into.add(id);
          queue.push(...(this.getModuleInfo(id)?.importedIds ?? []));
        }
      };
      const ids = [...this.getModuleIds()];
      const entries = ids.filter((id) => this.getModuleInfo(id)?.isEntry);
      walk(
        entries.flatMap((id) => this.getModuleInfo(id)?.importedIds ?? []),
        core,
      );
      walk(
        ids.filter((id) => EMBEDDED.test(id)),
        embedded,
        core,
      );
    },
    inCore: (id) => core.has(id),
    inEmbedded: (id) => embedded.has(id),
  };
}

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
  const core = coreModules();
  return {
    root,
    configFile: false,
    logLevel: 'warn',
    // Lit's `production` export condition is Vite's default for a build (no `development`), so
    // the bundle gets Lit's production code without dev-mode warnings. scripts/size.mjs checks.
    plugins: [minifyLitTemplatesPlugin({ stats: templateStats }), core, ...plugins],
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
                // What the entry imports statically goes into one chunk, parley-core-<hash>.js:
                // one file and one gzip stream for the critical path, instead of one chunk per
                // set of importers (see coreModules). The rest are split as rolldown sees fit.
                groups: [
                  { name: 'core', test: (id) => core.inCore(id) },
                  { name: 'embedded', test: (id) => core.inEmbedded(id) },
                ],
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
