/**
 * The Parley protocol (docs/protocol.md) over `node:http`: the server's lifecycle, CORS and
 * headers, the dispatch of each request to its route, and the one place where failures become
 * problem documents. The routes themselves are tables in server/routes/<area>.ts, each route
 * declaring its auth, query, body and write limit (server/routes/route.ts says what those
 * mean).
 *
 * Why no framework: the protocol is 15 JSON routes plus one event stream. `node:http` does all
 * of it with a small router, keeps the request path obvious when reading the code, leaves
 * nothing between a committed transaction and the response, and adds no dependency to audit or
 * keep in step with Node. Express / Fastify would bring routing and body parsing we would still
 * have to configure for problem+json errors, body limits and SSE.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isJwt, verifySsoToken } from './auth.js';
import { readBody } from './body.js';
import type { Config } from './config.js';
import { EventHub, StreamQuota } from './events.js';
import { storageFault } from './faults.js';
import { ApiError, count, fromStoreError } from './problem.js';
import { clientAddress, forwardedProto, rateKey } from './proxy.js';
import { RequestBodies } from './request-body.js';
import { parseQuery } from './request-query.js';
import { MemoryLimits, type BucketKind, type Limits } from './rate-limit.js';
import { authRoutes } from './routes/auth.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { postRoutes } from './routes/posts.js';
import {
  originAllowed,
  type Answer,
  type Caller,
  type Context,
  type Deps,
  type Reply,
  type RouteContext,
  type RouteSpec,
} from './routes/route.js';
import { seeder, seedRoutes } from './routes/seed.js';
import { threadRoutes } from './routes/threads.js';
import { StoreError } from './storage/errors.js';
import { openStorage } from './storage/open.js';
import { PostgresLimits } from './storage/postgres-limits.js';
import { PostgresSeedSettings, type SeedSettings } from './storage/postgres-seed.js';
import { PostgresStorage } from './storage/postgres.js';
import type { Storage } from './storage/storage.js';

export type { SeedRequest } from './routes/seed.js';

/**
 * Sent with every answer. The API serves data, never pages: nothing may be sniffed into HTML,
 * loaded as a resource, framed, or leak the URL as a referrer.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
};
/** Sent when the request came over TLS (directly, or as a trusted proxy's X-Forwarded-Proto says). */
const HSTS = 'max-age=31536000';

const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, Last-Event-ID';
const EXPOSED_HEADERS = 'Retry-After, Location';
const METHODS = 'GET, POST, PATCH, DELETE, OPTIONS';

/** A route of the table, with its pattern split into parts for matching. */
interface Route extends RouteSpec {
  parts: string[];
}

export interface ParleyServer {
  readonly config: Config;
  /** Where everything is kept: SQLite or PostgreSQL (`PARLEY_DATABASE_URL`). */
  readonly storage: Storage;
  readonly http: Server;
  /** Starts listening; resolves to the base URL (`http://127.0.0.1:8787`). */
  listen(): Promise<string>;
  /** Replaces all data (what `POST /v1/_seed` does); returns a session token per user. */
  seed(data: unknown): Promise<Record<string, string>>;
  /** Stops listening, ends event streams and open connections, and closes the database. */
  close(): Promise<void>;
}

/** Whether an `If-None-Match` header names `etag` (weak comparison, as for GET). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

/** How long a shutdown waits for requests in flight before closing their connections. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** A request header as one string (repeated headers joined with commas, as HTTP allows). */
function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Every route of the server, area by area (server/routes/). */
export const routeTable = (deps: Deps): RouteSpec[] => [
  ...threadRoutes(deps),
  ...postRoutes(deps),
  ...eventRoutes(deps),
  ...authRoutes(deps),
  ...healthRoutes(deps),
  ...seedRoutes(deps),
];

/**
 * Opens the storage (PostgreSQL when `config.databaseUrl` is set, else the SQLite file) unless one
 * is given, and builds the server on it; `close()` closes the storage too.
 */
