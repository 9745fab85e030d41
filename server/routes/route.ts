/**
 * The shape of a route, and what every handler is given. Each area's routes
 * (`server/routes/<area>.ts`) are a table of these; app.ts matches a request to one, then does
 * what the route declares, in this order, before its handler runs:
 *
 * 1. `available`: a route that a setting turns off answers as that setting says (403 / 404);
 * 2. `auth`: `'optional'` resolves the `Authorization` header (401 for a bad one), `signed-in`
 *    and `moderator` require it (401 `Please log in to <action>.`);
 * 3. `query`: the URL's query is read and checked with the route's schema
 *    (server/request-query.ts: 422 naming the first parameter at fault; others are ignored);
 * 4. `body`: the request body is read (at most BODY_LIMIT bytes, within PARLEY_BODY_TIMEOUT
 *    seconds) and parsed as one JSON object (server/body.ts);
 * 5. `moderator`: a signed-in caller who is not a moderator gets 403 with the route's refusal;
 * 6. `limit`: a write token is taken from the address's bucket, and the caller's when signed in
 *    (429 with `Retry-After`), unless the route's `unless` says this request is exempt;
 * 7. `body` again: the route's `precheck` runs, then the body is checked against the route's
 *    schema (server/request-body.ts: 422 naming the first field at fault).
 *
 * Then the handler answers, its body as its schema describes it. Each route also carries its
 * `doc` (server/routes/doc.ts), from which, with its path, method, auth, query and body schemas,
 * server/openapi.ts makes its operation in docs/openapi.json.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Static } from '@sinclair/typebox';
import type { Author } from '../../src/model/types.js';
import type { Config } from '../config.js';
import type { RouteDoc } from './doc.js';
import type { EventHub, StreamQuota } from '../events.js';
import type { Limits } from '../rate-limit.js';
import type { QuerySchema } from '../request-query.js';
import type { SchemaName } from '../schema.js';
import type { Storage } from '../storage/storage.js';

/** Who made a request. */
export interface Caller {
  user: Author;
  moderator: boolean;
  /** The bearer token, when it is a session token (logout ends it). */
  session: string | null;
}

/** A request, matched to a route. */
export interface Context {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** The client's address for rate limits: an IPv4 address, or an IPv6 /64 (`rateKey`). */
  address: string;
}

/** A request as its handler sees it, once the route's declarations are met. */
export interface RouteContext<
  A extends Auth = Auth,
  Q extends QuerySchema = QuerySchema,
> extends Context {
  /** The caller: always there for `signed-in` and `moderator` routes, null when not signed in. */
  caller: A extends 'signed-in' | 'moderator' ? Caller : Caller | null;
  /** The query parameters the route's `query` names, as it reads them (`{}` without one). */
  query: Static<Q>;
  /** The request body, for a route with `body` (one JSON object). */
  body: Record<string, unknown>;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * A public read (the same for every caller): sent with an ETag and `Cache-Control: public,
   * no-cache`, and answered 304 when `If-None-Match` names that ETag.
   */
  cacheable?: boolean;
}

/** `'stream'`: the handler answered itself (an event stream). */
export type Answer = Reply | 'stream';

/**
 * Who may call a route: anyone without looking at `Authorization` (`none`), anyone with the
 * caller resolved when they sent a token (`optional`), a signed-in caller, or a moderator.
 */
export type Auth = 'none' | 'optional' | 'signed-in' | 'moderator';

export interface RouteSpec<A extends Auth = Auth, Q extends QuerySchema = QuerySchema> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The pattern (`/v1/threads/:threadId`); also the `route` of the request log. */
  path: string;
  /** Its operation in docs/openapi.json, which server/openapi.ts makes from the route. */
  doc: RouteDoc;
  /** Throws when a setting turns the route off (checked first). */
  available?: () => void;
  auth: A;
  /** For `signed-in` and `moderator`: what the 401 asks the caller to log in to do. */
  action?: string;
  /** For `moderator`: the 403 a signed-in caller who is not one gets. */
  refusal?: string;
  /**
   * The route's query parameters, an object schema of one property each (with its description,
   * default and bounds): the dispatcher reads the URL's query with it before the handler runs
   * (server/request-query.ts), and docs/openapi.json lists the operation's query parameters
   * from it (tests check). Parameters it does not name are ignored.
   */
  query?: Q;
  /**
   * The schema (server/schema.ts) of the JSON object the route takes as its body, if it takes
   * one: the dispatcher refuses a body that does not fit it before the handler runs, and
   * docs/openapi.json documents the operation's request body with the same schema (tests check).
   */
  body?: SchemaName;
  /**
   * Checks of the body that run before its schema's, for a route whose refusals name more than
   * the schema can (a seed's record, by the library's validateSeed): what they refuse is answered
   * in their words, what they let through still meets the schema.
   */
  precheck?: (body: Record<string, unknown>) => void;
  /**
   * The write limit: a token from the address's bucket and, when signed in, the caller's.
   * `unless` may exempt a request (a retry of one that succeeded); it runs just before.
   */
  limit?: { unless?: (ctx: RouteContext<A, Q>) => Promise<boolean> };
  handler: (ctx: RouteContext<A, Q>) => Answer | Promise<Answer>;
}

/** Builds a route, keeping its `auth` and `query` for the handler's type. */
export const route = <A extends Auth, Q extends QuerySchema = QuerySchema>(
  spec: RouteSpec<A, Q>,
): RouteSpec => spec as unknown as RouteSpec;

/** The server's state the handlers work with. */
export interface Deps {
  config: Config;
  storage: Storage;
  hub: EventHub;
  quota: StreamQuota;
  limits: Limits;
  log: (message: string) => void;
  /** The origins allowed now (PARLEY_ORIGINS, or what the latest seed set). */
  origins(): Config['origins'];
  /** The caller named by the `Authorization` header; `null` without one; 401 for a bad one. */
  callerOf(ctx: Context): Promise<Caller | null>;
  /** Takes a write token for the caller and their address, or fails with 429. */
  limitWrite(ctx: Context, caller: Caller | null): Promise<void>;
  /** Replaces all data (`POST /v1/_seed`); a session token per user. */
  seed(data: unknown): Promise<Record<string, string>>;
  /** Whether the server is shutting down. */
  draining(): boolean;
}

export const ok = (body: unknown, status = 200, headers?: Record<string, string>): Reply => ({
  status,
  body,
  headers,
});

/** A public read: `ok` with an ETag (see `Reply.cacheable`). */
export const cached = (body: unknown): Reply => ({ status: 200, body, cacheable: true });

/** Whether an origin is in a list of allowed origins (or the list is `*`). */
export function originAllowed(origin: string, list: Config['origins']): boolean {
  return list === '*' || list.includes(origin);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
