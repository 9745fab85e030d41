// `node bench/profile.mjs [--variant rest|memory|file|baseline] [--n 100] [--runs 3]`: where the
// time to the first comment goes, for one variant of the bench (same pages, same servers): the
// network timeline of every request until the first paint, the main thread's long tasks, and a CPU
// profile's self time by script and by function, medians over cold runs. A tool for deciding what
// to change; the numbers that count are `npm run bench`'s.
import { openVariant } from './one-variant.mjs';

const { browser, runs: RUNS, url, close } = await openVariant();
/** The page's navigation start on the profiler's (monotonic) clock, in ms. */
async function timeOriginOf(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'NavigationStart').value * 1000;
}
const byScript = new Map();
const byFunction = new Map();
try {
  for (let run = 0; run < RUNS + 1; run++) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    await page.goto(url);
    await page.waitForFunction(() => window.__bench.painted > 0, null, { polling: 50 });
    const painted = await page.evaluate(() => window.__bench.painted);
    const { profile } = await cdp.send('Profiler.stop');
    const timeline = await page.evaluate((painted) => {
      const [nav] = performance.getEntriesByType('navigation');
      return {
        nav: { response: nav.responseEnd, dcl: nav.domContentLoadedEventEnd },
        resources: performance
          .getEntriesByType('resource')
          .filter((e) => e.startTime < painted)
          .map((e) => ({
            name: e.name.replace(/^https?:\/\/[^/]+/, ''),
            start: e.startTime,
            end: e.responseEnd,
            bytes: e.encodedBodySize,
          })),
        longTasks: window.__bench.longTasks.filter(([start]) => start < painted + 300),
      };
    }, painted);
    if (run === 0) {
      await context.close();
      continue; // warm-up
    }
    console.log(`\nrun ${run}: first comment painted at ${painted.toFixed(0)} ms`);
    console.log(
      `  document ${timeline.nav.response.toFixed(0)} ms, DOMContentLoaded ${timeline.nav.dcl.toFixed(0)} ms`,
    );
    for (const r of timeline.resources)
      console.log(
        `  ${r.start.toFixed(0).padStart(5)} → ${r.end.toFixed(0).padStart(5)} ms  ${(r.bytes / 1024).toFixed(1).padStart(6)} KB  ${r.name.slice(0, 90)}`,
      );
    console.log(
      `  long tasks: ${timeline.longTasks.map(([s, d]) => `${s.toFixed(0)}+${d.toFixed(0)}`).join(', ') || 'none'}`,
    );
    // Self time per node until the first paint, and per long task.
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map();
    const { samples, timeDeltas } = profile;
    // Profile times are µs on the monotonic clock; navigation start is `timeOrigin` on it.
    const origin = await timeOriginOf(cdp);
    const perTask = timeline.longTasks.map(() => new Map());
    let t = profile.startTime;
    for (let i = 0; i < samples.length; i++) {
      t += timeDeltas[i];
      const ms = (timeDeltas[i + 1] ?? 0) / 1000;
      self.set(samples[i], (self.get(samples[i]) ?? 0) + ms);
      const at = t / 1000 - origin;
      const task = timeline.longTasks.findIndex(([s, d]) => at >= s && at < s + d);
      if (task >= 0) perTask[task].set(samples[i], (perTask[task].get(samples[i]) ?? 0) + ms);
    }
    const label = (id) => {
      const f = nodes.get(id).callFrame;
      const script = (f.url || `(${f.functionName || 'native'})`)
        .replace(/^.*\//, '')
        .replace(/\?.*$/, '');
      return `${f.functionName || '(anonymous)'} ${script}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    };
    perTask.forEach((map, i) => {
      const [s, d] = timeline.longTasks[i];
      const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, 8);
      console.log(
        `  task ${s.toFixed(0)}+${d.toFixed(0)}: ${rows.map(([id, ms]) => `${label(id)} ${ms.toFixed(1)}`).join(' | ')}`,
      );
    });
    // With --spans: the main thread's busy spans until the first paint (idle samples split
    // them), each with what took most of it, to see what a chunk request waited behind.
    if (process.argv.includes('--spans')) {
      let span = null;
      const spans = [];
      let at = profile.startTime;
      for (let i = 0; i < samples.length; i++) {
        at += timeDeltas[i];
        const ms = at / 1000 - origin;
        if (ms > painted) break;
        const idle = nodes.get(samples[i]).callFrame.functionName === '(idle)';
        if (idle) {
          if (span) spans.push(span);
          span = null;
          continue;
        }
        span ??= { start: ms, end: ms, by: new Map() };
        span.end = ms;
        span.by.set(samples[i], (span.by.get(samples[i]) ?? 0) + (timeDeltas[i + 1] ?? 0) / 1000);
      }
      if (span) spans.push(span);
      for (const sp of spans.filter((sp) => sp.end - sp.start >= 2))
        console.log(
          `  busy ${sp.start.toFixed(0).padStart(4)}–${sp.end.toFixed(0).padEnd(4)} ${[...sp.by]
            .sort((a, b) => b[1] - a[1])
            .slice(0, 4)
            .map(([id, ms]) => `${label(id)} ${ms.toFixed(1)}`)
            .join(' | ')}`,
        );
    }
    for (const [id, ms] of self) {
      const f = nodes.get(id).callFrame;
      const script = (f.url || `(${f.functionName || 'native'})`)
        .replace(/^https?:\/\/[^/]+/, '')
        .replace(/\?.*$/, '');
      byScript.set(script, (byScript.get(script) ?? 0) + ms / RUNS);
      const fn = `${f.functionName || '(anonymous)'} ${script.split('/').pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms / RUNS);
    }
    await context.close();
  }
  const top = (map, n) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${v.toFixed(1).padStart(7)} ms  ${k}`)
      .join('\n');
  console.log(`\nself time per script (mean of ${RUNS}, whole profile):\n${top(byScript, 12)}`);
  console.log(`\nself time per function:\n${top(byFunction, 40)}`);
} finally {
  await close();
}
