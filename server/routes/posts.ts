/** Posts: reading a thread's pages, one post and its surroundings; writing, editing, deleting. */
import { createHash } from 'node:crypto';
import { normalizeExcerpt } from '../../src/model/quote.js';
import type { Quote } from '../../src/model/types.js';
import { count, invalid } from '../problem.js';
import { cached, clampInt, isObject, ok, route, type Deps, type RouteSpec } from './route.js';

/** An `Idempotency-Key`: 1–200 visible ASCII characters. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

export function postRoutes({ config, storage }: Deps): RouteSpec[] {
  function checkBody(value: unknown): string {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
      throw invalid('body', 'write something before posting.');
    if (typeof value !== 'string') throw invalid('body', 'must be a string of markdown.');
    if (value.length > config.maxLength)
      throw invalid(
        'body',
        `the post is ${count(value.length)} characters long; the limit is ${count(config.maxLength)}.`,
      );
    return value;
  }

  function checkId(value: unknown, field: string): string {
    if (typeof value !== 'string' || value.trim() === '' || value.length > 2000)
      throw invalid(field, 'must be a post id.');
    return value;
  }

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
      handler: async ({ req, params, caller, body: input }) => {
        const key = req.headers['idempotency-key'] as string | undefined;
        const body = checkBody(input.body);
        const parentId =
          input.parentId === undefined || input.parentId === null
            ? null
            : checkId(input.parentId, 'parentId');
        let quote: Quote | null = null;
        let sentQuote: Quote | null = null;
        if (input.quote !== undefined && input.quote !== null) {
          if (!isObject(input.quote))
            throw invalid('quote', 'must be an object with postId and text, or null.');
          if (typeof input.quote.text !== 'string')
            throw invalid('quote.text', 'must be a string.');
          sentQuote = {
            postId: checkId(input.quote.postId, 'quote.postId'),
            text: input.quote.text,
          };
          quote = { postId: sentQuote.postId, text: normalizeExcerpt(sentQuote.text) };
        }
        // The request, as validated (so nothing else the body holds can break the hash or change it).
        const request = [params.threadId, body, parentId, sentQuote];
        const idempotency = key
          ? { key, hash: createHash('sha256').update(JSON.stringify(request)).digest('hex') }
          : null;
        const { post, created } = await storage.createPost(
          caller.user,
          { threadId: params.threadId, body, parentId, quote },
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
      handler: async ({ params, caller, body: input }) =>
        ok(await storage.updatePost(caller.user, params.postId, checkBody(input.body))),
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
