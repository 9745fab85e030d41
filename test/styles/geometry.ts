/**
 * Geometry of a rendered widget, for comparing two renderings: every element in every shadow
 * root under a host, with its box (relative to the host's box) and the computed lengths a reader
 * sees. Two renderings that look the same give the same lines.
 */

const LENGTHS = [
  'font-size',
  'line-height',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
  'margin-top',
  'margin-right',
  'margin-bottom',
  'margin-left',
  'min-height',
  'min-width',
  'max-width',
  'row-gap',
  'column-gap',
  'letter-spacing',
  'word-spacing',
  'text-indent',
  'scroll-margin-top',
] as const;

const round = (n: number) => Math.round(n * 100) / 100;

/** A line per rendered element: its path, its box relative to `host`, and its computed lengths. */
export function geometryOf(host: Element): string[] {
  const origin = host.getBoundingClientRect();
  const lines: string[] = [];
  const walk = (root: ParentNode, path: string) => {
    let i = 0;
    for (const el of root.querySelectorAll('*')) {
      i++;
      if (el.localName === 'style' || el.localName === 'slot') continue;
      // Generated ids (`c12-field`) differ between two renderings of the same thing.
      const id = el.id.replace(/^c\d+-/, 'c-');
      const key = `${path}/${el.localName}${id ? `#${id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}[${i}]`;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      const style = getComputedStyle(el);
      const lengths = LENGTHS.map((name) => `${name}=${style.getPropertyValue(name)}`).join(' ');
      lines.push(
        `${key} box=${round(rect.left - origin.left)},${round(rect.top - origin.top)},${round(rect.width)}x${round(rect.height)} ${lengths}`,
      );
      if (el.shadowRoot) walk(el.shadowRoot, key);
    }
  };
  if (host.shadowRoot) walk(host.shadowRoot, host.localName);
  return lines;
}

/** Whether two fields (`name=value`) hold the same numbers, give or take `tolerance` px. */
function same(a: string, b: string, tolerance: number): boolean {
  if (a === b) return true;
  const numbers = (field: string) =>
    (field.split('=')[1] ?? '').match(/-?[\d.]+/g)?.map(Number) ?? [];
  const [x, y] = [numbers(a), numbers(b)];
  return (
    x.length > 0 &&
    x.length === y.length &&
    a.replace(/-?[\d.]+/g, '#') === b.replace(/-?[\d.]+/g, '#') &&
    x.every((n, i) => Math.abs(n - y[i]) <= tolerance)
  );
}

/**
 * What differs between two renderings, element by element: `path: name before → after` for each
 * changed box or length (beyond `tolerance` px, which absorbs sub-pixel snapping), at most `limit`
 * elements.
 */
export function differences(
  before: string[],
  after: string[],
  { limit = 8, tolerance = 0.1 } = {},
): string[] {
  const out: string[] = [];
  if (before.length !== after.length)
    out.push(`${before.length} elements before, ${after.length} after`);
  for (let i = 0; i < Math.max(before.length, after.length) && out.length < limit; i++) {
    if (before[i] === after[i]) continue;
    const [keyA, ...a] = (before[i] ?? '(none)').split(' ');
    const [keyB, ...b] = (after[i] ?? '(none)').split(' ');
    if (keyA !== keyB) {
      out.push(`${keyA} became ${keyB}`);
      continue;
    }
    const changed = a
      .map((field, j) =>
        same(field, b[j] ?? '', tolerance) ? '' : `${field} → ${b[j]?.split('=')[1] ?? '?'}`,
      )
      .filter(Boolean);
    if (changed.length) out.push(`${keyA}: ${changed.join(', ')}`);
  }
  return out;
}
