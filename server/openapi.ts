/**
 * docs/openapi.json, generated: the operations, parameters, headers and responses written here,
 * and `components.schemas` from server/schema.ts (the one source of the shapes). `npm run
 * docs:openapi` writes the file; server/test/openapi.test.ts fails when the committed file is not
 * what this module generates, and checks real responses against the schemas.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { routeTable } from './app.js';
import type { Deps } from './routes/route.js';
import { ref, schemas, type SchemaName } from './schema.js';

/** The schemas of the request bodies of the server's routes. */
const requestSchemaNames = (): SchemaName[] =>
  routeTable({} as Deps).flatMap((route) => (route.body ? [route.body] : []));

/** A reference to one of the document's components (`responses/NotFound`, …). */
const use = (path: string) => ({ $ref: `#/components/${path}` });

/** A JSON body of this schema. */
const json = (schema: unknown) => ({ 'application/json': { schema } });

/** The Cache-Control of cacheable reads. */
const CACHE_CONTROL = {
  description: '`public, no-cache`: any cache may keep it and must revalidate it each time.',
  schema: { type: 'string', const: 'public, no-cache' },
};

/** The document, its schemas TypeBox's own (with `$id`s, for `Value.Check` with `references`). */
export function openapiDocument() {
  const doc = {
    openapi: '3.1.0',
    info: {
      title: 'Parley protocol',
      version: '1',
      summary:
        'The HTTP protocol of Parley comment threads: what RestAdapter speaks and the reference server implements.',
      description:
        "The prose contract is docs/protocol.md; this is its machine-readable form, and a test checks the reference server's real responses against it. Requests and responses are JSON. Failures are RFC 9457 problem documents (application/problem+json) with a stable `code`. Authentication is `Authorization: Bearer <token>`: a session token from /v1/auth/* or a single-sign-on JWT (HS256) signed by the host site. Clients ignore fields they do not know; servers may add fields.",
      license: {
        name: 'MIT',
        identifier: 'MIT',
      },
    },
    'x-parley-every-response': {
      description:
        'Headers every answer carries, whatever the path, method or status (problems, preflights and event streams too); Strict-Transport-Security only over TLS.',
      headers: {
        'X-Content-Type-Options': use('headers/XContentTypeOptions'),
        'Content-Security-Policy': use('headers/ContentSecurityPolicy'),
        'Referrer-Policy': use('headers/ReferrerPolicy'),
        'X-Request-Id': use('headers/XRequestId'),
      },
      tlsHeaders: {
        'Strict-Transport-Security': use('headers/StrictTransportSecurity'),
      },
      wrongMethod: use('responses/MethodNotAllowed'),
    },
    servers: [
      {
        url: 'http://127.0.0.1:8787',
        description: 'The reference server (npm run server)',
      },
    ],
    tags: [
      {
        name: 'threads',
      },
      {
        name: 'posts',
      },
      {
        name: 'viewer',
        description: 'Who is reading, and signing in',
      },
      {
        name: 'events',
        description: 'Live changes (server-sent events)',
      },
      {
        name: 'testing',
        description: 'Only when the server allows it (PARLEY_ALLOW_SEED)',
      },
      {
        name: 'health',
        description: 'For load balancers and orchestrators, outside /v1',
      },
    ],
    paths: {
      '/v1/threads/{threadId}': {
        get: {
          tags: ['threads'],
          operationId: 'getThread',
          summary: 'A thread; with create=1, created first when missing and the server allows it',
          parameters: [
            use('parameters/threadId'),
            {
              name: 'create',
              in: 'query',
              description:
                '`1` (or `true`): create the thread when it is missing (PARLEY_AUTO_CREATE).',
              schema: {
                type: 'string',
                enum: ['1', 'true'],
              },
            },
            {
              name: 'title',
              in: 'query',
              description:
                'Ignored: a thread created by this call takes the title of its page, as the server reads it. (Older clients send the page title here.)',
              schema: {
                type: 'string',
                maxLength: 300,
              },
            },
            {
              name: 'url',
              in: 'query',
              description:
                "Required with create=1: the canonical http(s) URL of the thread's page, which must match PARLEY_THREAD_URLS.",
              schema: {
                type: 'string',
                format: 'uri',
              },
            },
            use('parameters/IfNoneMatch'),
          ],
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
            '422': use('responses/Invalid'),
            '429': use('responses/RateLimited'),
            '500': use('responses/ServerError'),
            '503': use('responses/Unavailable'),
          },
          description:
            "With `create=1`, a missing thread is created first, when the server allows it (PARLEY_AUTO_CREATE) and only for a page of the site: `url` must match PARLEY_THREAD_URLS (by default, any URL under PARLEY_ORIGINS; `403 forbidden` otherwise), a request from a browser must come from an allowed origin (`403`), and the server reads the page (following at most 3 redirects within the site): it must answer `200` with HTML, and the thread takes the page's `<title>`. A page that cannot be read (one that does not exist yet, say) creates nothing: `404 not-found` saying why.",
        },
      },
      '/v1/threads/{threadId}/lock': {
        post: {
          tags: ['threads'],
          operationId: 'lockThread',
          summary: 'Lock or unlock a thread (moderators only)',
          security: [
            {
              bearerAuth: [],
            },
          ],
          parameters: [use('parameters/threadId')],
          requestBody: {
            required: true,
            description: 'Whether the thread takes no new posts',
            content: json(ref('LockRequest')),
          },
          responses: {
            '200': {
              description: 'The thread, as it is now',
              content: json(ref('Thread')),
            },
            '400': use('responses/Malformed'),
            '401': use('responses/Unauthorized'),
            '403': use('responses/Forbidden'),
            '404': use('responses/NotFound'),
            '408': use('responses/Timeout'),
            '413': use('responses/TooLarge'),
            '422': use('responses/Invalid'),
            '500': use('responses/ServerError'),
            '503': use('responses/Unavailable'),
          },
        },
      },
      '/v1/threads/{threadId}/posts': {
        get: {
          tags: ['posts'],
          operationId: 'listPosts',
          summary: "A page of a thread's posts, oldest first (ties by id), tombstones included",
          parameters: [
            use('parameters/threadId'),
            {
              name: 'limit',
              in: 'query',
              description: 'Posts per page, 1–200 (values outside are clamped). Default 50.',
              schema: {
                type: 'integer',
                default: 50,
              },
            },
            {
              name: 'cursor',
              in: 'query',
              description:
                'A `nextCursor` (the posts after that page) or `prevCursor` (the posts before it) from an earlier page. Opaque.',
              schema: {
                type: 'string',
              },
            },
            {
              name: 'direction',
              in: 'query',
              description:
                'Without a cursor: `forward` starts at the first post, `backward` ends at the last.',
              schema: {
                type: 'string',
                enum: ['forward', 'backward'],
                default: 'forward',
              },
            },
            use('parameters/IfNoneMatch'),
          ],
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
            '422': use('responses/Invalid'),
            '500': use('responses/ServerError'),
            '503': use('responses/Unavailable'),
          },
        },
        post: {
          tags: ['posts'],
          operationId: 'createPost',
          summary: 'Publish a post as the caller',
          description:
            'Answered only after the post is committed to storage. With an `Idempotency-Key`, a repeat of the same request returns the post it created (200); the same key with a different request is 409. Keys are kept 24 hours, per user.',
          security: [
            {
              bearerAuth: [],
            },
          ],
          parameters: [use('parameters/threadId'), use('parameters/IdempotencyKey')],
          requestBody: {
            required: true,
            description: 'The post',
            content: json(ref('NewPost')),
          },
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
            '400': use('responses/Malformed'),
            '401': use('responses/Unauthorized'),
            '403': use('responses/Forbidden'),
            '404': use('responses/NotFound'),
            '408': use('responses/Timeout'),
            '409': use('responses/Conflict'),
            '413': use('responses/TooLarge'),
            '422': use('responses/Invalid'),
            '429': use('responses/RateLimited'),
            '500': use('responses/ServerError'),
            '503': use('responses/Unavailable'),
          },
        },
      },
      '/v1/threads/{threadId}/posts/{postId}/around': {
        get: {
          tags: ['posts'],
          operationId: 'listPostsAround',
          summary: 'The window of posts around one post, with cursors to page outwards',
          parameters: [
            use('parameters/threadId'),
            use('parameters/postId'),
            {
              name: 'before',
              in: 'query',
              description: 'Posts before the target, 0–100 (clamped). Default 10.',
              schema: {
                type: 'integer',
                default: 10,
              },
            },
            {
              name: 'after',
              in: 'query',
              description: 'Posts after the target, 0–100 (clamped). Default 10.',
              schema: {
                type: 'integer',
                default: 10,
              },
            },
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
            '422': use('responses/Invalid'),
            '500': use('responses/ServerError'),
            '503': use('responses/Unavailable'),
          },
        },
      },
      '/v1/threads/{threadId}/events': {
        get: {
          tags: ['events'],
          operationId: 'threadEvents',
          summary: 'Live changes of a thread, as server-sent events',
          description:
            'Each change is one event: `id: <id>`, `event: <type>`, `data: <ThreadChange JSON>`. Ids increase over the whole server. With `Last-Event-ID` (header) or `lastEventId` (query), the changes of the thread after that id are sent first, then live ones: nothing missed, nothing repeated. The replay never carries text since edited away or deleted: a post\'s first event in the replay comes at its place carrying the post as it is now (its tombstone when deleted), and its later events in the replay are left out; a `post-created` stays `post-created`, any other takes the type of the post\'s newest change. A client more than `PARLEY_REPLAY_LIMIT` events (500) behind, or whose id is no longer in the server\'s history (older than the events kept, replaced by a seed, or newer than the newest), gets one `reload` event (data `{"type":"reload"}`, id the newest event id) instead, and should load the thread afresh; live events follow. Without an id, the stream starts with a block holding only `id: <newest id>` (no data: no event fires, but a reconnecting EventSource resumes from there). A `: keep-alive` comment comes every 15 seconds. A stream counts against its client address (at most `PARLEY_STREAMS_PER_ADDRESS`, 100) and, with a valid `Authorization` token, its user (`PARLEY_STREAMS_PER_USER`, 20); one more is `429 rate-limited` with `Retry-After`. An invalid or expired token is read as signed out here, never refused.',
          parameters: [
            use('parameters/threadId'),
            {
              name: 'Last-Event-ID',
              in: 'header',
              description: 'Resume after this event id.',
              schema: {
                type: 'string',
                pattern: '^[0-9]+$',
              },
            },
            {
              name: 'lastEventId',
              in: 'query',
              description: 'Resume after this event id, where headers cannot be set.',
              schema: {
                type: 'string',
                pattern: '^[0-9]+$',
              },
            },
          ],
          responses: {
            '200': {
              description: "An event stream; each event's data is a ThreadChange",
              content: {
                'text/event-stream': {
                  schema: {
                    type: 'string',
                    description:
                      'Server-sent events whose `data` lines are ThreadChange JSON documents (see components.schemas.ThreadChange).',
                  },
                },
              },
            },
            '404': use('responses/NotFound'),
            '422': use('responses/Invalid'),
            '429': use('responses/RateLimited'),
            '500': use('responses/ServerError'),
            '503': use('responses/Unavailable'),
          },
        },
      },
      '/v1/posts/{postId}': {
        get: {
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
            '500': use('responses/ServerError'),
            '503': use('responses/Unavailable'),
          },
        },
        patch: {
          tags: ['posts'],
          operationId: 'updatePost',
          summary: "Replace the body of the caller's own post (not in a locked thread)",
          security: [
            {
              bearerAuth: [],
            },
          ],
          parameters: [use('parameters/postId')],
          requestBody: {
            required: true,
            description: 'The new body',
            content: json(ref('PostEdit')),
          },
          responses: {
            '200': {
              description: 'The post with editedAt',
              content: json(ref('Post')),
            },
            '400': use('responses/Malformed'),
            '401': use('responses/Unauthorized'),
            '403': use('responses/Forbidden'),
            '404': use('responses/NotFound'),
            '408': use('responses/Timeout'),
            '409': use('responses/Conflict'),
            '413': use('responses/TooLarge'),
            '422': use('responses/Invalid'),
            '429': use('responses/RateLimited'),
            '500': use('responses/ServerError'),
            '503': use('responses/Unavailable'),
          },
        },
        delete: {
          tags: ['posts'],
          operationId: 'deletePost',
          summary: 'Delete a post (own posts; any post for a moderator), leaving its tombstone',
          security: [
            {
              bearerAuth: [],
            },
          ],
          parameters: [use('parameters/postId')],
          responses: {
            '200': {
              description:
                'The tombstone: deleted, empty body, no quote (also when it was deleted already)',
              content: json(ref('Post')),
            },
            '401': use('responses/Unauthorized'),
            '403': use('responses/Forbidden'),
            '404': use('responses/NotFound'),
            '429': use('responses/RateLimited'),
            '500': use('responses/ServerError'),
            '503': use('responses/Unavailable'),
          },
        },
      },
      '/v1/counts': {
        get: {
          tags: ['threads'],
          operationId: 'countPosts',
          summary: 'Numbers of posts that are not deleted, for many threads (blog index pages)',
          parameters: [
            {
              name: 'thread',
              in: 'query',
              required: true,
              description: 'Thread ids, up to 100; unknown threads count 0.',
              style: 'form',
              explode: true,
              schema: {
                type: 'array',
                items: {
                  type: 'string',
                },
                maxItems: 100,
              },
            },
            use('parameters/IfNoneMatch'),
          ],
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
            '422': use('responses/Invalid'),
            '500': use('responses/ServerError'),
            '503': use('responses/Unavailable'),
          },
        },
      },
      '/v1/viewer': {
        get: {
          tags: ['viewer'],
          operationId: 'getViewer',
          summary: 'Who is reading',
          security: [
            {},
            {
              bearerAuth: [],
            },
          ],
          responses: {
            '200': {
              description: 'The caller (user null when no token is sent)',
              content: json(ref('Viewer')),
            },
            '401': use('responses/Unauthorized'),
            '500': use('responses/ServerError'),
            '503': use('responses/Unavailable'),
          },
        },
      },
      '/v1/auth/register': {
        post: {
          tags: ['viewer'],
          operationId: 'register',
          summary: 'Create a built-in account and sign in',
          requestBody: {
            required: true,
            description: 'The account',
            content: json(ref('RegisterRequest')),
          },
          responses: {
            '201': {
              description: 'Signed in',
              content: json(ref('Session')),
            },
            '400': use('responses/Malformed'),
            '403': use('responses/Forbidden'),
            '408': use('responses/Timeout'),
            '409': use('responses/Conflict'),
            '413': use('responses/TooLarge'),
            '422': use('responses/Invalid'),
            '429': use('responses/RateLimited'),
            '500': use('responses/ServerError'),
            '503': use('responses/Unavailable'),
          },
        },
      },
      '/v1/auth/login': {
        post: {
          tags: ['viewer'],
          operationId: 'login',
          summary: 'Sign in to a built-in account',
          requestBody: {
            required: true,
            description: 'Handle and password',
            content: json(ref('LoginRequest')),
          },
          responses: {
            '200': {
              description: 'Signed in',
              content: json(ref('Session')),
            },
            '400': use('responses/Malformed'),
            '401': use('responses/Unauthorized'),
            '403': use('responses/Forbidden'),
            '408': use('responses/Timeout'),
            '413': use('responses/TooLarge'),
            '422': use('responses/Invalid'),
            '429': use('responses/RateLimited'),
            '500': use('responses/ServerError'),
            '503': use('responses/Unavailable'),
          },
        },
      },
      '/v1/auth/guest': {
        post: {
          tags: ['viewer'],
          operationId: 'guest',
          summary: 'Sign in as a guest by name (when guests are on)',
          requestBody: {
            required: true,
            description: "The guest's name",
            content: json(ref('GuestRequest')),
          },
          responses: {
            '200': {
              description: 'Signed in',
              content: json(ref('Session')),
            },
            '400': use('responses/Malformed'),
            '403': use('responses/Forbidden'),
            '408': use('responses/Timeout'),
            '413': use('responses/TooLarge'),
            '422': use('responses/Invalid'),
            '429': use('responses/RateLimited'),
            '500': use('responses/ServerError'),
            '503': use('responses/Unavailable'),
          },
        },
      },
      '/v1/auth/logout': {
        post: {
          tags: ['viewer'],
          operationId: 'logout',
          summary: 'End the session token (a single-sign-on token just stops being sent)',
          description:
            'The session stops working at once, on every route (401). Sessions otherwise last PARLEY_SESSION_DAYS (default 30) and slide: a request using one when less than half of that is left extends it to the full length from now, with the same token.',
          security: [
            {},
            {
              bearerAuth: [],
            },
          ],
          responses: {
            '204': {
              description: 'Signed out',
            },
            '500': use('responses/ServerError'),
            '503': use('responses/Unavailable'),
          },
        },
      },
      '/v1/_seed': {
        post: {
          tags: ['testing'],
          operationId: 'seed',
          summary:
            'Replace ALL data with a seed (tests and demos; 404 unless PARLEY_ALLOW_SEED is on)',
          description:
            "Validated as the library's validateSeed does (errors name the record and field, e.g. `posts[3].author.name`). Sessions, idempotency keys and events are cleared; event ids keep increasing. Returns a session token for every user in `users`.",
          requestBody: {
            required: true,
            description: 'The data',
            content: json(ref('SeedRequest')),
          },
          responses: {
            '200': {
              description: 'Seeded',
              content: json(ref('SeedResult')),
            },
            '400': use('responses/Malformed'),
            '404': use('responses/NotFound'),
            '408': use('responses/Timeout'),
            '413': use('responses/TooLarge'),
            '422': use('responses/Invalid'),
            '500': use('responses/ServerError'),
            '503': use('responses/Unavailable'),
          },
        },
      },
      '/healthz': {
        get: {
          tags: ['health'],
          operationId: 'health',
          summary: 'The process is up',
          responses: {
            '200': {
              description: 'Up',
              content: json(ref('Health')),
            },
          },
        },
      },
      '/readyz': {
        get: {
          tags: ['health'],
          operationId: 'ready',
          summary: 'Ready for traffic: the storage answers, and the server is not shutting down',
          responses: {
            '200': {
              description: 'Ready',
              content: json(ref('Ready')),
            },
            '503': use('responses/Unavailable'),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A session token (from /v1/auth/*) or a single-sign-on JWT: HS256 with the shared secret (at least 32 bytes), claims sub, name, optional handle (dropped when someone else has it, compared case-folded and by look-alike skeleton) and avatar, exp (required, at most 24 hours ahead), iat (required, at most PARLEY_SSO_MAX_AGE, default a day, ago), and aud / iss when the server is configured to check them.',
        },
      },
      parameters: {
        threadId: {
          name: 'threadId',
          in: 'path',
          required: true,
          description: 'Thread id, percent-encoded (it may be a page URL).',
          schema: {
            type: 'string',
            minLength: 1,
          },
        },
        postId: {
          name: 'postId',
          in: 'path',
          required: true,
          description: 'Post id, percent-encoded.',
          schema: {
            type: 'string',
            minLength: 1,
          },
        },
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          description: 'A client-generated id for this submission: 1–200 visible ASCII characters.',
          schema: {
            type: 'string',
            pattern: '^[\\x21-\\x7e]{1,200}$',
          },
        },
        IfNoneMatch: {
          name: 'If-None-Match',
          in: 'header',
          description: 'An ETag from an earlier answer: unchanged, the answer is 304 with no body.',
          schema: {
            type: 'string',
          },
        },
      },
      headers: {
        RetryAfter: {
          description: 'Seconds until a retry may succeed.',
          schema: {
            type: 'integer',
            minimum: 1,
          },
        },
        XContentTypeOptions: {
          description: 'Sent with every answer.',
          schema: {
            type: 'string',
            const: 'nosniff',
          },
        },
        ContentSecurityPolicy: {
          description:
            'Sent with every answer: the API serves data, never pages, and may not be framed.',
          schema: {
            type: 'string',
            const: "default-src 'none'; frame-ancestors 'none'",
          },
        },
        ReferrerPolicy: {
          description: 'Sent with every answer.',
          schema: {
            type: 'string',
            const: 'no-referrer',
          },
        },
        StrictTransportSecurity: {
          description:
            'Sent with every answer to a request that came over TLS: directly, or as the X-Forwarded-Proto of a trusted proxy (PARLEY_TRUST_PROXY) says. Never over plain HTTP.',
          schema: {
            type: 'string',
            const: 'max-age=31536000',
          },
        },
        Allow: {
          description: 'The methods the path takes.',
          schema: {
            type: 'string',
            examples: ['GET, HEAD, PATCH, DELETE, OPTIONS'],
          },
        },
        XRequestId: {
          description: "The request's id, as the request log (one JSON line per request) names it.",
          schema: {
            type: 'string',
            pattern: '^[A-Za-z0-9_-]{12}$',
          },
        },
        ETag: {
          description: 'A weak validator of the body; send it back as If-None-Match for a 304.',
          schema: {
            type: 'string',
            pattern: '^W/"[A-Za-z0-9_-]+"$',
          },
        },
      },
      responses: {
        Malformed: {
          description:
            'The body is not valid JSON, or is nested more than 32 levels deep (code invalid)',
          content: {
            'application/problem+json': {
              schema: ref('Problem'),
            },
          },
        },
        Unauthorized: {
          description:
            'No token, an expired or badly signed token, or a wrong password (code unauthorized)',
          content: {
            'application/problem+json': {
              schema: ref('Problem'),
            },
          },
        },
        Forbidden: {
          description:
            "Someone else's post, a locked thread, not a moderator, guests or accounts turned off, an origin not allowed (code forbidden)",
          content: {
            'application/problem+json': {
              schema: ref('Problem'),
            },
          },
        },
        NotFound: {
          description: 'No such thread, post or route (code not-found)',
          content: {
            'application/problem+json': {
              schema: ref('Problem'),
            },
          },
        },
        Conflict: {
          description:
            'Editing a deleted post, an Idempotency-Key reused for a different request, a handle taken or looking like one that is (code conflict)',
          content: {
            'application/problem+json': {
              schema: ref('Problem'),
            },
          },
        },
        TooLarge: {
          description:
            'The request body is over 64 KB (code invalid). The server stops reading at the limit and closes the connection after answering.',
          content: {
            'application/problem+json': {
              schema: ref('Problem'),
            },
          },
        },
        Invalid: {
          description: 'A field is wrong; `field` names it (code invalid)',
          content: {
            'application/problem+json': {
              schema: ref('Problem'),
            },
          },
        },
        RateLimited: {
          description: 'Too many writes; retry after `Retry-After` seconds (code rate-limited)',
          content: {
            'application/problem+json': {
              schema: ref('Problem'),
            },
          },
          headers: {
            'Retry-After': use('headers/RetryAfter'),
          },
        },
        ServerError: {
          description: 'The server failed (code unavailable)',
          content: {
            'application/problem+json': {
              schema: ref('Problem'),
            },
          },
        },
        Unavailable: {
          description: 'The server is busy (code unavailable)',
          content: {
            'application/problem+json': {
              schema: ref('Problem'),
            },
          },
          headers: {
            'Retry-After': use('headers/RetryAfter'),
          },
        },
        MethodNotAllowed: {
          description:
            'A known path with a method it does not take (code invalid, status 405); Allow lists the methods it takes. Any path of this document answers so.',
          headers: {
            Allow: use('headers/Allow'),
          },
          content: {
            'application/problem+json': {
              schema: ref('Problem'),
            },
          },
        },
        Timeout: {
          description:
            'The request body did not arrive within PARLEY_BODY_TIMEOUT seconds (default 10; code invalid); the connection is closed after the answer.',
          content: {
            'application/problem+json': {
              schema: ref('Problem'),
            },
          },
        },
        NotModified: {
          description: 'Not modified: the If-None-Match header names the current ETag; no body.',
        },
      },
    },
  };
  return { ...doc, components: { ...doc.components, schemas } };
}

/**
 * The document as docs/openapi.json holds it: plain JSON, without the `$id`s and the refusals'
 * words (`errorMessage`), and with the response objects open. The schemas are closed so that the
 * tests catch a field this server sends without describing it, but the protocol lets servers add
 * fields (clients ignore what they do not know). Request bodies stay closed, as the server
 * checks them: a field their schema does not name is refused.
 */
export function openapiJson(): unknown {
  const doc = openapiDocument();
  const requests = new Set(requestSchemaNames());
  const plain = (schema: unknown, closed: boolean): unknown =>
    JSON.parse(
      JSON.stringify(schema, (key, value: unknown) =>
        key === '$id' ||
        key === 'errorMessage' ||
        (!closed && key === 'additionalProperties' && value === false)
          ? undefined
          : value,
      ),
    );
  const componentSchemas = Object.fromEntries(
    Object.entries(doc.components.schemas).map(([name, schema]) => [
      name,
      plain(schema, requests.has(name as SchemaName)),
    ]),
  );
  const rest = plain({ ...doc, components: { ...doc.components, schemas: undefined } }, false) as {
    components: Record<string, unknown>;
  };
  return { ...rest, components: { ...rest.components, schemas: componentSchemas } };
}

/** `node server/dist/server/openapi.js --write`: writes docs/openapi.json (formatted by Prettier). */
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--write')) {
  const target = fileURLToPath(new URL('../../../docs/openapi.json', import.meta.url));
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(target)) ?? {};
  const text = await prettier.format(JSON.stringify(openapiJson()), {
    ...options,
    filepath: target,
  });
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
