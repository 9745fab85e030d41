// `npm run size` (and the last step of `npm run build`): what dist/parley.js weighs and why.
//
//   1. gzips (level 9) dist/parley.js and what it imports statically: the critical path, the
//      number the budget is about; and every other chunk in dist/ (loaded on first use), whose
//      sum is reported beside it;
//   2. attributes its bytes with its source map (dist/parley.js.map) to each dependency, to each
//      area of src/ and to each module. A group's gzip figure is its share of the real total:
//      each group's bytes are gzipped on their own, and those sizes scaled so they add up to
//      the total (so strings and CSS, which compress well, are not over-counted);
//   3. builds each dependency alone, exporting just what src/ imports from it, with the bundle's
//      own settings (scripts/bundle-config.mjs): what it would cost on its own;
//   4. writes size-report.json (committed: diffs show what moved) and prints a table;
//   5. fails (exit 1) when the gzip size is over the limit in package.json `config.sizeBudget`,
//      or when the bundle has Lit's development build or two copies of a package.
//
// Flags: --no-write (do not rewrite size-report.json), --no-standalone (skip step 3).
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import ts from 'typescript';
import { bundleConfig } from './bundle-config.mjs';
import { chunkImports } from './chunk-imports.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const budget = pkg.config?.sizeBudget;
if (!budget?.file || !Number.isInteger(budget.gzipLimitBytes)) {
  console.error(
    'size: package.json needs config.sizeBudget { file, gzipLimitBytes, gzipTargetBytes }',
  );
  process.exit(1);
}
const bundlePath = join(root, budget.file);
if (!existsSync(bundlePath)) {
  console.error(`size: ${budget.file} is missing: run \`npm run build\` first.`);
  process.exit(1);
}

