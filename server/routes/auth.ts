/** Who the caller is, and signing in: accounts, guests, sessions. */
import { hashPassword, isJwt, verifyPassword } from '../auth.js';
import { ApiError } from '../problem.js';
import { ref, type Body } from '../schema.js';
import { json, use } from './doc.js';
import { ok, route, type Deps, type RouteSpec } from './route.js';

export function authRoutes({ config, storage, limits }: Deps): RouteSpec[] {
  return [
    route({
      method: 'GET',
      path: '/v1/viewer',
      doc: {
        tags: ['viewer'],
        operationId: 'getViewer',
        summary: 'Who is reading',
        responses: {
          '200': {
            description: 'The caller (user null when no token is sent)',
            content: json(ref('Viewer')),
          },
        },
      },
      auth: 'optional',
      handler: ({ caller }) =>
        ok({
          user: caller?.user ?? null,
          moderator: caller?.moderator ?? false,
          signIn: {
            accounts: config.accounts,
            guests: config.guests,
            sso: config.ssoSecret !== null,
          },
        }),
    }),

    route({
      method: 'POST',
      path: '/v1/auth/register',
      doc: {
        tags: ['viewer'],
        operationId: 'register',
        summary: 'Create a built-in account and sign in',
        request: 'The account',
        responses: {
          '201': {
            description: 'Signed in',
            content: json(ref('Session')),
          },
          '403': use('responses/Forbidden'),
          '409': use('responses/Conflict'),
        },
      },
      available: () => {
        if (!config.accounts)
          throw new ApiError('forbidden', 'Registering is turned off on this server.');
      },
      auth: 'none',
      body: 'RegisterRequest',
      limit: {},
      handler: async ({ body }) => {
        const input = body as Body<'RegisterRequest'>;
        const name = input.name.trim();
        const password = input.password;
        const user = await storage.createAccount(name, input.handle, await hashPassword(password));
        return ok({ token: await storage.createSession(user.id, config.sessionDays), user }, 201);
      },
    }),

    route({
      method: 'POST',
      path: '/v1/auth/login',
      doc: {
        tags: ['viewer'],
        operationId: 'login',
        summary: 'Sign in to a built-in account',
        request: 'Handle and password',
        responses: {
          '200': {
            description: 'Signed in',
            content: json(ref('Session')),
          },
          // A wrong handle or password (the route needs no sign-in, so nothing implies it).
          '401': use('responses/Unauthorized'),
          '403': use('responses/Forbidden'),
        },
      },
      available: () => {
        if (!config.accounts)
          throw new ApiError(
            'forbidden',
            'Logging in with a password is turned off on this server.',
          );
      },
      auth: 'none',
      body: 'LoginRequest',
      limit: {},
      handler: async ({ body }) => {
        const input = body as Body<'LoginRequest'>;
        const given = input.handle.trim().replace(/^@/, '');
        // Everything from here takes the same path, and the same time, whether or not the handle
        // exists: one lookup, one scrypt, one answer.
        const key = given.toLowerCase();
        const wait = await limits.loginWait(key);
        if (wait > 0) {
          throw new ApiError(
            'rate-limited',
            `Too many failed logins for this handle; try again in ${wait} second${wait === 1 ? '' : 's'}.`,
            { retryAfter: wait },
          );
        }
        const account = await storage.findAccount(given);
        const good = await verifyPassword(input.password, account?.passwordHash ?? null);
        if (!account || !good) {
          await limits.loginFailed(key);
          throw new ApiError('unauthorized', 'The handle or password is wrong.');
        }
        await limits.loginSucceeded(key);
        return ok({
          token: await storage.createSession(account.author.id, config.sessionDays),
          user: account.author,
        });
      },
    }),

    route({
      method: 'POST',
      path: '/v1/auth/guest',
      doc: {
        tags: ['viewer'],
        operationId: 'guest',
        summary: 'Sign in as a guest by name (when guests are on)',
        request: "The guest's name",
        responses: {
          '200': {
            description: 'Signed in',
            content: json(ref('Session')),
          },
          '403': use('responses/Forbidden'),
        },
      },
      available: () => {
        if (!config.guests)
          throw new ApiError('forbidden', 'Guests cannot post here; please log in or register.');
      },
      auth: 'none',
      body: 'GuestRequest',
      limit: {},
      handler: async ({ body }) => {
        const user = await storage.createGuest((body as Body<'GuestRequest'>).name.trim());
        return ok({ token: await storage.createSession(user.id, config.sessionDays), user });
      },
    }),

    // Ends the session its token names, if it is one (a single-sign-on token has no session);
    // always 204, so a stale token logs out too.
    route({
      method: 'POST',
      path: '/v1/auth/logout',
      doc: {
        tags: ['viewer'],
        operationId: 'logout',
        summary: 'End the session token (a single-sign-on token just stops being sent)',
        description:
          'The session stops working at once, on every route (401). Sessions otherwise last PARLEY_SESSION_DAYS (default 30) and slide: a request using one when less than half of that is left extends it to the full length from now, with the same token.',
        responses: {
          '204': {
            description: 'Signed out',
          },
        },
        security: 'optional',
      },
      auth: 'none',
      handler: async ({ req }) => {
        const header = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
        if (header && !isJwt(header[1])) await storage.deleteSession(header[1]);
        return { status: 204 };
      },
    }),
  ];
}
