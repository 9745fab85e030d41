/**
 * When two handles count as the same: compared case-folded and by a confusable skeleton, so
 * `@dqualls`, `@DQualls`, `@dqua11s` and `@clqualls` are one handle and only one user can have it.
 *
 * Handles are ASCII (`HANDLE_PATTERN`), so the look-alikes that matter are the ASCII ones of
 * Unicode's confusables list (UTS #39): 0/o, 1/l/I, rn/m, vv/w, cl/d. The Cyrillic and Greek
 * letters that look like Latin ones are folded too, so the rule still holds should handles ever
 * allow more than ASCII. A dozen entries do not justify a dependency; the full confusables
 * table (thousands of entries) would matter only for Unicode handles.
 */

/** Single characters folded to the Latin letter they look like (after lower-casing). */
const LOOKALIKE: Record<string, string> = {
  '0': 'o',
  '1': 'l',
  i: 'l',
  '|': 'l',
  // Cyrillic
  а: 'a',
  в: 'b',
  е: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'l',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  // Greek
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'l',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
};

/** Letter pairs that read as one letter. */
const PAIRS: [RegExp, string][] = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/cl/g, 'd'],
];

/** The form two handles share when they look alike: equal skeletons mean the same handle. */
export function handleSkeleton(handle: string): string {
  let folded = '';
  for (const char of handle.normalize('NFKC').toLowerCase()) folded += LOOKALIKE[char] ?? char;
  for (const [pair, letter] of PAIRS) folded = folded.replace(pair, letter);
  return folded;
}