const gzip = (buf) => gzipSync(buf, { level: 9 }).length;
const brotli = (buf) =>
  brotliCompressSync(buf, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

// ---- the chunks: the entry, what it imports statically (the critical path), the rest ----
const distDir = dirname(bundlePath);
const chunkFiles = readdirSync(distDir)
  .filter((f) => f.endsWith('.js') && !f.endsWith('.single.js'))
  .sort();
/** Relative files a chunk imports statically (what loads before it runs). */
const staticImports = (file) => chunkImports(readFileSync(join(distDir, file), 'utf8')).static;
const critical = new Set();
for (const queue = [relative(distDir, bundlePath)]; queue.length;) {
  const file = /** @type {string} */ (queue.shift());
  if (critical.has(file)) continue;
  critical.add(file);
  queue.push(...staticImports(file));
}
const chunks = chunkFiles.map((file) => {
  const buf = readFileSync(join(distDir, file));
  return { file, raw: buf.length, gzip: gzip(buf), critical: critical.has(file) };
});
const sum = (rows) => rows.reduce((n, c) => n + c.gzip, 0);
const criticalPath = { files: [...critical], gzip: sum(chunks.filter((c) => c.critical)) };
const allChunks = { files: chunkFiles.length, gzip: sum(chunks) };

const bundle = readFileSync(bundlePath);
const total = { raw: bundle.length, gzip: gzip(bundle), brotli: brotli(bundle) };
// The critical path's files with their source maps (a file of re-exports alone may have none).
const mapped = criticalPath.files
  .map((file) => join(distDir, file))
  .filter((path) => existsSync(`${path}.map`))
  .map((path) => ({
    path,
    text: readFileSync(path, 'utf8'),
    map: JSON.parse(readFileSync(`${path}.map`, 'utf8')),
  }));
if (!mapped.length) {
  console.error('size: the critical path has no source maps: run `npm run build` first.');
  process.exit(1);
}

// ---- which package a node_modules file belongs to, and which direct dependency brought it ----
const directDeps = Object.keys(pkg.dependencies ?? {}).sort();
const owner = new Map(); // package name -> direct dependency
for (const dep of directDeps) {
  const queue = [dep];
  while (queue.length) {
    const name = /** @type {string} */ (queue.shift());
    if (owner.has(name)) continue;
    owner.set(name, dep);
    const file = join(root, 'node_modules', name, 'package.json');
    if (!existsSync(file)) continue;
    const meta = JSON.parse(readFileSync(file, 'utf8'));
    queue.push(...Object.keys(meta.dependencies ?? {}));
  }
}
const packageOf = (path) => {
  const i = path.lastIndexOf('node_modules/');
  if (i < 0) return null;
  const [a, b] = path.slice(i + 'node_modules/'.length).split('/');
  return a.startsWith('@') ? `${a}/${b}` : a;
};

/** Group names of one source: `{ dep, area, module }`. */
const classify = (source) => {
  // Virtual modules (a bundler helper such as `\0@oxc-project+runtime/…/decorate.js`) have no path.
  const abs = /^[./]/.test(source) ? resolve(distDir, source) : null;
  const rel = abs ? relative(root, abs).split('\\').join('/') : source.replace(/\0/g, '');
  const pkgName = packageOf(rel);
  if (pkgName) {
    const dep = owner.get(pkgName) ?? `(other) ${pkgName}`;
    return { dep, area: null, module: rel, pkgName, path: rel };
  }
  if (rel.startsWith('src/')) {
    const parts = rel.slice(4).split('/');
    const area =
      parts.length === 1
        ? '(root)'
        : parts[0] === 'components' && parts.length > 2
          ? `components/${parts[1]}`
          : parts[0];
    return { dep: 'parley (src)', area, module: rel, path: rel };
  }
  return { dep: '(build helpers)', area: null, module: rel, path: rel };
};

// ---- attribute every byte of the bundle through the source map ----
const B64 = Object.fromEntries(
  [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]),
);
function decodeSegment(str) {
  const out = [];
  let value = 0;
  let shift = 0;
  for (const ch of str) {
    const digit = B64[ch];
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

const pieces = { dep: new Map(), area: new Map(), module: new Map() }; // group -> array of string chunks
const add = (kind, key, text) => {
  if (key === null || key === undefined) return;
  if (!pieces[kind].has(key)) pieces[kind].set(key, []);
  pieces[kind].get(key).push(text);
};
/** Every source of the critical path, classified. */
const sources = [];
for (const { text: bundleText, map } of mapped) {
  const fileSources = map.sources.map(classify);
  sources.push(...fileSources);
  const lines = bundleText.split('\n');
  let sourceIndex = 0;
  let carried = -1; // source of the last segment so far
  const mappingLines = map.mappings.split(';');
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l];
    const segments = [];
    let col = 0;
    for (const seg of (mappingLines[l] ?? '').split(',')) {
      if (!seg) continue;
      const f = decodeSegment(seg);
      col += f[0];
      if (f.length >= 4) sourceIndex += f[1];
      segments.push({ col, source: f.length >= 4 ? sourceIndex : -1 });
    }
    // A line that starts inside a multi-line token (a template literal) continues the previous
    // line's last segment; a line's newline goes with its last segment.
    if (segments.length === 0 || segments[0].col > 0) segments.unshift({ col: 0, source: carried });
    carried = segments[segments.length - 1].source;
    for (let s = 0; s < segments.length; s++) {
      const end = s + 1 < segments.length ? segments[s + 1].col : line.length;
      const text =
        line.slice(segments[s].col, end) +
        (s + 1 === segments.length && l + 1 < lines.length ? '\n' : '');
      if (!text) continue;
      const src =
        segments[s].source >= 0
          ? fileSources[segments[s].source]
          : {
              dep: '(bundler glue: exports, decorator helper)',
              area: null,
              module: '(bundler glue)',
            };
      add('dep', src.dep, text);
      add('area', src.area, text);
      add('module', src.module, text);
    }
  }
}

/** Rows `{ name, raw, alone, gzip }`: `alone` = the group gzipped by itself, `gzip` = its share of `gzipTotal`. */
function measure(groups, gzipTotal) {
  const rows = [...groups].map(([name, chunks]) => {
    const buf = Buffer.from(chunks.join(''), 'utf8');
    return { name, raw: buf.length, alone: gzip(buf), gzip: 0 };
  });
  const aloneSum = rows.reduce((s, r) => s + r.alone, 0);
  for (const r of rows) r.gzip = Math.round((r.alone * gzipTotal) / aloneSum);
  return rows;
}
const depRows = measure(pieces.dep, criticalPath.gzip);
const srcTotal = depRows.find((r) => r.name === 'parley (src)');
const areaRows = measure(pieces.area, srcTotal?.gzip ?? 0);
const moduleRows = measure(pieces.module, criticalPath.gzip).filter((r) =>
  r.name.startsWith('src/'),
);

// ---- sanity checks on what got bundled ----
const problems = [];
const devLit = sources.filter(
  (s) =>
    s.pkgName &&
    /(^|\/)(lit|lit-html|lit-element|@lit\/reactive-element)$/.test(s.pkgName) &&
    /\/development\//.test(s.path),
);
if (devLit.length)
  problems.push(
    `Lit's development build is bundled (${devLit[0].path}): the production export condition was not used.`,
  );
const copies = new Map();
for (const s of sources) {
  if (!s.pkgName) continue;
  const dir = s.path.slice(
    0,
    s.path.lastIndexOf(`node_modules/${s.pkgName}`) + `node_modules/${s.pkgName}`.length,
  );
  if (!copies.has(s.pkgName)) copies.set(s.pkgName, new Set());
  copies.get(s.pkgName).add(dir);
}
for (const [name, dirs] of copies)
  if (dirs.size > 1) problems.push(`Two copies of ${name} are bundled: ${[...dirs].join(', ')}.`);

