/**
 * `POST /v1/_seed`: replaces all data, for tests and the demo (PARLEY_ALLOW_SEED, off by
 * default: without it the route does not exist).
 */
import { ParleyError } from '../../src/model/errors.js';
import type { Author } from '../../src/model/types.js';
import { validateSeed, type Seed } from '../../src/model/seed.js';
import { hashPassword } from '../auth.js';
import type { Config } from '../config.js';
import { handleSkeleton } from '../handles.js';
import { ApiError, fromParleyError, invalid } from '../problem.js';
import type { Limits } from '../rate-limit.js';
import { ref } from '../schema.js';
import type { SeedSettings } from '../storage/postgres-seed.js';
import type { Storage } from '../storage/storage.js';
import { json, use } from './doc.js';
import { ok, route, type Deps, type RouteSpec } from './route.js';

/** A seed as `POST /v1/_seed` takes it: the library's `Seed`, plus optional passwords, moderators and origins. */
export interface SeedRequest extends Omit<Seed, 'users'> {
  /** A user with a `password` (8 characters or more) gets a built-in account. */
  users?: (Author & { password?: string })[];
  /** Replaces PARLEY_MODERATORS until the next seed (one without `moderators` restores it). */
  moderators?: string[];
  /**
   * Replaces PARLEY_ORIGINS on every route but `/v1/_seed` itself, which keeps the configured
   * list (so a test can make the server refuse its own page, then seed again), until the next
   * seed (one without `origins` restores PARLEY_ORIGINS). Both last until a restart on SQLite,
   * and are kept in the database on PostgreSQL, for every instance (storage/postgres-seed.ts).
   */
  origins?: string[];
}

/** An origin as PARLEY_ORIGINS lists it: scheme, host and port, no path. */
const ORIGIN_PATTERN = /^https?:\/\/[^/\s]+$/;

/**
 * Checks a seed as the library does (validateSeed: errors name the record and the field, e.g.
 * `posts[3].author.name (id "u")`), and its moderators, origins and accounts; throws the
 * `invalid` problem of the first thing wrong. `POST /v1/_seed` runs it before the body's schema
 * (SeedRequest), so a seed is refused in these words wherever they have something to say.
 */
export function checkSeed(data: unknown): { valid: Seed; request: SeedRequest } {
  let valid: Seed;
  try {
    valid = validateSeed(data);
  } catch (error) {
    if (error instanceof ParleyError) throw fromParleyError(error);
    throw error;
  }
  const request = data as SeedRequest;
  if (
    request.moderators !== undefined &&
    (!Array.isArray(request.moderators) || !request.moderators.every((m) => typeof m === 'string'))
  ) {
    throw invalid('moderators', 'must be a list of user ids.');
  }
  if (
    request.origins !== undefined &&
    (!Array.isArray(request.origins) ||
      !request.origins.every((o) => typeof o === 'string' && (o === '*' || ORIGIN_PATTERN.test(o))))
  ) {
    throw invalid(
      'origins',
      'must be a list of origins like https://example.com (scheme, host and port, no path), or ["*"].',
    );
  }
  const accountHandles = new Map<string, number>();
  (request.users ?? []).forEach((user, i) => {
    if (user.password === undefined) return;
    if (!user.handle)
      throw invalid(`users[${i}].handle`, 'a user with a password needs a handle to log in with.');
    const key = handleSkeleton(user.handle);
    const seen = accountHandles.get(key);
    if (seen !== undefined)
      throw invalid(
        `users[${i}].handle`,
        `@${user.handle} is (or looks like) the handle of users[${seen}]; accounts need different handles.`,
      );
    accountHandles.set(key, i);
  });
  (request.users ?? []).forEach((user, i) => {
    const password: unknown = user.password;
    if (password !== undefined && (typeof password !== 'string' || password.length < 8))
      throw invalid(`users[${i}].password`, 'must be at least 8 characters.');
  });
  return { valid, request };
}

/**
 * The seeding itself (also `ParleyServer.seed`): checks the seed (`checkSeed`), replaces
 * everything in the storage, applies (and, on PostgreSQL, shares) its moderators and origins,
 * and empties the rate limits. Resolves to a session token per user.
 */
export function seeder(options: {
  config: Config;
  storage: Storage;
  limits: Limits;
  /** Where the settings are shared with other instances (PostgreSQL), if anywhere. */
  shared: () => { save(settings: SeedSettings): Promise<void> } | null;
  apply: (settings: SeedSettings) => void;
}): (data: unknown) => Promise<Record<string, string>> {
  const { config, storage, limits } = options;
  return async (data) => {
    const { valid, request } = checkSeed(data);
    const hashes = new Map<string, string>();
    await Promise.all(
      (request.users ?? []).map(async (user) => {
        if (user.password !== undefined) hashes.set(user.id, await hashPassword(user.password));
      }),
    );
    const tokens = await storage.replaceAll(valid, hashes, config.sessionDays);
    const settings = { moderators: request.moderators ?? null, origins: request.origins ?? null };
    await options.shared()?.save(settings);
    options.apply(settings);
    await limits.clear();
    return tokens;
  };
}

export function seedRoutes({ config, seed }: Deps): RouteSpec[] {
  return [
    route({
      method: 'POST',
      path: '/v1/_seed',
      doc: {
        tags: ['testing'],
        operationId: 'seed',
        summary:
          'Replace ALL data with a seed (tests and demos; 404 unless PARLEY_ALLOW_SEED is on)',
        description:
          "Validated as the library's validateSeed does (errors name the record and field, e.g. `posts[3].author.name`). Sessions, idempotency keys and events are cleared; event ids keep increasing. Returns a session token for every user in `users`.",
        request: 'The data',
        responses: {
          '200': {
            description: 'Seeded',
            content: json(ref('SeedResult')),
          },
          '404': use('responses/NotFound'),
        },
      },
      available: () => {
        if (!config.allowSeed)
          throw new ApiError('not-found', 'There is no route for POST /v1/_seed.');
      },
      auth: 'none',
      body: 'SeedRequest',
      precheck: checkSeed,
      handler: async ({ body: data }) => {
        const tokens = await seed(data);
        const valid = data as unknown as Seed;
        return ok({
          threads: valid.threads.length,
          posts: valid.posts.length,
          users: (valid.users ?? []).length,
          tokens,
        });
      },
    }),
  ];
}
