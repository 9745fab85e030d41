/** Posts: reading a thread's pages, one post and its surroundings; writing, editing, deleting. */
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { normalizeExcerpt } from '../../src/model/quote.js';
import type { Quote } from '../../src/model/types.js';
import { invalid } from '../problem.js';
import { clampedInteger } from '../request-query.js';
import { ref, stringEnum, type Body } from '../schema.js';
import { CACHE_CONTROL, json, use } from './doc.js';
import { cached, ok, route, type Deps, type RouteSpec } from './route.js';
import { rendered, renderedPage } from '../render.js';

/** An `Idempotency-Key`: 1–200 visible ASCII characters. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

export function postRoutes({ storage }: Deps): RouteSpec[] {
  return [
    route({
      method: 'GET',
      path: '/v1/threads/:threadId/posts',
      doc: {
        tags: ['posts'],
        operationId: 'listPosts',
        summary: "A page of a thread's posts, oldest first (ties by id), tombstones included",
        parameters: [use('parameters/threadId'), use('parameters/IfNoneMatch')],
        responses: {
          '200': {
            description: 'The page',
            content: json(ref('PostPage')),
            headers: {
              ETag: use('headers/ETag'),
              'Cache-Control': CACHE_CONTROL,
            },
          },
          '304': use('responses/NotModified'),
          '404': use('responses/NotFound'),
        },
      },
      auth: 'none',
      query: Type.Object({
        limit: clampedInteger({
          description: 'Posts per page, 1–200 (values outside are clamped). Default 50.',
          default: 50,
          minimum: 1,
          maximum: 200,
        }),
        cursor: Type.Optional(
          Type.String({
            description:
              'A `nextCursor` (the posts after that page) or `prevCursor` (the posts before it) from an earlier page. Opaque.',
          }),
        ),
        direction: stringEnum(['forward', 'backward'], {
          description:
            'Without a cursor: `forward` starts at the first post, `backward` ends at the last.',
          default: 'forward',
        }),
      }),
      handler: async ({ params, query }) =>
        cached(
          renderedPage(
            await storage.listPosts(params.threadId, {
              cursor: query.cursor ?? null,
              limit: query.limit,
              backward: query.direction === 'backward',
            }),
          ),
        ),
    }),

    route({
      method: 'GET',
      path: '/v1/threads/:threadId/posts/:postId/around',
      doc: {
        tags: ['posts'],
        operationId: 'listPostsAround',
        summary: 'The window of posts around one post, with cursors to page outwards',
        parameters: [
          use('parameters/threadId'),
          use('parameters/postId'),
          use('parameters/IfNoneMatch'),
        ],
        responses: {
          '200': {
            description: 'The window',
            content: json(ref('PostPage')),
            headers: {
              ETag: use('headers/ETag'),
              'Cache-Control': CACHE_CONTROL,
            },
          },
          '304': use('responses/NotModified'),
          '404': use('responses/NotFound'),
        },
      },
      auth: 'none',
      query: Type.Object({
        before: clampedInteger({
          description: 'Posts before the target, 0–100 (clamped). Default 10.',
          default: 10,
          minimum: 0,
          maximum: 100,
        }),
        after: clampedInteger({
          description: 'Posts after the target, 0–100 (clamped). Default 10.',
          default: 10,
          minimum: 0,
          maximum: 100,
        }),
      }),
      handler: async ({ params, query }) =>
        cached(
          renderedPage(
            await storage.listAround(params.threadId, params.postId, query.before, query.after),
          ),
        ),
    }),

    route({
      method: 'POST',
      path: '/v1/threads/:threadId/posts',
      doc: {
        tags: ['posts'],
        operationId: 'createPost',
        summary: 'Publish a post as the caller',
        description:
          'Answered only after the post is committed to storage. With an `Idempotency-Key`, a repeat of the same request returns the post it created (200); the same key with a different request is 409. Keys are kept 24 hours, per user.',
        parameters: [use('parameters/threadId'), use('parameters/IdempotencyKey')],
        request: 'The post',
        responses: {
          '200': {
            description:
              'A retry of a request with the same Idempotency-Key: the post that request created, as it is now',
            content: json(ref('Post')),
            headers: {
              Location: {
                description: "The post's URL",
                schema: {
                  type: 'string',
                },
              },
            },
          },
          '201': {
            description: 'Created',
            content: json(ref('Post')),
            headers: {
              Location: {
                description: "The post's URL (/v1/posts/{postId})",
                schema: {
                  type: 'string',
                },
              },
            },
          },
          '403': use('responses/Forbidden'),
          '404': use('responses/NotFound'),
          '409': use('responses/Conflict'),
        },
      },
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
        return ok(rendered(post), created ? 201 : 200, {
          Location: `/v1/posts/${encodeURIComponent(post.id)}`,
        });
      },
    }),

    route({
      method: 'GET',
      path: '/v1/posts/:postId',
      doc: {
        tags: ['posts'],
        operationId: 'getPost',
        summary: 'One post by id, tombstones too',
        parameters: [use('parameters/postId'), use('parameters/IfNoneMatch')],
        responses: {
          '200': {
            description: 'The post',
            content: json(ref('Post')),
            headers: {
              ETag: use('headers/ETag'),
              'Cache-Control': CACHE_CONTROL,
            },
          },
          '304': use('responses/NotModified'),
          '404': use('responses/NotFound'),
        },
      },
      auth: 'none',
      handler: async ({ params }) => cached(rendered(await storage.requirePost(params.postId))),
    }),

    route({
      method: 'PATCH',
      path: '/v1/posts/:postId',
      doc: {
        tags: ['posts'],
        operationId: 'updatePost',
        summary: "Replace the body of the caller's own post (not in a locked thread)",
        parameters: [use('parameters/postId')],
        request: 'The new body',
        responses: {
          '200': {
            description: 'The post with editedAt',
            content: json(ref('Post')),
          },
          '403': use('responses/Forbidden'),
          '404': use('responses/NotFound'),
          '409': use('responses/Conflict'),
        },
      },
      auth: 'signed-in',
      action: 'edit a post',
      body: 'PostEdit',
      limit: {},
      handler: async ({ params, caller, body }) =>
        ok(
          rendered(
            await storage.updatePost(caller.user, params.postId, (body as Body<'PostEdit'>).body),
          ),
        ),
    }),

    route({
      method: 'DELETE',
      path: '/v1/posts/:postId',
      doc: {
        tags: ['posts'],
        operationId: 'deletePost',
        summary: 'Delete a post (own posts; any post for a moderator), leaving its tombstone',
        parameters: [use('parameters/postId')],
        responses: {
          '200': {
            description:
              'The tombstone: deleted, empty body, no quote (also when it was deleted already)',
            content: json(ref('Post')),
          },
          '403': use('responses/Forbidden'),
          '404': use('responses/NotFound'),
        },
      },
      auth: 'signed-in',
      action: 'delete a post',
      limit: {},
      handler: async ({ params, caller }) =>
        ok(await storage.deletePost(caller.user, caller.moderator, params.postId)),
    }),
  ];
}
