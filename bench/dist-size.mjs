// What dist/ weighs gzip-compressed: every browser script in it, and those reachable from the
// entry (dist/parley.js) through static and lazy imports, whether it is one file or many chunks.
// dist/lib/ (the library build bundlers import, dependencies external) is left out: no reader's
// browser loads it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The .js files under `dir` (no source maps, no dist/lib, not the single-file build
 * dist/parley.single.js, which is the same code again), as paths relative to `dist`.
 */
function scripts(dist, dir = dist) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (relative(dist, path) !== 'lib') files.push(...scripts(dist, path));
    } else if (entry.name.endsWith('.js') && !entry.name.endsWith('.single.js'))
      files.push(relative(dist, path));
  }
  return files.sort();
}

/**
 * Gzip sizes (level 9, as the build's size report) of dist/'s scripts.
 * @param {string} dist absolute path of dist/
 * @param {string} [entry] the entry, relative to dist/
 */
export function distSizes(dist, entry = 'parley.js') {
  const files = scripts(dist);
  const known = new Set(files);
  const sizes = new Map(
    files.map((f) => [f, gzipSync(readFileSync(join(dist, f)), { level: 9 }).length]),
  );
  // Any string naming a .js file of dist/, relative to the importer or to dist/ itself (how
  // bundlers list the dependencies of a lazy chunk), counts as an import of it.
  const reached = new Set();
  const visit = (file) => {
    if (reached.has(file)) return;
    reached.add(file);
    const code = readFileSync(join(dist, file), 'utf8');
    for (const [, spec] of code.matchAll(/["'`]([^"'`\s]+\.js)["'`]/g)) {
      for (const base of [dirname(join(dist, file)), dist]) {
        const target = relative(dist, resolve(base, spec));
        if (known.has(target)) visit(target);
      }
    }
  };
  if (known.has(entry)) visit(entry);
  const sum = (list) => list.reduce((n, f) => n + (sizes.get(f) ?? 0), 0);
  return {
    files: files.map((f) => ({ file: f, gzip: sizes.get(f) ?? 0, reachable: reached.has(f) })),
    all: sum(files),
    reachable: sum([...reached]),
    reachableCount: reached.size,
  };
}