// ---- each dependency alone: what src/ imports from it, bundled with the same settings ----
async function standaloneSizes() {
  const imports = new Map(); // dep -> Map(module specifier -> Set(names))
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .flatMap((e) =>
        e.isDirectory()
          ? walk(join(dir, e.name))
          : /\.tsx?$/.test(e.name)
            ? [join(dir, e.name)]
            : [],
      );
  for (const file of walk(join(root, 'src'))) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
    for (const stmt of sf.statements) {
      if (!ts.isImportDeclaration(stmt) || !ts.isStringLiteral(stmt.moduleSpecifier)) continue;
      const spec = stmt.moduleSpecifier.text;
      if (spec.startsWith('.')) continue;
      const dep =
        owner.get(packageOf(`node_modules/${spec}`) ?? '') ??
        directDeps.find((d) => spec === d || spec.startsWith(`${d}/`));
      if (!dep) continue;
      const clause = stmt.importClause;
      if (clause?.isTypeOnly) continue;
      if (!imports.has(dep)) imports.set(dep, new Map());
      const names = imports.get(dep).get(spec) ?? new Set();
      imports.get(dep).set(spec, names);
      if (clause?.name) names.add('default');
      const nb = clause?.namedBindings;
      if (nb && ts.isNamedImports(nb))
        for (const el of nb.elements)
          if (!el.isTypeOnly) names.add((el.propertyName ?? el.name).text);
      if (nb && ts.isNamespaceImport(nb)) names.add('*');
    }
  }
  const { build } = await import('vite');
  const out = mkdtempSync(join(tmpdir(), 'parley-size-'));
  const result = {};
  try {
    for (const dep of [...imports.keys()].sort()) {
      const lines = [];
      let n = 0;
      for (const [spec, names] of imports.get(dep)) {
        if (names.has('*')) lines.push(`export * as _${n++} from ${JSON.stringify(spec)};`);
        const named = [...names].filter((x) => x !== '*').map((x) => `${x} as _${n++}`);
        lines.push(
          named.length
            ? `export { ${named.join(', ')} } from ${JSON.stringify(spec)};`
            : `import ${JSON.stringify(spec)};`,
        );
      }
      const id = '\0parley-size-entry.js';
      const entry = {
        name: 'parley-size-entry',
        resolveId: (s) => (s.endsWith('parley-size-entry') ? id : null),
        load: (s) => (s === id ? lines.join('\n') : null),
      };
      const config = bundleConfig({
        root,
        entry: 'parley-size-entry',
        outDir: out,
        fileName: 'dep.js',
        sourcemap: false,
        plugins: [entry],
        singleFile: true,
      });
      config.logLevel = 'silent';
      await build(config);
      const buf = readFileSync(join(out, 'dep.js'));
      result[dep] = {
        raw: buf.length,
        gzip: gzip(buf),
        imports: Object.fromEntries(
          [...imports.get(dep)]
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([s, names]) => [s, [...names].sort()]),
        ),
      };
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return result;
}
const standalone = args.has('--no-standalone') ? null : await standaloneSizes();

// ---- the report ----
const sortByName = (rows) =>
  [...rows].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
