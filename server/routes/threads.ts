/** Discussions: reading one (and creating it for a page of the site), locking, counts. */
import { Type } from '@sinclair/typebox';
import { isHttpUrl } from '../auth.js';
import { ApiError, invalid } from '../problem.js';
import { ref, stringEnum, type Body } from '../schema.js';
import { pageTitle, threadUrlPatterns, urlAllowed } from '../thread-pages.js';
import { CACHE_CONTROL, json, use } from './doc.js';
import { cached, ok, originAllowed, route, type Deps, type RouteSpec } from './route.js';

export function threadRoutes({ config, storage, origins, limitWrite }: Deps): RouteSpec[] {
  return [
    // With `?create=1` (and PARLEY_AUTO_CREATE), a missing discussion is created for a page of
    // the site: its URL must match PARLEY_THREAD_URLS, and its title is read from that page.
    // Only a creation takes a write token (from the address), inside the handler.
    route({
      method: 'GET',
      path: '/v1/threads/:threadId',
      doc: {
        tags: ['threads'],
        operationId: 'getThread',
        summary: 'A thread; with create=1, created first when missing and the server allows it',
        parameters: [use('parameters/threadId'), use('parameters/IfNoneMatch')],
        responses: {
          '200': {
            description: 'The thread',
            content: json(ref('Thread')),
            headers: {
              ETag: use('headers/ETag'),
              'Cache-Control': CACHE_CONTROL,
            },
          },
          '304': use('responses/NotModified'),
          '403': use('responses/Forbidden'),
          '404': use('responses/NotFound'),
          // Creating a thread for a page is limited per address.
          '429': use('responses/RateLimited'),
        },
        description:
          "With `create=1`, a missing thread is created first, when the server allows it (PARLEY_AUTO_CREATE) and only for a page of the site: `url` must match PARLEY_THREAD_URLS (by default, any URL under PARLEY_ORIGINS; `403 forbidden` otherwise), a request from a browser must come from an allowed origin (`403`), and the server reads the page (following at most 3 redirects within the site): it must answer `200` with HTML, and the thread takes the page's `<title>`. A page that cannot be read (one that does not exist yet, say) creates nothing: `404 not-found` saying why.",
      },
      auth: 'none',
      query: Type.Object({
        create: Type.Optional(
          stringEnum(['1', 'true'], {
            description:
              '`1` (or `true`): create the thread when it is missing (PARLEY_AUTO_CREATE).',
          }),
        ),
        // Not held to a length: RestAdapter sends the page's title whatever its length, and
        // the server never uses it.
        title: Type.Optional(
          Type.String({
            description:
              'Ignored: a thread created by this call takes the title of its page, as the server reads it. (Older clients send the page title here.)',
          }),
        ),
        url: Type.Optional(
          Type.String({
            description:
              "Required with create=1: the canonical http(s) URL of the thread's page, which must match PARLEY_THREAD_URLS.",
            format: 'uri',
            errorMessage: 'must be an http(s) URL.',
          }),
        ),
      }),
      handler: async (ctx) => {
        const id = ctx.params.threadId;
        const existing = await storage.getThread(id);
        if (existing) return cached(existing);
        if (!config.autoCreate || ctx.query.create === undefined)
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
        const url = ctx.query.url;
        if (url === undefined)
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
      doc: {
        tags: ['threads'],
        operationId: 'lockThread',
        summary: 'Lock or unlock a thread (moderators only)',
        parameters: [use('parameters/threadId')],
        request: 'Whether the thread takes no new posts',
        responses: {
          '200': {
            description: 'The thread, as it is now',
            content: json(ref('Thread')),
          },
          '404': use('responses/NotFound'),
        },
      },
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
      doc: {
        tags: ['threads'],
        operationId: 'countPosts',
        summary: 'Numbers of posts that are not deleted, for many threads (blog index pages)',
        parameters: [use('parameters/IfNoneMatch')],
        responses: {
          '200': {
            description: 'The counts',
            content: json(ref('Counts')),
            headers: {
              ETag: use('headers/ETag'),
              'Cache-Control': CACHE_CONTROL,
            },
          },
          '304': use('responses/NotModified'),
        },
      },
      auth: 'none',
      query: Type.Object({
        thread: Type.Array(Type.String(), {
          description: 'Thread ids, up to 100; unknown threads count 0.',
          maxItems: 100,
          errorMessage: {
            required: 'name the threads to count (thread=<id>, once for each).',
            maxItems: 'asks for {length} threads; the limit is {limit} per request.',
          },
        }),
      }),
      handler: async ({ query }) => cached({ counts: await storage.counts(query.thread) }),
    }),
  ];
}
