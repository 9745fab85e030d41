/**
 * Where a thread created on `GET /v1/threads/{id}?create=1` may live, and what it is called
 * (docs/protocol.md, "Threads"). The request says which page it is for (`url`); the site says
 * the rest: the page must be one of the site's (`PARLEY_THREAD_URLS`, by default anything under
 * `PARLEY_ORIGINS`), and the thread takes the page's own `<title>`, read by the server, never a
 * title from the request. So nobody can pre-create a thread for a page that does not exist yet,
 * or give a real page's discussion a title of their choosing.
 */
import { ApiError } from './problem.js';

/** Longest thread title kept, in characters. */
export const TITLE_LIMIT = 300;
/** The most of a page read while looking for its title. */
const PAGE_BYTES = 512 * 1024;
/** How long reading a page may take. */
const PAGE_TIMEOUT_MS = 5000;
/** Redirects followed (each to a URL that is allowed too). */
const MAX_REDIRECTS = 3;

/** A URL pattern as PARLEY_THREAD_URLS lists it: an http(s) URL, `*` matching any run of characters. */
export const THREAD_URL_PATTERN = /^https?:\/\/[^/\s]+(\/\S*)?$/;

/** The patterns in force: the configured ones, or every origin of PARLEY_ORIGINS with `/*`. */
export function threadUrlPatterns(
  configured: readonly string[],
  origins: '*' | string[],
): RegExp[] {
  const patterns =
    configured.length > 0 ? configured : origins === '*' ? [] : origins.map((o) => `${o}/*`);
  return patterns.map(
    (pattern) =>
      new RegExp(
        `^${pattern
          .split('*')
          .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ),
  );
}

export const urlAllowed = (url: string, patterns: readonly RegExp[]): boolean =>
  patterns.some((pattern) => pattern.test(url));

/** The text of the first `<title>` of an HTML page: entities decoded, white space collapsed, cut to 300. */
export function titleOf(html: string): string | null {
  const match = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html);
  if (!match) return null;
  const text = match[1]
    .replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (entity, name: string) => {
      const lower = name.toLowerCase();
      if (lower.startsWith('#x')) return safeChar(parseInt(lower.slice(2), 16));
      if (lower.startsWith('#')) return safeChar(Number(lower.slice(1)));
      return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }[lower] ?? entity;
    })
    .replace(/\s+/g, ' ')
    .trim();
  return text.slice(0, TITLE_LIMIT);
}

const safeChar = (code: number) =>
  Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';

/**
 * Reads the page at `url` (following at most 3 redirects, each to an allowed URL) and resolves
 * to its title ('' for a page without one). A page that cannot be read, is not HTML, or is not
 * `200` rejects with `not-found` naming the reason: no thread is created for it.
 */
export async function pageTitle(
  url: string,
  patterns: readonly RegExp[],
  fetchPage: typeof fetch = fetch,
): Promise<string> {
  const refuse = (reason: string) =>
    new ApiError(
      'not-found',
      `No discussion was created: the page ${url} ${reason}, and a discussion is created only for a page the server can read (its title becomes the discussion's).`,
    );
  let at = url;
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await fetchPage(at, {
        redirect: 'manual',
        signal: AbortSignal.timeout(PAGE_TIMEOUT_MS),
        headers: { Accept: 'text/html' },
      });
    } catch (error) {
      throw refuse(`could not be reached (${(error as Error).message})`);
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = response.headers.get('location');
      const next = location ? new URL(location, at).href : null;
      if (!next || hop >= MAX_REDIRECTS || !urlAllowed(next, patterns))
        throw refuse(`redirects to ${next ?? 'nowhere'}, which is not a page of this site`);
      at = next;
      continue;
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw refuse(`answered HTTP ${response.status}`);
    }
    if (!/^text\/html\b/i.test(response.headers.get('content-type') ?? '')) {
      await response.body?.cancel();
      throw refuse('is not an HTML page');
    }
    try {
      return titleOf(await readSome(response, PAGE_BYTES)) ?? '';
    } catch (error) {
      throw refuse(`could not be read (${(error as Error).message})`);
    }
  }
}

/** Up to `limit` bytes of a response body, as text; the rest is not read. */
async function readSome(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, limit));
}
