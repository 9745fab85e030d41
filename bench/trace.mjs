// `node bench/trace.mjs [--variant rest|memory|file|baseline] [--n 100] [--runs 3]`: the main
// thread's work until the first comment paints, from a Chromium trace, by kind (script, style,
// layout, paint, parsing, GC) and as a timeline of tasks, medians over cold runs. Where profile.mjs
// says which function, this says what sort of work, and when the thread waited. A tool for deciding
// what to change; the numbers that count are `npm run bench`'s.
import { openVariant } from './one-variant.mjs';

const { browser, runs: RUNS, url, close } = await openVariant();

/** What kind of work a trace event is. */
const KINDS = {
  script: [
    'EvaluateScript',
    'v8.evaluateModule',
    'FunctionCall',
    'TimerFire',
    'FireAnimationFrame',
    'EventDispatch',
    'v8.run',
    'RunMicrotasks',
    'v8.callFunction',
  ],
  compile: [
    'v8.compile',
    'v8.compileModule',
    'CompileScript',
    'CompileCode',
    'v8.parseOnBackground',
    'CacheScript',
  ],
  style: [
    'UpdateLayoutTree',
    'RecalculateStyles',
    'ParseAuthorStyleSheet',
    'ScheduleStyleRecalculation',
  ],
  layout: ['Layout', 'UpdateLayerTree', 'PrePaint', 'Layerize'],
  paint: ['Paint', 'PaintImage', 'Commit', 'CompositeLayers', 'RasterTask'],
  html: ['ParseHTML'],
  gc: [
    'MinorGC',
    'MajorGC',
    'V8.GCScavenger',
    'V8.GCFinalizeMC',
    'BlinkGC.AtomicPhase',
    'V8.GC_MC_BACKGROUND_MARKING',
  ],
};
const kindOf = new Map(Object.entries(KINDS).flatMap(([k, names]) => names.map((n) => [n, k])));
const totals = [];
try {
  for (let run = 0; run < RUNS + 1; run++) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await browser.startTracing(page, {
      categories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'v8',
        'blink.user_timing',
        'loading',
      ],
    });
    await page.goto(url);
    await page.waitForFunction(() => window.__bench.painted > 0, null, { polling: 50 });
    const painted = await page.evaluate(() => window.__bench.painted);
    const trace = JSON.parse((await browser.stopTracing()).toString());
    await context.close();
    if (run === 0) continue;
    const events = trace.traceEvents;
    // The renderer's main thread: where the navigation's first ParseHTML ran.
    const parse = events.find((e) => e.name === 'ParseHTML');
    const main = events.filter((e) => e.pid === parse.pid && e.tid === parse.tid && e.ph === 'X');
    const nav = events.find((e) => e.name === 'navigationStart' && e.pid === parse.pid) ?? parse;
    const t0 = nav.ts;
    const end = t0 + painted * 1000;
    const tasks = main.filter((e) => e.name === 'RunTask' && e.ts < end && e.ts >= t0);
    const by = new Map();
    // Each task's time goes to the kinds of its outermost known events; the rest is "other".
    const known = main
      .filter((e) => kindOf.has(e.name) && e.ts < end && e.ts >= t0)
      .sort((a, b) => a.ts - b.ts);
    let coveredTo = 0;
    for (const e of known) {
      if (e.ts + e.dur <= coveredTo) continue; // inside one counted already
      const from = Math.max(e.ts, coveredTo);
      const k = kindOf.get(e.name);
      by.set(k, (by.get(k) ?? 0) + (e.ts + e.dur - from) / 1000);
      coveredTo = e.ts + e.dur;
    }
    const busy = tasks.reduce((s, e) => s + Math.min(e.dur, end - e.ts) / 1000, 0);
    by.set('other', busy - [...by.values()].reduce((a, b) => a + b, 0));
    totals.push({ painted, busy, by });
    console.log(
      `\nrun ${run}: painted ${painted.toFixed(0)} ms, main thread busy ${busy.toFixed(0)} ms`,
    );
    console.log('  ' + [...by].map(([k, v]) => `${k} ${v.toFixed(1)}`).join(' · '));
    if (process.argv.includes('--tasks'))
      for (const t of tasks.filter((t) => t.dur >= 2000)) {
        const inner = new Map();
        for (const e of known)
          if (e.ts >= t.ts && e.ts < t.ts + t.dur) {
            const label =
              e.name === 'EvaluateScript' || e.name === 'v8.compile'
                ? `${e.name}(${(e.args?.data?.url ?? '').split('/').pop()})`
                : e.name;
            inner.set(label, (inner.get(label) ?? 0) + e.dur / 1000);
          }
        const top = [...inner].sort((a, b) => b[1] - a[1]).slice(0, 5);
        console.log(
          `  task ${((t.ts - t0) / 1000).toFixed(0).padStart(4)}+${(t.dur / 1000).toFixed(0).padEnd(3)} ${top.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(' | ')}`,
        );
      }
  }
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  console.log(
    `\nmedian of ${RUNS}: painted ${median(totals.map((t) => t.painted)).toFixed(0)} ms, busy ${median(totals.map((t) => t.busy)).toFixed(0)} ms`,
  );
  const kinds = [...new Set(totals.flatMap((t) => [...t.by.keys()]))];
  console.log(
    '  ' +
      kinds
        .map((k) => `${k} ${median(totals.map((t) => t.by.get(k) ?? 0)).toFixed(1)}`)
        .join(' · '),
  );
} finally {
  await close();
}
