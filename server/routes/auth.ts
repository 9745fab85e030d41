/** Who the caller is, and signing in: accounts, guests, sessions. */
import { hashPassword, isJwt, verifyPassword } from '../auth.js';
import { ApiError } from '../problem.js';
import type { Body } from '../schema.js';
import { ok, route, type Deps, type RouteSpec } from './route.js';

export function authRoutes({ config, storage, limits }: Deps): RouteSpec[] {
  return [
    route({
      method: 'GET',
      path: '/v1/viewer',
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
      auth: 'none',
      handler: async ({ req }) => {
        const header = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
        if (header && !isJwt(header[1])) await storage.deleteSession(header[1]);
        return { status: 204 };
      },
    }),
  ];
}
