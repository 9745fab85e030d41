/**
 * docs/openapi.json, generated: its operations from the server's route table (each route's path,
 * method, auth, query and body schemas and `doc`: server/routes/doc.ts), the shared parameters, headers and
 * responses written here, and `components.schemas` from server/schema.ts (the one source of the
 * shapes). `npm run docs:openapi` writes the file; server/test/openapi.test.ts fails when the
 * committed file is not what this module generates, or a route and an operation do not match
 * one to one, and checks real responses against the schemas.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import { routeTable } from './app.js';
import { QUERY_ONLY_KEYWORDS, requiredParameter } from './request-query.js';
import { json, use } from './routes/doc.js';
import type { Deps, RouteSpec } from './routes/route.js';
import { ref, schemas, type SchemaName } from './schema.js';

/** The schemas of the request bodies of the server's routes. */
const requestSchemaNames = (): SchemaName[] =>
  routeTable({} as Deps).flatMap((route) => (route.body ? [route.body] : []));

/** The document's path of a route's pattern: `/v1/posts/:postId` → `/v1/posts/{postId}`. */
export const templateOf = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** Who may call an operation, as its route's `auth` says (and `doc.security` for logout). */
function securityOf(route: RouteSpec): unknown[] | undefined {
  if (route.auth === 'signed-in' || route.auth === 'moderator') return [{ bearerAuth: [] }];
  if (route.auth === 'optional' || route.doc.security === 'optional')
    return [{}, { bearerAuth: [] }];
  return undefined;
}

/**
 * The query parameters of a route, from its `query` schema: one per property, its description
 * the property's, its schema the rest of the property (the very keywords the dispatcher checks
 * with), required when the object requires it and it has no default, a list as repeated
 * parameters (`thread=a&thread=b`).
 */
export function queryParametersOf(route: RouteSpec): Record<string, unknown>[] {
  const query = route.query;
  if (!query) return [];
  return Object.entries<TSchema>(query.properties).map(([name, property]) => {
    const { description, ...schema } = property;
    return {
      name,
      in: 'query',
      ...(requiredParameter(query, name) ? { required: true } : {}),
      ...(description === undefined ? {} : { description }),
      ...(schema.type === 'array' ? { style: 'form', explode: true } : {}),
      schema,
    };
  });
}

/**
 * The parameters of an operation: the route's `doc.parameters`, its query parameters after the
 * path parameters that lead the list (so path, query, then headers, as a reader looks for them).
 */
function parametersOf(route: RouteSpec): unknown[] {
  const given = route.doc.parameters ?? [];
  const names = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1]);
  const isPath = (parameter: unknown) =>
    names.some(
      (name) => (parameter as { $ref?: string }).$ref === `#/components/parameters/${name}`,
    );
  let at = 0;
  while (at < given.length && isPath(given[at])) at++;
  return [...given.slice(0, at), ...queryParametersOf(route), ...given.slice(at)];
}

/**
 * The problem answers a route's declarations imply (what the dispatcher answers before, or
 * around, its handler), by status.
 */
export function impliedResponses(route: RouteSpec): Record<string, unknown> {
  const implied: Record<string, unknown> = {};
  if (route.body)
    Object.assign(implied, {
      '400': use('responses/Malformed'),
      '408': use('responses/Timeout'),
      '413': use('responses/TooLarge'),
    });
  if (route.body || route.query) implied['422'] = use('responses/Invalid');
  if (route.auth !== 'none') implied['401'] = use('responses/Unauthorized');
  if (route.auth === 'moderator') implied['403'] = use('responses/Forbidden');
  if (route.limit) implied['429'] = use('responses/RateLimited');
  if (route.doc.failures !== false)
    Object.assign(implied, {
      '500': use('responses/ServerError'),
      '503': use('responses/Unavailable'),
    });
  return implied;
}

/** One operation of the document, made from its route. */
function operationOf(route: RouteSpec): Record<string, unknown> {
  const { tags, operationId, summary, description, request, responses } = route.doc;
  const operation: Record<string, unknown> = { tags, operationId, summary };
  if (description !== undefined) operation.description = description;
  const security = securityOf(route);
  if (security) operation.security = security;
  const parameters = parametersOf(route);
  if (parameters.length) operation.parameters = parameters;
  if (route.body)
    operation.requestBody = {
      required: true,
      ...(request === undefined ? {} : { description: request }),
      content: json(ref(route.body)),
    };
  operation.responses = { ...impliedResponses(route), ...responses };
  return operation;
}

/** The document's paths: one operation per route of the table, in the table's order. */
function pathsOf(table: RouteSpec[]): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of table) {
    const item = (paths[templateOf(route.path)] ??= {});
    item[route.method.toLowerCase()] = operationOf(route);
  }
  return paths;
}

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
    paths: pathsOf(routeTable({} as Deps)),
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
 * The document as docs/openapi.json holds it: plain JSON, without the `$id`s, the refusals'
 * words (`errorMessage`) and the query's own keywords (`clamp`, server/request-query.ts), and with the response objects open. The schemas are closed so that the
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
        QUERY_ONLY_KEYWORDS.includes(key) ||
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
