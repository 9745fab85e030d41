/**
 * The first requests of a thread on a Parley server, started as soon as the script runs rather
 * than once the elements are defined, connected and have chosen their adapter: for each
 * `<parley-thread endpoint>` already in the page whose reader has no session with that server
 * (no `auth-token`, no stored session), the thread, its first page and who is reading (the
 * first render waits for all three) are fetched at once, with exactly the requests its
 * `RestAdapter` will make, which then takes the answers instead of asking again. Answers nobody takes within a few seconds are dropped.
 */

/** How long an early answer waits to be taken. */
const KEEP_MS = 10_000;

const early = new Map<string, { response: Promise<Response>; at: number }>();

/** The page's canonical URL: the thread key when the page gives no `thread-id`. */
export function canonicalUrl(): string {
  const link = document.querySelector<HTMLLinkElement>('link[rel="canonical"]')?.href;
  const url = new URL(link || window.location.href);
  url.hash = '';
  return url.href;
}

/** The session key a `RestAdapter` for `endpoint` keeps its reader's session under. */
export function sessionKey(endpoint: string): string {
  let where = endpoint.replace(/\/+$/, '');
  try {
    const url = new URL(endpoint, globalThis.location?.href);
    where = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    // Kept as written, as the adapter does.
  }
  return `parley:session:v1:${where}`;
}

/** The path of a thread, as `RestAdapter.getThread` asks for it (`create` for a page's own). */
export function threadPath(threadId: string, autoCreate: boolean): string {
  let query = '';
  if (autoCreate && typeof document !== 'undefined') {
    const url =
      document.querySelector<HTMLLinkElement>('link[rel=canonical]')?.href ??
      location.href.replace(/#.*/, '');
    query = `?${new URLSearchParams({ create: '1', title: document.title, url })}`;
  }
  return `/threads/${encodeURIComponent(threadId)}${query}`;
}

/** The path of a thread's first page of `limit` posts, as `RestAdapter.listPosts` asks for it. */
export function firstPagePath(threadId: string, limit: number): string {
  const n = Math.min(200, Math.max(1, Math.floor(limit)));
  return `/threads/${encodeURIComponent(threadId)}/posts?limit=${n}`;
}

function hasSession(endpoint: string): boolean {
  try {
    return !!localStorage.getItem(sessionKey(endpoint));
  } catch {
    return false;
  }
}

/** Starts the first requests of every `<parley-thread endpoint>` in the page (see above). */
export function startEarlyRequests(): void {
  if (typeof document === 'undefined' || typeof fetch !== 'function') return;
  for (const el of document.querySelectorAll('parley-thread[endpoint]')) {
    const endpoint = el.getAttribute('endpoint');
    if (!endpoint || el.hasAttribute('auth-token') || hasSession(endpoint)) continue;
    try {
      const base = `${endpoint.replace(/\/+$/, '')}/v1`;
      const threadId = el.getAttribute('thread-id') || canonicalUrl();
      const pageSize = Number(el.getAttribute('page-size') ?? 50);
      for (const path of [
        threadPath(threadId, true),
        firstPagePath(threadId, Number.isFinite(pageSize) ? pageSize : 50),
        '/viewer',
      ]) {
        const url = `${base}${path}`;
        const response = fetch(url, {
          headers: { Accept: 'application/json' },
          credentials: 'omit',
          cache: 'no-store',
        });
        response.catch(() => undefined); // taken, or dropped: its failure is the adapter's to report
        early.set(url, { response, at: Date.now() });
      }
    } catch {
      // An endpoint that is not a URL: the element reports it when it loads.
    }
  }
}

/** The early answer for `url`, once: `undefined` when there is none (or it is too old). */
export function takeEarly(url: string): Promise<Response> | undefined {
  const found = early.get(url);
  early.delete(url);
  return found && Date.now() - found.at < KEEP_MS ? found.response : undefined;
}