export async function createParleyServer(
  config: Config,
  options: {
    log?: (message: string) => void;
    storage?: Storage;
    /** Where the one line per request goes (JSON); null for none. Default: stdout with PARLEY_REQUEST_LOG. */
    requestLog?: ((line: string) => void) | null;
  } = {},
): Promise<ParleyServer> {
  const log = options.log ?? ((message: string) => console.error(message));
  const storage =
    options.storage ??
    (await openStorage({
      databaseUrl: config.databaseUrl,
      sqlitePath: config.db,
      postgres: { log },
    }));
  const hub = new EventHub(config.keepAliveSeconds);
  const quota = new StreamQuota(config.streamsPerAddress, config.streamsPerUser);
  // The hub hears committed events from the storage: with PostgreSQL, every instance's (its own
  // included), so nothing is published locally besides.
  let stopListening: () => void;
  try {
    stopListening = await storage.onEvent((event) => hub.publish(event));
  } catch (error) {
    hub.closeAll();
    await storage.close();
    throw error;
  }
  // Write limits and the login throttle: in the shared database with PostgreSQL (so N instances
  // allow what one does), in memory with SQLite (one instance).
  const limits: Limits =
    storage instanceof PostgresStorage
      ? new PostgresLimits(storage.pool, config.rateUser, config.rateAddress)
      : new MemoryLimits(config.rateUser, config.rateAddress);
  // Moderators and origins: the configured ones, or what the latest seed set (with PostgreSQL,
  // kept in the database so every instance applies the same).
  let moderators = new Set(config.moderators);
  let origins = config.origins;
  const applySeedSettings = (settings: SeedSettings) => {
    moderators = new Set(settings.moderators ?? config.moderators);
    origins = settings.origins?.includes('*') ? '*' : (settings.origins ?? config.origins);
  };

  const maintain = async () => {
    try {
      await storage.prune(config.eventDays);
      await limits.sweep();
    } catch (error) {
      log(`[parley] maintenance failed: ${(error as Error).stack ?? String(error)}`);
    }
  };
  try {
    await storage.prune(config.eventDays);
  } catch (error) {
    stopListening();
    hub.closeAll();
    await storage.close();
    throw error;
  }
  const maintenance = setInterval(() => void maintain(), 10 * 60 * 1000);
  maintenance.unref();
  const seedSettings =
    config.allowSeed && storage instanceof PostgresStorage
      ? await PostgresSeedSettings.open(storage.pool, applySeedSettings, log)
      : null;

  // ---- Helpers that need the server's state

  const rateLimited = (wait: number) =>
    new ApiError(
      'rate-limited',
      `You are doing that too often; try again in ${wait} second${wait === 1 ? '' : 's'}.`,
      { retryAfter: wait },
    );

  /** Takes a write token for the caller and their address, or fails with 429. */
  async function limitWrite(ctx: Context, caller: Caller | null): Promise<void> {
    const pairs: [BucketKind, string][] = [['address', ctx.address]];
    if (caller) pairs.push(['user', caller.user.id]);
    const wait = await limits.take(pairs);
    if (wait > 0) throw rateLimited(wait);
  }

  /** The caller named by the `Authorization` header; `null` without one; 401 for a bad one. */
  async function callerOf(ctx: Context): Promise<Caller | null> {
    const header = ctx.req.headers.authorization;
    if (header === undefined || header.trim() === '') return null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match)
      throw new ApiError('unauthorized', 'The Authorization header must be "Bearer <token>".');
    const token = match[1];
    if (isJwt(token)) {
      const checks = {
        audience: config.ssoAudience,
        issuer: config.ssoIssuer,
        maxAgeSeconds: config.ssoMaxAgeSeconds,
      };
      const user = await storage.upsertSsoUser(
        await verifySsoToken(token, config.ssoSecret, Date.now(), checks),
      );
      return { user, moderator: moderators.has(user.id), session: null };
    }
    const found = await storage.sessionUser(token, config.sessionDays);
    if (!found)
      throw new ApiError('unauthorized', 'Your sign-in has expired or ended; please log in again.');
    return { user: found.author, moderator: moderators.has(found.author.id), session: token };
  }

  const seed = seeder({
    config,
    storage,
    limits,
    shared: () => seedSettings,
    apply: applySeedSettings,
  });

  // ---- Routes (server/routes/<area>.ts)

  const deps: Deps = {
    config,
    storage,
    hub,
    quota,
    limits,
    log,
    origins: () => origins,
    callerOf,
    limitWrite,
    seed,
    draining: () => draining,
  };
  // Every request body is checked against its route's schema, the document's own objects.
  const bodies = new RequestBodies({ maxLength: config.maxLength });
  const routes: Route[] = [];
  const add = (spec: RouteSpec) =>
    routes.push({ ...spec, parts: spec.path.split('/').filter(Boolean) });

  for (const spec of routeTable(deps)) add(spec);

  // ---- Dispatch

  /** Does what the route declares (routes/route.ts), in that order, then runs its handler. */
  async function run(route: Route, ctx: Context): Promise<Answer> {
    route.available?.();
    let caller: Caller | null = null;
    if (route.auth !== 'none') {
      caller = await callerOf(ctx);
      if (!caller && route.auth !== 'optional')
        throw new ApiError('unauthorized', `Please log in to ${route.action ?? 'do that'}.`);
    }
    const query = route.query ? parseQuery(route.query, ctx.url.searchParams) : {};
    const body = route.body ? await readBody(ctx.req, ctx.res, config.bodyTimeoutSeconds) : {};
    if (route.auth === 'moderator' && !caller?.moderator)
      throw new ApiError('forbidden', route.refusal ?? 'Only moderators can do that.');
    const full: RouteContext = { ...ctx, caller, query, body };
    if (route.limit && !(await route.limit.unless?.(full))) await limitWrite(ctx, caller);
    if (route.body) {
      route.precheck?.(body);
      bodies.check(route.body, body);
    }
    return route.handler(full);
  }

  function match(
    method: string,
    path: string[],
  ): { route: Route; params: Record<string, string> } | { allowed: string[] } {
    const allowed: string[] = [];
    for (const candidate of routes) {
      if (candidate.parts.length !== path.length) continue;
      const params: Record<string, string> = {};
      const fits = candidate.parts.every((part, i) => {
        if (part.startsWith(':')) {
          params[part.slice(1)] = path[i];
          return true;
        }
        return part === path[i];
      });
      if (!fits) continue;
      if (candidate.method === method) return { route: candidate, params };
      allowed.push(candidate.method);
    }
    return { allowed };
  }

  function send(res: ServerResponse, reply: Reply): void {
    if (res.headersSent) {
      res.end();
      return;
    }
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    // Answered before the body was read (a 401 for a post, say): close rather than let Node
    // read and discard however much the client still means to send.
    if (!res.req.complete || draining) res.setHeader('Connection', 'close');
    if (reply.body === undefined) {
      res.writeHead(reply.status).end();
      return;
    }
    const problem = reply.status >= 400;
    const text = JSON.stringify(reply.body);
    if (reply.cacheable && reply.status === 200) {
      const etag = `W/"${createHash('sha256').update(text).digest('base64url').slice(0, 32)}"`;
      res.setHeader('ETag', etag);
      // Any cache (a CDN) may keep it, and must ask again each time: a 304 when unchanged.
      res.setHeader('Cache-Control', 'public, no-cache');
      if (matchesEtag(header(res.req, 'if-none-match'), etag)) {
        res.writeHead(304).end();
        return;
      }
    } else res.setHeader('Cache-Control', 'no-store');
    res.writeHead(reply.status, {
      'Content-Type': problem
        ? 'application/problem+json; charset=utf-8'
        : 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  function problem(error: ApiError, headers: Record<string, string> = {}): Reply {
    if (error.options.retryAfter !== undefined)
      headers['Retry-After'] = String(error.options.retryAfter);
    return { status: error.status, body: error.toDocument(), headers };
  }

  /** Set once `close()` begins: readiness fails, and every answer closes its connection. */
  let draining = false;
  const requestLog =
    options.requestLog !== undefined
      ? options.requestLog
      : config.requestLog
        ? (line: string) => process.stdout.write(`${line}\n`)
        : null;

  /** Connections opened beyond PARLEY_MAX_CONNECTIONS: each request on one is answered 503. */
  const overCeiling = new WeakSet<Socket>();
  let connections = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const started = performance.now();
    const id = randomBytes(9).toString('base64url');
    let routePath = '(none)';
    res.setHeader('X-Request-Id', id);
    if (requestLog) {
      // One line per request, once its answer is done (for a stream: when it closes).
      res.once('close', () =>
        requestLog(
          JSON.stringify({
            time: new Date().toISOString(),
            id,
            method,
            route: routePath,
            status: res.statusCode,
            ms: Math.round((performance.now() - started) * 10) / 10,
            ...(res.writableFinished ? {} : { aborted: true }),
          }),
        ),
      );
    }
    if (draining) res.setHeader('Connection', 'close');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (overCeiling.has(req.socket)) {
      log(
        `[parley] ${method} ${req.url}: refused, ${count(connections)} connections open (PARLEY_MAX_CONNECTIONS is ${count(config.maxConnections)})`,
      );
      res.setHeader('Connection', 'close');
      send(
        res,
        problem(
          new ApiError(
            'unavailable',
            'The server has as many connections open as it takes; try again in a moment.',
            { retryAfter: 5 },
          ),
        ),
      );
      return;
    }
    const peer = req.socket.remoteAddress ?? 'unknown';
    const proto = header(req, 'x-forwarded-proto');
    if (
      (req.socket as { encrypted?: boolean }).encrypted ||
      forwardedProto(proto, peer, config.trustProxy) === 'https'
    )
      res.setHeader('Strict-Transport-Security', HSTS);
    const origin = req.headers.origin;
    // The seed route keeps the configured origins, whatever a seed set for the others.
    const allowedOrigins = (req.url ?? '').split('?')[0] === '/v1/_seed' ? config.origins : origins;
    const refused = origin !== undefined && !originAllowed(origin, allowedOrigins);
    if (origin !== undefined && !refused) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
    res.setHeader('Vary', 'Origin');
    try {
      if (method === 'OPTIONS') {
        if (refused)
          throw new ApiError(
            'forbidden',
            `The origin ${origin} may not use this server (see PARLEY_ORIGINS).`,
          );
        res.setHeader('Access-Control-Allow-Methods', METHODS);
        res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
        res.setHeader('Access-Control-Max-Age', '600');
        res.setHeader('Allow', METHODS);
        send(res, { status: 204 });
        return;
      }
      // Browsers send Origin on cross-origin writes; refuse writes from pages not allowed, so an
      // unlisted site cannot register or sign in guests from its visitors' browsers.
      if (refused && method !== 'GET' && method !== 'HEAD') {
        throw new ApiError(
          'forbidden',
          `The origin ${origin} may not use this server (see PARLEY_ORIGINS).`,
        );
      }
      let url: URL;
      let path: string[];
      try {
        url = new URL(req.url ?? '/', 'http://parley.invalid');
        path = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      } catch {
        throw new ApiError('invalid', 'The request path is not a valid URL.', { status: 400 });
      }
      const found = match(method === 'HEAD' ? 'GET' : method, path);
      if (!('route' in found)) {
        const where = `${method} ${url.pathname}`;
        if (found.allowed.length) {
          const allow = [
            ...found.allowed.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])),
            'OPTIONS',
          ].join(', ');
          res.setHeader('Allow', allow);
          throw new ApiError('invalid', `${where} is not supported; this path takes ${allow}.`, {
            status: 405,
          });
        }
        throw new ApiError('not-found', `There is no route for ${where}.`);
      }
      routePath = found.route.path;
      const address = rateKey(
        clientAddress(header(req, 'x-forwarded-for'), peer, config.trustProxy),
      );
      const reply = await run(found.route, { req, res, url, params: found.params, address });
      if (reply !== 'stream') send(res, reply);
    } catch (error) {
      if (error instanceof ApiError) {
        send(res, problem(error));
        return;
      }
      if (error instanceof StoreError) {
        send(res, problem(fromStoreError(error)));
        return;
      }
      // The client went away while sending its body: nobody is left to answer.
      if (req.destroyed && !req.complete) return;
      const fault = storageFault(error);
      if (fault) {
        const code = (error as { code?: string }).code;
        log(
          `[parley] ${method} ${req.url}: storage fault, ${fault.cause} (${code}: ${(error as Error).message})`,
        );
        send(res, problem(fault.problem));
        return;
      }
      log(`[parley] ${method} ${req.url} failed: ${(error as Error).stack ?? String(error)}`);
      send(
        res,
        problem(
          new ApiError('unavailable', 'The server failed; try again later.', { status: 500 }),
        ),
      );
    }
  }

  let closing: Promise<void> | null = null;
  const http = createServer(
    {
      // Slow clients: headers within PARLEY_HEADERS_TIMEOUT (Node answers 408 and closes), the
      // body within PARLEY_BODY_TIMEOUT (readRaw's 408); requestTimeout is the backstop for both.
      headersTimeout: config.headersTimeoutSeconds * 1000,
      requestTimeout: (config.headersTimeoutSeconds + config.bodyTimeoutSeconds + 5) * 1000,
      connectionsCheckingInterval: 1000,
      keepAliveTimeout: 5000,
    },
    (req, res) => {
      void handle(req, res);
    },
  );
  http.on('connection', (socket: Socket) => {
    connections++;
    if (connections > config.maxConnections) overCeiling.add(socket);
    socket.once('close', () => connections--);
  });

  return {
    config,
    storage,
    http,
    seed,
    listen: () =>
      new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(config.port, config.host, () => {
          http.off('error', reject);
          const address = http.address() as AddressInfo;
          const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve(`http://${host}:${address.port}`);
        });
      }),
    close: () =>
      (closing ??= (async () => {
        // Drain: no new connections; streams end (their clients resume elsewhere by
        // Last-Event-ID); idle connections close; requests in flight may finish, for up to
        // SHUTDOWN_GRACE_MS, each answer closing its connection; then the storage closes.
        draining = true;
        clearInterval(maintenance);
        seedSettings?.close();
        stopListening();
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        hub.closeAll();
        http.closeIdleConnections();
        const force = setTimeout(() => http.closeAllConnections(), SHUTDOWN_GRACE_MS);
        force.unref();
        await closed;
        clearTimeout(force);
        await storage.close().catch((error: unknown) => {
          log(`[parley] closing the storage failed: ${(error as Error).message}`);
        });
      })()),
  };
}
