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
 * A dynamic import of a facade also asks for the chunk behind it, at once. Where a module
 * loaded on first use shares a chunk with others (the embedded backend's with MemoryAdapter
 * and the markdown parser), its import gets a facade: a few bytes that re-export from that
 * chunk, which the browser finds only once it has read the facade, one round trip and one busy
 * main thread later (about 90 ms on the bench's embedded thread, before its first posts). Each
 * `import("./facade.js")` is therefore passed through a small function added to the importing
 * chunk, which starts, in the same task, the import of what the facade imports, directly or
 * not, and the importer does not have already. Those chunks are evaluated as soon as they are
 * in, before the facade, as they would have been; one that fails to load fails the facade's
 * import too, which its caller reports, so its own promise is caught here. The function is in
 * the importing chunk, so the paths resolve against that chunk's URL, as they did. Only
 * facades: every other chunk's name would add its hash, which gzip cannot shrink, to the core.
 * @returns {import('vite').Plugin}
 */
function parallelFacades() {
  const LOAD = '__parleyLoad';
  return {
    name: 'parley-parallel-facades',
    renderChunk(code, chunk, _options, { chunks, magicString }) {
      if (!chunk.dynamicImports.length || !magicString) return null;
      /** @param {string[]} names @param {Set<string>} into */
      const closure = (names, into = new Set()) => {
        for (const name of names) {
          if (into.has(name)) continue;
          into.add(name);
          closure(chunks[name]?.imports ?? [], into);
        }
        return into;
      };
      const loaded = closure([chunk.fileName]);
      let changed = false;
      for (const target of chunk.dynamicImports) {
        if (chunks[target]?.moduleIds.length !== 0) continue;
        const needs = [...closure(chunks[target].imports)].filter((n) => !loaded.has(n));
        if (!needs.length) continue;
        const call = `import("./${target}")`;
        const paths = needs.map((n) => `, "./${n}"`).join('');
        for (let at = code.indexOf(call); at >= 0; at = code.indexOf(call, at + call.length)) {
          magicString.prependLeft(at, `${LOAD}(`);
          magicString.appendRight(at + call.length, `${paths})`);
          changed = true;
        }
      }
      if (!changed) return null;
      magicString.append(
        `\nfunction ${LOAD}(facadeImport, ...needs) {\n` +
          `  for (const need of needs) import(need).catch(() => {});\n` +
          `  return facadeImport;\n}\n`,
      );
      return magicString;
    },
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
    plugins: [
      minifyLitTemplatesPlugin({ stats: templateStats }),
      core,
      parallelFacades(),
      ...plugins,
    ],
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
        // What parallelFacades() edits chunks with, source maps included.
        experimental: { nativeMagicString: true },
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
