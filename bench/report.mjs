// The bench's printout: a table of first-comment-painted times and ratios, a table of everything
// else, the critical path's files, and the targets (issue "Faster than hand-written HTML") with
// PASS / FAIL. Every figure is the median over the runs.

const median = (values) => {
  const sorted = values.filter((v) => typeof v === 'number').sort((a, b) => a - b);
  if (!sorted.length) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const ms = (v) => (v === undefined ? '–' : `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ms`);
const times = (v) => (v === undefined ? '–' : `${v < 0.2 ? v.toFixed(3) : v.toFixed(2)}×`);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const count = (v) => (v === undefined ? '–' : Math.round(v).toLocaleString('en-US'));
const posts = (n) => n.toLocaleString('en-US');

/**
 * @param {{
 *   results: Record<string, Record<string, any>[]>, runs: number, sizes: number[], first: number,
 *   scrolled: number, more: number, browser: string,
 *   dist: ReturnType<typeof import('./dist-size.mjs').distSizes>,
 * }} options
 */
export function report({ results, runs, sizes, first, scrolled, more, browser, dist }) {
  const small = sizes[0];
  const big = sizes.at(-1);
  /** The median of `key` for a variant at n posts (at ≤ `first` posts "all" is the baseline). */
  const get = (variant, n, key) => {
    const name = variant === 'all' && n <= first ? 'baseline' : variant;
    return median((results[`${name}-${n}`] ?? []).map((r) => r[key]));
  };
  const single = (name, key) => median((results[name] ?? []).map((r) => r[key]));
  const ratio = (a, b) => (a === undefined || b === undefined || b === 0 ? undefined : a / b);
  const out = [];
  const table = (head, rows) => {
    out.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
    for (const row of rows) out.push(`| ${row.join(' | ')} |`);
  };
  const columns = ['', ...sizes.map((n) => `${posts(n)} posts`)];
  const row = (label, cell) => [label, ...sizes.map(cell)];
  const painted = (variant, n) => get(variant, n, 'painted');

  out.push(
    '',
    `Parley bench: medians of ${runs} interleaved run${runs === 1 ? '' : 's'}, cold loads in fresh contexts; Chromium ${browser}`,
    '',
    `First comment painted, from navigation start (script load included). Baseline: marked + DOMPurify + one innerHTML of the first ${first} posts, or of all of them.`,
    '',
  );
  table(columns, [
    row(`Baseline, first ${first} posts`, (n) => ms(painted('baseline', n))),
    row('Baseline, all posts', (n) => ms(painted('all', n))),
    row('Parley, RestAdapter (reference server)', (n) => ms(painted('rest', n))),
    row('Parley, MemoryAdapter (inline JSON)', (n) => ms(painted('memory', n))),
    row('Parley, MemoryAdapter (JSON file, `src`, preloaded)', (n) => ms(painted('file', n))),
    row(`RestAdapter ÷ baseline first ${first}`, (n) =>
      times(ratio(painted('rest', n), painted('baseline', n))),
    ),
    row(`MemoryAdapter ÷ baseline first ${first}`, (n) =>
      times(ratio(painted('memory', n), painted('baseline', n))),
    ),
    row(`MemoryAdapter from a file ÷ baseline first ${first}`, (n) =>
      times(ratio(painted('file', n), painted('baseline', n))),
    ),
    row(`RestAdapter ÷ RestAdapter at ${posts(small)}`, (n) =>
      times(ratio(painted('rest', n), painted('rest', small))),
    ),
    row(`MemoryAdapter ÷ MemoryAdapter at ${posts(small)}`, (n) =>
      times(ratio(painted('memory', n), painted('memory', small))),
    ),
    row(`MemoryAdapter from a file ÷ the same at ${posts(small)}`, (n) =>
      times(ratio(painted('file', n), painted('file', small))),
    ),
    row('RestAdapter ÷ baseline all', (n) => times(ratio(painted('rest', n), painted('all', n)))),
    row('MemoryAdapter ÷ baseline all', (n) =>
      times(ratio(painted('memory', n), painted('all', n))),
    ),
    row('MemoryAdapter from a file ÷ baseline all', (n) =>
      times(ratio(painted('file', n), painted('all', n))),
    ),
  ]);

  const tasks = (variant, n) => {
    const c = get(variant, n, 'longTasks');
    if (c === undefined) return '–';
    return c ? `${count(c)}, longest ${ms(get(variant, n, 'longestTask'))}` : 'none';
  };
  const mb = (v) => (v === undefined ? '–' : `${v.toFixed(2)} MB`);
  const at = (n, target, text) => (n === target ? text : '–');
  const rest = results[`rest-${small}`] ?? [];
  const criticalBytes = median(rest.map((r) => r.criticalBytes));
  const scrollCell = (name) => {
    const c = single(name, 'scrollTasks');
    if (c === undefined) return '–';
    return c ? `${count(c)}, longest ${ms(single(name, 'scrollLongest'))}` : 'none';
  };
  out.push(
    '',
    'Everything else (B = baseline; REST / Memory = Parley on RestAdapter / MemoryAdapter):',
    '',
  );
  table(columns, [
    row(`Per-post render cost, B: ${more} more posts fetched + innerHTML`, (n) =>
      ms(get('baseline', n, 'perPost')),
    ),
    row('Per-post render cost, REST: loadMore() to painted ÷ posts added', (n) =>
      ms(get('rest', n, 'perPost')),
    ),
    row('Per-post render cost, Memory: loadMore() to painted ÷ posts added', (n) =>
      ms(get('memory', n, 'perPost')),
    ),
    row(`Long tasks while opening, B first ${first}`, (n) => tasks('baseline', n)),
    row('Long tasks while opening, B all', (n) => tasks('all', n)),
    row('Long tasks while opening, REST', (n) => tasks('rest', n)),
    row('Long tasks while opening, Memory', (n) => tasks('memory', n)),
    row('Long tasks while opening, Memory from a file', (n) => tasks('file', n)),
    row('Critical path, REST: gzip bytes loaded before first paint (data aside)', (n) =>
      at(n, small, criticalBytes === undefined ? '–' : kb(criticalBytes)),
    ),
    row('Reply → focused composer, Memory, signed in, warm page', (n) =>
      at(n, small, ms(single('reply', 'reply'))),
    ),
    row('Jump to last post (painted, focused), B all', (n) => ms(get('all', n, 'jump'))),
    row('Jump to last post, REST', (n) => ms(get('rest', n, 'jump'))),
    row('Jump to last post, Memory', (n) => ms(get('memory', n, 'jump'))),
    row(`Long tasks scrolling ${posts(scrolled)} loaded posts, B`, (n) =>
      at(n, big, scrollCell('scroll-baseline')),
    ),
    row(`Long tasks scrolling ${posts(scrolled)} loaded posts, Memory`, (n) =>
      at(n, big, scrollCell('scroll-memory')),
    ),
    row(`JS heap after load (after GC), B first ${first}`, (n) => mb(get('baseline', n, 'heap'))),
    row('JS heap after load, B all', (n) => mb(get('all', n, 'heap'))),
    row('JS heap after load, REST', (n) => mb(get('rest', n, 'heap'))),
    row('JS heap after load, Memory', (n) => mb(get('memory', n, 'heap'))),
    row(`DOM nodes (shadow trees included), B first ${first}`, (n) =>
      count(get('baseline', n, 'nodes')),
    ),
    row('DOM nodes, B all', (n) => count(get('all', n, 'nodes'))),
    row('DOM nodes, REST', (n) => count(get('rest', n, 'nodes'))),
    row('DOM nodes, Memory', (n) => count(get('memory', n, 'nodes'))),
  ]);

  const last = rest.at(-1);
  if (last?.critical) {
    out.push(
      '',
      `Critical path (RestAdapter, ${posts(small)} posts): ${kb(criticalBytes ?? 0)} gzip in ${last.critical.length} file(s) answered before the first comment painted:`,
    );
    for (const e of last.critical) out.push(`  ${e.path}  ${kb(e.gzip)} gzip (${kb(e.raw)})`);
    if (last.later.length) {
      out.push('Loaded after the first paint:');
      for (const e of last.later) out.push(`  ${e.path}  ${kb(e.gzip)} gzip (${kb(e.raw)})`);
    }
  }
  out.push(
    `dist/ (*.js, no source maps, dist/lib aside): ${kb(dist.all)} gzip in ${dist.files.length} file(s); reachable from dist/parley.js: ${kb(dist.reachable)} in ${dist.reachableCount}.`,
  );
  if (dist.files.length > 1)
    for (const f of dist.files)
      out.push(`  ${f.file}  ${kb(f.gzip)}${f.reachable ? '' : '  (not imported by the entry)'}`);

  // ---- Targets. ----
  const targets = [];
  const target = (label, value, limit, show) => targets.push({ label, value, limit, show });
  const ratioTarget = (label, a, b, limit) =>
    target(label, ratio(a, b), limit, (v) => `${times(v)} (target ≤ ${limit}×)`);
  ratioTarget(
    `First comment painted, ${posts(small)} posts: RestAdapter ÷ baseline`,
    painted('rest', small),
    painted('baseline', small),
    1.2,
  );
  ratioTarget(
    `First comment painted, ${posts(small)} posts: MemoryAdapter ÷ baseline`,
    painted('memory', small),
    painted('baseline', small),
    1.2,
  );
  if (big !== small) {
    for (const [variant, name] of [
      ['rest', 'RestAdapter'],
      ['memory', 'MemoryAdapter (inline JSON)'],
      ['file', 'MemoryAdapter (JSON file)'],
    ])
      ratioTarget(
        `First comment painted, ${posts(big)} ÷ ${posts(small)} posts, ${name}`,
        painted(variant, big),
        painted(variant, small),
        1.2,
      );
    for (const [variant, name] of [
      ['rest', 'RestAdapter'],
      ['memory', 'MemoryAdapter (inline JSON)'],
      ['file', 'MemoryAdapter (JSON file)'],
    ])
      ratioTarget(
        `First comment painted, ${posts(big)} posts: ${name} ÷ baseline rendering all`,
        painted(variant, big),
        painted('all', big),
        0.1,
      );
  }
  for (const [variant, name] of [
    ['rest', 'RestAdapter'],
    ['memory', 'MemoryAdapter'],
  ])
    target(
      `Long tasks while opening ${posts(small)} posts, ${name}`,
      get(variant, small, 'longestTask'),
      50,
      (v) => `${tasks(variant, small)} (target: none over 50 ms)`,
    );
  target(
    `Critical path, RestAdapter, ${posts(small)} posts`,
    criticalBytes,
    45 * 1024,
    (v) => `${kb(v)} gzip (target ≤ 45 KB), all of dist/: ${kb(dist.all)}`,
  );
  target(
    'Reply → focused composer, warm page',
    single('reply', 'reply'),
    50,
    (v) => `${ms(v)} (target ≤ 50 ms)`,
  );
  if (big !== small)
    target(
      `JS heap, ${posts(big)} ÷ ${posts(small)} posts, RestAdapter`,
      ratio(get('rest', big, 'heap'), get('rest', small, 'heap')),
      1.3,
      (v) => `${times(v)} (target ≤ 1.3×)`,
    );
  target(
    `Longest task scrolling ${posts(scrolled)} loaded posts, MemoryAdapter`,
    single('scroll-memory', 'scrollLongest'),
    50,
    (v) => `${scrollCell('scroll-memory')} (target: none over 50 ms)`,
  );
  out.push('', 'Targets:');
  for (const t of targets) {
    const verdict = t.value === undefined ? 'n/a ' : t.value <= t.limit ? 'PASS' : 'FAIL';
    out.push(`- ${verdict}  ${t.label}: ${t.value === undefined ? '–' : t.show(t.value)}`);
  }
  return out.join('\n');
}
