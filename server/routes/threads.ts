/** Discussions: reading one (and creating it for a page of the site), locking, counts. */
import { isHttpUrl } from '../auth.js';
import { ApiError, count, invalid } from '../problem.js';
import type { Body } from '../schema.js';
import { pageTitle, threadUrlPatterns, urlAllowed } from '../thread-pages.js';
import { cached, ok, originAllowed, route, type Deps, type RouteSpec } from './route.js';

export function threadRoutes({ config, storage, origins, limitWrite }: Deps): RouteSpec[] {
  return [
    // With `?create=1` (and PARLEY_AUTO_CREATE), a missing discussion is created for a page of
    // the site: its URL must match PARLEY_THREAD_URLS, and its title is read from that page.
    // Only a creation takes a write token (from the address), inside the handler.
    route({
      method: 'GET',
      path: '/v1/threads/:threadId',
      auth: 'none',
      handler: async (ctx) => {
        const id = ctx.params.threadId;
        const existing = await storage.getThread(id);
        if (existing) return cached(existing);
        const create = ctx.url.searchParams.get('create');
        if (!config.autoCreate || !(create === '1' || create === 'true'))
          throw new ApiError('not-found', `There is no discussion with the id "${id}".`);
        if (id.trim() === '' || id.length > 2000)
          throw invalid('threadId', 'must be 1–2,000 characters.');
        // The site decides (thread-pages.ts): a page of its own, read by the server for its title.
        const origin = ctx.req.headers.origin;
        if (origin !== undefined && !originAllowed(origin, origins()))
          throw new ApiError(
            'forbidden',
            `The origin ${origin} may not create discussions here (see PARLEY_ORIGINS).`,
          );
        const url = ctx.url.searchParams.get('url') || null;
        if (url === null)
          throw invalid('url', 'name the page the discussion is for, an http(s) URL of this site.');
        if (!isHttpUrl(url) || url.length > 2000) throw invalid('url', 'must be an http(s) URL.');
        const patterns = threadUrlPatterns(config.threadUrls, config.origins);
        if (!urlAllowed(url, patterns))
          throw new ApiError(
            'forbidden',
            `${url} is not a page of this site, so no discussion is created for it (see PARLEY_THREAD_URLS).`,
            { field: 'url' },
          );
        await limitWrite(ctx, null);
        const title = await pageTitle(url, patterns);
        return ok(await storage.createThread(id, title, url));
      },
    }),

    route({
      method: 'POST',
      path: '/v1/threads/:threadId/lock',
      auth: 'moderator',
      action: 'lock a discussion',
      refusal: 'Only moderators can lock or unlock a discussion.',
      body: 'LockRequest',
      handler: async ({ params, body }) =>
        ok(await storage.setLocked(params.threadId, (body as Body<'LockRequest'>).locked)),
    }),

    route({
      method: 'GET',
      path: '/v1/counts',
      auth: 'none',
      handler: async ({ url }) => {
        const ids = url.searchParams.getAll('thread');
        if (ids.length > 100)
          throw invalid(
            'thread',
            `asks for ${count(ids.length)} threads; the limit is 100 per request.`,
          );
        return cached({ counts: await storage.counts(ids) });
      },
    }),
  ];
}
