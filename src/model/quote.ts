/** Longest excerpt a quote keeps, in characters. */
export const MAX_QUOTE_LENGTH = 2000;

/**
 * Cleans a quoted excerpt: normalised line endings, trimmed lines, at most one blank line in a
 * row, and at most `MAX_QUOTE_LENGTH` characters (cut at a word, with an ellipsis).
 */
export function normalizeExcerpt(text: string): string {
  const cleaned = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (cleaned.length <= MAX_QUOTE_LENGTH) return cleaned;
  const cut = cleaned.slice(0, MAX_QUOTE_LENGTH);
  const space = cut.lastIndexOf(' ');
  // Without a word break, cut one character earlier to leave room for the ellipsis, and never
  // between the two halves of a surrogate pair.
  const kept =
    space > MAX_QUOTE_LENGTH * 0.8
      ? cut.slice(0, space)
      : cut.slice(0, MAX_QUOTE_LENGTH - 1).replace(/[\uD800-\uDBFF]$/, '');
  return `${kept.trimEnd()}…`;
}
