/** Posts: reading a thread's pages, one post and its surroundings; writing, editing, deleting. */
import { createHash } from 'node:crypto';
import { normalizeExcerpt } from '../../src/model/quote.js';
import type { Quote } from '../../src/model/types.js';
import { invalid } from '../problem.js';
import type { Body } from '../schema.js';
import { cached, clampInt, ok, route, type Deps, type RouteSpec } from './route.js';

/** An `Idempotency-Key`: 1–200 visible ASCII characters. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

export function postRoutes({ storage }: Deps): RouteSpec[] {
  return [
    route({
      method: 'GET',
      path: '/v1/threads/:threadId/posts',
      auth: 'none',
      handler: async (ctx) => {
        const direction = ctx.url.searchParams.get('direction') || 'forward';
        if (direction !== 'forward' && direction !== 'backward')
          throw invalid('direction', 'must be forward or backward.');
        return cached(
          await storage.listPosts(ctx.params.threadId, {
            cursor: ctx.url.searchParams.get('cursor') || null,
            limit: clampInt(ctx, 'limit', 50, 1, 200),
            backward: direction === 'backward',
          }),
        );
      },
    }),

    route({
      method: 'GET',
      path: '/v1/threads/:threadId/posts/:postId/around',
      auth: 'none',
      handler: async (ctx) =>
        cached(
          await storage.listAround(
            ctx.params.threadId,
            ctx.params.postId,
            clampInt(ctx, 'before', 10, 0, 100),
            clampInt(ctx, 'after', 10, 0, 100),
          ),
        ),
    }),

    route({
      method: 'POST',
      path: '/v1/threads/:threadId/posts',
      auth: 'signed-in',
      action: 'post a reply',
      body: 'NewPost',
      limit: {
        // A retry of a request that already succeeded costs no rate-limit token.
        unless: async ({ req, caller }) => {
          const key = req.headers['idempotency-key'];
          if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)))
            throw invalid('Idempotency-Key', 'must be 1–200 visible ASCII characters.');
          return !!key && (await storage.hasIdempotencyKey(caller.user.id, key));
        },
      },
      handler: async ({ req, params, caller, body }) => {
        const key = req.headers['idempotency-key'] as string | undefined;
        const input = body as Body<'NewPost'>;
        const parentId = input.parentId ?? null;
        const sentQuote: Quote | null = input.quote
          ? { postId: input.quote.postId, text: input.quote.text }
          : null;
        const quote = sentQuote && {
          postId: sentQuote.postId,
          text: normalizeExcerpt(sentQuote.text),
        };
        // The request, as validated (so nothing else the body holds can break the hash or change it).
        const request = [params.threadId, input.body, parentId, sentQuote];
        const idempotency = key
          ? { key, hash: createHash('sha256').update(JSON.stringify(request)).digest('hex') }
          : null;
        const { post, created } = await storage.createPost(
          caller.user,
          { threadId: params.threadId, body: input.body, parentId, quote },
          idempotency,
        );
        return ok(post, created ? 201 : 200, {
          Location: `/v1/posts/${encodeURIComponent(post.id)}`,
        });
      },
    }),

    route({
      method: 'GET',
      path: '/v1/posts/:postId',
      auth: 'none',
      handler: async ({ params }) => cached(await storage.requirePost(params.postId)),
    }),

    route({
      method: 'PATCH',
      path: '/v1/posts/:postId',
      auth: 'signed-in',
      action: 'edit a post',
      body: 'PostEdit',
      limit: {},
      handler: async ({ params, caller, body }) =>
        ok(await storage.updatePost(caller.user, params.postId, (body as Body<'PostEdit'>).body)),
    }),

    route({
      method: 'DELETE',
      path: '/v1/posts/:postId',
      auth: 'signed-in',
      action: 'delete a post',
      limit: {},
      handler: async ({ params, caller }) =>
        ok(await storage.deletePost(caller.user, caller.moderator, params.postId)),
    }),
  ];
}