const versionOf = (dep) => {
  const file = join(root, 'node_modules', dep, 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : null;
};
const over = criticalPath.gzip - budget.gzipLimitBytes;
const report = {
  file: budget.file,
  budget: {
    gzipLimitBytes: budget.gzipLimitBytes,
    gzipTargetBytes: budget.gzipTargetBytes ?? null,
    source: 'package.json config.sizeBudget',
  },
  total: { raw: total.raw, gzip: total.gzip, brotli: total.brotli },
  criticalPath,
  allChunks,
  chunks: Object.fromEntries(
    chunks.map(({ file, ...c }) => [file.replace(/-[\w-]{8}\.js$/, '.js'), c]),
  ),
  dependencies: Object.fromEntries(
    sortByName(depRows).map((r) => {
      const entry = { raw: r.raw, gzip: r.gzip };
      if (directDeps.includes(r.name)) {
        entry.version = versionOf(r.name);
        if (standalone?.[r.name])
          entry.standalone = { raw: standalone[r.name].raw, gzip: standalone[r.name].gzip };
        if (standalone?.[r.name]) entry.imports = standalone[r.name].imports;
      }
      return [r.name, entry];
    }),
  ),
  srcAreas: Object.fromEntries(
    sortByName(areaRows).map((r) => [r.name, { raw: r.raw, gzip: r.gzip }]),
  ),
  srcModules: Object.fromEntries(
    sortByName(moduleRows).map((r) => [r.name, { raw: r.raw, gzip: r.gzip }]),
  ),
  method:
    'gzip = level 9. criticalPath = the entry and the chunks it imports statically (what loads before anything ' +
    'renders; the budget is about it); allChunks = every .js file in dist/ (the others load on first use). Per-group figures attribute each byte of the bundle to a source through dist/parley.js.map; ' +
    "a group's gzip is its bytes gzipped alone, scaled so all groups add up to the real total (srcAreas add up to " +
    '"parley (src)"). "standalone" = that dependency built alone, exporting just what src/ imports, with the same settings.',
};
if (!args.has('--no-write'))
  writeFileSync(join(root, 'size-report.json'), `${JSON.stringify(report, null, 2)}\n`);

// ---- the table ----
const pct = (n, of) => `${((100 * n) / of).toFixed(1)}%`.padStart(6);
const row = (name, raw, gz, of, extra = '') =>
  `  ${name.padEnd(44)} ${kb(raw).padStart(9)} ${kb(gz).padStart(9)} ${pct(gz, of)}${extra}`;
const byGzip = (rows) => [...rows].sort((a, b) => b.gzip - a.gzip);
const out = [];
out.push(
  `${budget.file}: ${kb(total.raw)}, gzip ${kb(total.gzip)} (${total.gzip} B), brotli ${kb(total.brotli)}`,
);
out.push(
  `critical path (${criticalPath.files.join(' + ')}): gzip ${kb(criticalPath.gzip)} (${criticalPath.gzip} B); ` +
    `all ${allChunks.files} chunks: gzip ${kb(allChunks.gzip)} (${allChunks.gzip} B)`,
);
for (const c of chunks)
  out.push(
    `  ${c.file.padEnd(44)} ${kb(c.raw).padStart(9)} ${kb(c.gzip).padStart(9)}${c.critical ? '  critical path' : '  on first use'}`,
  );
out.push(
  `  ${'by dependency'.padEnd(44)} ${'raw'.padStart(9)} ${'gzip'.padStart(9)} ${'share'.padStart(6)}   alone (gzip)`,
);
for (const r of byGzip(depRows))
  out.push(
    row(
      r.name,
      r.raw,
      r.gzip,
      criticalPath.gzip,
      standalone?.[r.name] ? `   ${kb(standalone[r.name].gzip)}` : '',
    ),
  );
out.push(`  ${'parley (src) by area'.padEnd(44)}`);
for (const r of byGzip(areaRows)) out.push(row(`  ${r.name}`, r.raw, r.gzip, criticalPath.gzip));
out.push(`  ${'biggest src modules'.padEnd(44)}`);
for (const r of byGzip(moduleRows).slice(0, 8))
  out.push(row(`  ${r.name.slice(4)}`, r.raw, r.gzip, criticalPath.gzip));
console.log(out.join('\n'));

const limitText = `limit ${kb(budget.gzipLimitBytes)} (${budget.gzipLimitBytes} B)`;
const targetText = budget.gzipTargetBytes
  ? `, target ${kb(budget.gzipTargetBytes)} (${budget.gzipTargetBytes} B)`
  : '';
if (problems.length) {
  for (const p of problems) console.error(`size: ${p}`);
  process.exit(1);
}
if (over > 0) {
  const top = byGzip([...depRows.filter((r) => r.name !== 'parley (src)'), ...moduleRows])
    .slice(0, 5)
    .map((r) => `${r.name} ${kb(r.gzip)}`)
    .join(', ');
  console.error(
    `\nsize: the critical path is ${kb(criticalPath.gzip)} gzip (${criticalPath.gzip} B), over the ${limitText} by ${over} B (${kb(over)}).\n` +
      `  Biggest contributors: ${top}.\n` +
      '  See size-report.json. The limit is package.json config.sizeBudget.gzipLimitBytes; to accept this size as\n' +
      `  the new ratchet, set it to ${Math.ceil(criticalPath.gzip / 512) * 512} (the size rounded up to the next 0.5 KB).`,
  );
  process.exit(1);
}
console.log(
  `size: OK, the critical path's ${kb(criticalPath.gzip)} gzip is within the ${limitText}${targetText}; ${-over} B to spare.`,
);
if (budget.gzipTargetBytes && criticalPath.gzip > budget.gzipTargetBytes) {
  console.log(`size: still ${criticalPath.gzip - budget.gzipTargetBytes} B over the target.`);
}
if (-over >= 1024) {
  const ratchet = Math.ceil(criticalPath.gzip / 512) * 512;
  console.log(
    `size: the limit could be ratcheted down to ${ratchet} (package.json config.sizeBudget.gzipLimitBytes).`,
  );
}
