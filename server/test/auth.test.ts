/** Signing in: single sign-on, built-in accounts, guests, sessions and logout. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signSsoToken } from '../auth.js';
import { loadConfig } from '../config.js';
import { LoginThrottle } from '../rate-limit.js';
import {
  client,
  MAIN_THREAD,
  SECRET,
  seedContract,
  sql,
  sso,
  startServer,
  type TestServer,
} from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startServer();
  await seedContract(server.url);
});
after(() => server.close());

const viewer = (token?: string) => client(server.url, token).get('/v1/viewer');
const post = (token: string, body = 'Hello.') =>
  client(server.url, token).post(`/v1/threads/${MAIN_THREAD}/posts`, { body: { body } });

describe('single sign-on', () => {
  it('accepts a good token and names the user sso:<sub> with the latest profile', async () => {
    const token = sso({
      sub: '42',
      name: 'Grace Hopper',
      handle: 'grace',
      avatar: 'https://img.example/g.png',
    });
    const res = await viewer(token);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.user, {
      id: 'sso:42',
      name: 'Grace Hopper',
      handle: 'grace',
      avatarUrl: 'https://img.example/g.png',
    });
    assert.equal(res.body.moderator, false);
    const created = await post(token, 'Posted through single sign-on.');
    assert.equal(created.status, 201);
    assert.equal(created.body.author.id, 'sso:42');

    const renamed = sso({ sub: '42', name: 'Rear Admiral Hopper' });
    assert.deepEqual((await viewer(renamed)).body.user, {
      id: 'sso:42',
      name: 'Rear Admiral Hopper',
    });
    const reread = await client(server.url).get(`/v1/posts/${created.body.id}`);
    assert.equal(reread.body.author.name, 'Rear Admiral Hopper', 'posts show the latest name');
  });

  it('refuses an expired token with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await viewer(sso({ sub: '42', name: 'G', iat: now - 7200, exp: now - 3600 }));
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'unauthorized');
    assert.match(res.body.detail, /expired/);
    assert.equal((await post(sso({ sub: '42', name: 'G', exp: now - 3600 }))).status, 401);
  });

  it('refuses a token signed with another secret', async () => {
    const res = await viewer(sso({ sub: '42', name: 'G' }, 'not-the-secret'));
    assert.equal(res.status, 401);
    assert.match(res.body.detail, /signature/);
  });

  it('refuses a tampered token', async () => {
    const [head, , signature] = sso({ sub: '42', name: 'G' }).split('.');
    const claims = Buffer.from(
      JSON.stringify({ sub: 'admin', name: 'G', exp: Math.floor(Date.now() / 1000) + 60 }),
    ).toString('base64url');
    assert.equal((await viewer(`${head}.${claims}.${signature}`)).status, 401);
  });

  it('requires exp, at most 24 hours ahead', async () => {
    const now = Math.floor(Date.now() / 1000);
    const noExp = signSsoToken({ sub: '42', name: 'G' }, SECRET);
    assert.match((await viewer(noExp)).body.detail, /exp/);
    const tooLong = await viewer(sso({ sub: '42', name: 'G', exp: now + 25 * 3600 }));
    assert.equal(tooLong.status, 401);
    assert.match(tooLong.body.detail, /24 hours/);
  });

  it('refuses alg none and other algorithms', async () => {
    const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const token = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: '42', name: 'G', exp: Math.floor(Date.now() / 1000) + 60 })}.`;
    const res = await viewer(token);
    assert.equal(res.status, 401);
    assert.match(res.body.detail, /HS256/);
  });

  it('refuses a token whose claims are not usable', async () => {
    assert.equal((await viewer(sso({ name: 'No sub' }))).status, 401);
    assert.equal(
      (await viewer(sso({ sub: '1', name: 'G', avatar: 'javascript:alert(1)' }))).status,
      401,
    );
    assert.equal((await viewer(sso({ sub: '1', name: 'G', handle: '@bad handle' }))).status, 401);
  });

  it('is off without PARLEY_SSO_SECRET', async () => {
    const plain = await startServer({ PARLEY_SSO_SECRET: '' });
    try {
      const res = await client(plain.url, sso({ sub: '42', name: 'G' })).get('/v1/viewer');
      assert.equal(res.status, 401);
      assert.match(res.body.detail, /not set up/);
    } finally {
      await plain.close();
    }
  });
});

describe('single sign-on claims', () => {
  it('requires iat, and refuses a token issued more than PARLEY_SSO_MAX_AGE seconds ago or in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    const noIat = await viewer(signSsoToken({ sub: '42', name: 'G', exp: now + 600 }, SECRET));
    assert.equal(noIat.status, 401);
    assert.match(noIat.body.detail, /iat/);
    const old = await viewer(sso({ sub: '42', name: 'G', iat: now - 25 * 3600 }));
    assert.equal(old.status, 401);
    assert.match(old.body.detail, /issued more than 24 hours ago/);
    assert.equal((await viewer(sso({ sub: '42', name: 'G', iat: now - 23 * 3600 }))).status, 200);
    assert.match((await viewer(sso({ sub: '42', name: 'G', iat: now + 3600 }))).body.detail, /iat/);
    const strict = await startServer({ PARLEY_SSO_MAX_AGE: '600' });
    try {
      const res = await client(strict.url, sso({ sub: '42', name: 'G', iat: now - 900 })).get(
        '/v1/viewer',
      );
      assert.equal(res.status, 401);
      assert.match(res.body.detail, /issued more than 600 seconds ago/);
    } finally {
      await strict.close();
    }
  });

  it('checks aud and iss when PARLEY_SSO_AUDIENCE and PARLEY_SSO_ISSUER are set', async () => {
    const strict = await startServer({
      PARLEY_SSO_AUDIENCE: 'parley.example',
      PARLEY_SSO_ISSUER: 'https://site.example',
    });
    try {
      const as = (claims: Record<string, unknown>) =>
        client(strict.url, sso({ sub: '42', name: 'G', ...claims })).get('/v1/viewer');
      assert.equal((await as({ aud: 'parley.example', iss: 'https://site.example' })).status, 200);
      assert.equal(
        (await as({ aud: ['other', 'parley.example'], iss: 'https://site.example' })).status,
        200,
        'aud may be a list',
      );
      const noAud = await as({ iss: 'https://site.example' });
      assert.equal(noAud.status, 401);
      assert.match(noAud.body.detail, /aud/);
      assert.match(
        (await as({ aud: 'elsewhere', iss: 'https://site.example' })).body.detail,
        /aud/,
      );
      assert.match(
        (await as({ aud: 'parley.example', iss: 'https://evil.example' })).body.detail,
        /iss/,
      );
      assert.match((await as({ aud: 'parley.example' })).body.detail, /iss/);
    } finally {
      await strict.close();
    }
    // Not configured: aud and iss are not looked at.
    assert.equal(
      (await viewer(sso({ sub: '42', name: 'G', aud: 'anything', iss: 'anyone' }))).status,
      200,
    );
  });

  it('refuses to start with single-sign-on settings but no secret', () => {
    assert.throws(
      () => loadConfig({ PARLEY_SSO_AUDIENCE: 'parley.example' }),
      /PARLEY_SSO_AUDIENCE.*PARLEY_SSO_SECRET/,
    );
    assert.throws(
      () => loadConfig({ PARLEY_SSO_SECRET: SECRET, PARLEY_SSO_MAX_AGE: 'forever' }),
      /PARLEY_SSO_MAX_AGE/,
    );
  });
});

describe('handles are unique', () => {
  it("keeps an SSO user's identity but drops a handle someone else has, in any case or look-alike spelling", async () => {
    const own = await startServer();
    try {
      const real = await client(own.url).post('/v1/auth/register', {
        body: { name: 'Dalya Qualls', handle: 'dqualls', password: 'password1' },
      });
      assert.equal(real.status, 201);
      for (const handle of ['dqualls', 'DQUALLS', 'dqua11s', 'dquaIIs', 'clqualls']) {
        const res = await client(
          own.url,
          sso({ sub: 'mallory', name: 'Dalya Qualls', handle }),
        ).get('/v1/viewer');
        assert.equal(res.status, 200, handle);
        assert.deepEqual(res.body.user, { id: 'sso:mallory', name: 'Dalya Qualls' }, handle);
      }
      const mine = await client(
        own.url,
        sso({ sub: 'mallory', name: 'Mallory', handle: 'mallory' }),
      ).get('/v1/viewer');
      assert.equal(mine.body.user.handle, 'mallory', 'a free handle is kept');
      assert.equal(
        (
          await client(own.url, sso({ sub: 'mallory', name: 'Mallory', handle: 'mallory' })).get(
            '/v1/viewer',
          )
        ).body.user.handle,
        'mallory',
        'and kept on the next request',
      );
      const seeded = await client(own.url, sso({ sub: 'x', name: 'X', handle: 'Dqualls' })).get(
        '/v1/viewer',
      );
      assert.equal(seeded.body.user.handle, undefined);
    } finally {
      await own.close();
    }
  });

  it('refuses to register a handle an SSO user, a seeded member or an account has, or one that looks like it', async () => {
    const own = await startServer();
    try {
      await seedContract(own.url);
      await client(own.url, sso({ sub: '7', name: 'Grace', handle: 'grace' })).get('/v1/viewer');
      await client(own.url).post('/v1/auth/register', {
        body: { name: 'Morris', handle: 'morris', password: 'password1' },
      });
      const register = (handle: string) =>
        client(own.url).post('/v1/auth/register', {
          body: { name: 'Copy', handle, password: 'password2' },
        });
      for (const handle of ['grace', 'GRACE', 'Ana', 'rnorris', 'm0rris']) {
        const res = await register(handle);
        assert.equal(res.status, 409, handle);
        assert.equal(res.body.field, 'handle');
      }
      assert.equal((await register('j0rdan.ok')).status, 201);
      assert.equal((await register('jordan.ok')).status, 409, 'o and 0 look alike');
      assert.equal((await register('graceful')).status, 201);
    } finally {
      await own.close();
    }
  });
});

describe('guests are marked', () => {
  it('gives a guest guest: true wherever the author shows, and nobody else', async () => {
    const { body } = await client(server.url).post('/v1/auth/guest', {
      body: { name: 'Passer-by' },
    });
    assert.equal(body.user.guest, true);
    assert.equal((await viewer(body.token)).body.user.guest, true);
    const created = await post(body.token, 'Only passing.');
    assert.equal(created.body.author.guest, true);
    assert.equal(
      (await client(server.url).get(`/v1/posts/${created.body.id}`)).body.author.guest,
      true,
    );
    const ssoUser = await viewer(sso({ sub: 'not-a-guest', name: 'N' }));
    assert.equal('guest' in ssoUser.body.user, false);
  });
});

describe('built-in accounts', () => {
  it('registers, then logs in with the handle (any case) and password', async () => {
    const registered = await client(server.url).post('/v1/auth/register', {
      body: { name: 'Ada Lovelace', handle: 'ada', password: 'analytical' },
    });
    assert.equal(registered.status, 201);
    assert.equal(typeof registered.body.token, 'string');
    assert.ok(registered.body.token.length >= 43, 'the token carries 32 random bytes');
    assert.deepEqual(registered.body.user, {
      id: registered.body.user.id,
      name: 'Ada Lovelace',
      handle: 'ada',
    });
    assert.deepEqual((await viewer(registered.body.token)).body.user, registered.body.user);

    const login = await client(server.url).post('/v1/auth/login', {
      body: { handle: 'ADA', password: 'analytical' },
    });
    assert.equal(login.status, 200);
    assert.equal(login.body.user.id, registered.body.user.id);
    assert.notEqual(login.body.token, registered.body.token);
    assert.equal((await post(login.body.token)).body.author.id, registered.body.user.id);
  });

  it('stores passwords as scrypt hashes and session tokens only as hashes', async () => {
    const { body } = await client(server.url).post('/v1/auth/register', {
      body: { name: 'Hash Check', handle: 'hashcheck', password: 'correct horse' },
    });
    const [{ password_hash: hash }] = (await sql(
      server.app,
      'SELECT password_hash FROM users WHERE id = ?',
      body.user.id,
    )) as { password_hash: string }[];
    assert.match(hash, /^scrypt\$/);
    assert.ok(!hash.includes('correct horse'));
    const sessions = (
      await sql(server.app, 'SELECT token_hash FROM sessions WHERE user_id = ?', body.user.id)
    ).map((row) => row.token_hash as string);
    assert.equal(sessions.length, 1);
    assert.notEqual(sessions[0], body.token);
    assert.match(sessions[0], /^[0-9a-f]{64}$/);
  });

  it('refuses a wrong password and an unknown handle alike with 401', async () => {
    await client(server.url).post('/v1/auth/register', {
      body: { name: 'Wrong Pw', handle: 'wrongpw', password: 'right password' },
    });
    const wrong = await client(server.url).post('/v1/auth/login', {
      body: { handle: 'wrongpw', password: 'wrong password' },
    });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.code, 'unauthorized');
    const unknown = await client(server.url).post('/v1/auth/login', {
      body: { handle: 'nobody-here', password: 'whatever1' },
    });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.detail, wrong.body.detail, 'no hint whether the handle exists');
  });

  it('refuses a handle that is taken, in any case, with 409 naming the field', async () => {
    const first = await client(server.url).post('/v1/auth/register', {
      body: { name: 'Taken', handle: 'taken', password: 'password1' },
    });
    assert.equal(first.status, 201);
    const again = await client(server.url).post('/v1/auth/register', {
      body: { name: 'Other', handle: 'TAKEN', password: 'password2' },
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'conflict');
    assert.equal(again.body.field, 'handle');
    const seeded = await client(server.url).post('/v1/auth/register', {
      body: { name: 'Not Ana', handle: 'ana', password: 'password3' },
    });
    assert.equal(seeded.status, 409, "a seeded member's handle is taken too");
  });

  it('validates name, handle and password, naming the field', async () => {
    const register = (body: unknown) => client(server.url).post('/v1/auth/register', { body });
    assert.equal(
      (await register({ name: '', handle: 'x1', password: 'password' })).body.field,
      'name',
    );
    assert.equal(
      (await register({ name: 'X', handle: '@x', password: 'password' })).body.field,
      'handle',
    );
    const short = await register({ name: 'X', handle: 'x2', password: 'short' });
    assert.equal(short.status, 422);
    assert.equal(short.body.field, 'password');
    assert.match(short.body.detail, /^password: .*8 characters/);
  });

  it('is off with PARLEY_ACCOUNTS=off', async () => {
    const closed = await startServer({ PARLEY_ACCOUNTS: 'off' });
    try {
      assert.equal(
        (
          await client(closed.url).post('/v1/auth/register', {
            body: { name: 'A', handle: 'a', password: 'password' },
          })
        ).status,
        403,
      );
      assert.equal(
        (
          await client(closed.url).post('/v1/auth/login', {
            body: { handle: 'a', password: 'password' },
          })
        ).status,
        403,
      );
      assert.equal((await client(closed.url).get('/v1/viewer')).body.signIn.accounts, false);
    } finally {
      await closed.close();
    }
  });
});

describe('guests', () => {
  it('signs a guest in by name', async () => {
    const res = await client(server.url).post('/v1/auth/guest', { body: { name: '  Visitor  ' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.user.name, 'Visitor');
    assert.match(res.body.user.id, /^guest-/);
    assert.equal((await post(res.body.token, 'A guest writes.')).body.author.name, 'Visitor');
  });

  it('needs a name', async () => {
    const res = await client(server.url).post('/v1/auth/guest', { body: { name: ' ' } });
    assert.equal(res.status, 422);
    assert.equal(res.body.field, 'name');
  });

  it('is forbidden with PARLEY_GUESTS=off', async () => {
    const closed = await startServer({ PARLEY_GUESTS: 'off' });
    try {
      const res = await client(closed.url).post('/v1/auth/guest', { body: { name: 'Visitor' } });
      assert.equal(res.status, 403);
      assert.equal(res.body.code, 'forbidden');
    } finally {
      await closed.close();
    }
  });
});

describe('sessions', () => {
  it('logout ends the session token', async () => {
    const { body } = await client(server.url).post('/v1/auth/guest', { body: { name: 'Leaving' } });
    assert.equal((await viewer(body.token)).status, 200);
    const out = await client(server.url, body.token).post('/v1/auth/logout');
    assert.equal(out.status, 204);
    const after = await viewer(body.token);
    assert.equal(after.status, 401);
    assert.equal((await post(body.token)).status, 401);
  });

  it('gives a signed-out viewer user null, and 401 for a token it does not know', async () => {
    assert.deepEqual((await viewer()).body, {
      user: null,
      moderator: false,
      signIn: { accounts: true, guests: true, sso: true },
    });
    assert.equal((await viewer('made-up-token')).status, 401);
    const badHeader = await client(server.url).get('/v1/viewer', {
      headers: { Authorization: 'Basic abc' },
    });
    assert.equal(badHeader.status, 401);
  });

  it('slides: a session used after half its life is extended to PARLEY_SESSION_DAYS from now, keeping its token', async () => {
    const days = 30;
    const dayMs = 86_400_000;
    const { body } = await client(server.url).post('/v1/auth/guest', { body: { name: 'Regular' } });
    const expiry = async () =>
      Number(
        (
          await sql(server.app, 'SELECT expires_ms FROM sessions WHERE user_id = ?', body.user.id)
        )[0].expires_ms,
      );
    const setExpiry = (ms: number) =>
      sql(server.app, 'UPDATE sessions SET expires_ms = ? WHERE user_id = ?', ms, body.user.id);
    const fresh = await expiry();
    assert.ok(
      Math.abs(fresh - (Date.now() + days * dayMs)) < 60_000,
      'a new session lasts 30 days',
    );

    // More than half its life left: used, but not rewritten.
    await setExpiry(Date.now() + 20 * dayMs);
    const early = await expiry();
    assert.equal((await viewer(body.token)).status, 200);
    assert.equal(await expiry(), early, 'no renewal while more than half is left');

    // Less than half left: the next use extends it, for reads and writes alike.
    await setExpiry(Date.now() + 2 * dayMs);
    assert.equal((await viewer(body.token)).status, 200);
    assert.ok((await expiry()) > Date.now() + (days - 1) * dayMs, 'renewed to 30 days from now');
    await setExpiry(Date.now() + dayMs);
    assert.equal((await post(body.token, 'Still here.')).status, 201);
    assert.ok((await expiry()) > Date.now() + (days - 1) * dayMs, 'a write renews it too');
    assert.deepEqual(
      (await viewer(body.token)).body.user,
      body.user,
      'the same token goes on working',
    );
  });

  it('refuses an expired session with 401, and does not bring it back', async () => {
    const { body } = await client(server.url).post('/v1/auth/guest', {
      body: { name: 'Away too long' },
    });
    await sql(
      server.app,
      'UPDATE sessions SET expires_ms = ? WHERE user_id = ?',
      Date.now() - 1,
      body.user.id,
    );
    const res = await viewer(body.token);
    assert.equal(res.status, 401);
    assert.match(res.body.detail, /expired or ended/);
    assert.equal((await viewer(body.token)).status, 401);
  });

  it('takes the session length from PARLEY_SESSION_DAYS', async () => {
    const short = await startServer({ PARLEY_SESSION_DAYS: '2' });
    try {
      const { body } = await client(short.url).post('/v1/auth/guest', { body: { name: 'Short' } });
      const expiry = async () =>
        Number(
          (
            await sql(short.app, 'SELECT expires_ms FROM sessions WHERE user_id = ?', body.user.id)
          )[0].expires_ms,
        );
      assert.ok(Math.abs((await expiry()) - (Date.now() + 2 * 86_400_000)) < 60_000);
      await sql(
        short.app,
        'UPDATE sessions SET expires_ms = ? WHERE user_id = ?',
        Date.now() + 3_600_000,
        body.user.id,
      );
      assert.equal((await client(short.url, body.token).get('/v1/viewer')).status, 200);
      assert.ok(
        Math.abs((await expiry()) - (Date.now() + 2 * 86_400_000)) < 60_000,
        'renewed to 2 days',
      );
    } finally {
      await short.close();
    }
  });

  it('names moderators', async () => {
    assert.equal((await viewer(sso({ sub: 'x', name: 'X' }))).body.moderator, false);
    const tokens = await seedContract(server.url);
    assert.equal((await viewer(tokens.mod)).body.moderator, true);
    assert.equal((await viewer(tokens['c-ana'])).body.moderator, false);
  });
});

describe('password guessing', () => {
  const login = (base: string, handle: string, password: string) =>
    client(base).post('/v1/auth/login', { body: { handle, password } });

  it('locks a handle after 5 failed logins with 429 and Retry-After, for known and unknown handles alike', async () => {
    const own = await startServer();
    try {
      assert.equal(
        (
          await client(own.url).post('/v1/auth/register', {
            body: { name: 'Target', handle: 'target', password: 'the real one' },
          })
        ).status,
        201,
      );
      const answers: Record<
        string,
        { status: number; detail: string; retryAfter: string | null }[]
      > = { target: [], ghost: [] };
      for (const handle of ['target', 'ghost']) {
        for (let i = 0; i < 7; i++) {
          const res = await login(own.url, i % 2 ? handle.toUpperCase() : handle, `guess ${i}`);
          answers[handle].push({
            status: res.status,
            detail: res.body.detail,
            retryAfter: res.headers.get('retry-after'),
          });
        }
      }
      assert.deepEqual(
        answers.target.map((a) => a.status),
        [401, 401, 401, 401, 401, 429, 429],
      );
      assert.deepEqual(
        answers.ghost,
        answers.target,
        'an unknown handle is answered exactly as a known one',
      );
      assert.equal(answers.target[5].retryAfter, '30');
      assert.match(answers.target[5].detail, /too many failed logins/i);
      const right = await login(own.url, 'target', 'the real one');
      assert.equal(right.status, 429, 'while locked, even the right password is not checked');
      assert.equal(
        (await login(own.url, 'someone-else', 'guess')).status,
        401,
        'other handles are not held back',
      );
    } finally {
      await own.close();
    }
  });

  it('forgets failed logins after a successful one', async () => {
    const own = await startServer();
    try {
      await client(own.url).post('/v1/auth/register', {
        body: { name: 'Forgetful', handle: 'forgetful', password: 'remembered' },
      });
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 4; i++)
          assert.equal((await login(own.url, 'forgetful', 'not it')).status, 401);
        assert.equal(
          (await login(own.url, 'forgetful', 'remembered')).status,
          200,
          `round ${round}`,
        );
      }
    } finally {
      await own.close();
    }
  });

  it('doubles the lock with every further failure, up to 15 minutes, and lifts it in time', () => {
    const throttle = new LoginThrottle();
    let now = 1_000_000;
    for (let i = 0; i < 4; i++) throttle.fail('h', now);
    assert.equal(throttle.wait('h', now), 0);
    throttle.fail('h', now);
    assert.equal(throttle.wait('h', now), 30);
    assert.equal(throttle.wait('h', now + 29_001), 1);
    now += 30_000;
    assert.equal(throttle.wait('h', now), 0, 'the lock ends');
    throttle.fail('h', now);
    assert.equal(throttle.wait('h', now), 60);
    for (let i = 0; i < 10; i++) {
      now += 3_600_000;
      throttle.fail('h', now);
    }
    assert.equal(throttle.wait('h', now), 900, 'at most 15 minutes');
    throttle.succeed('h');
    assert.equal(throttle.wait('h', now), 0);
    for (let i = 0; i < 4; i++) throttle.fail('h', now);
    now += 25 * 3_600_000;
    throttle.fail('h', now);
    assert.equal(throttle.wait('h', now), 0, 'failures a day old are forgotten');
    throttle.sweep(now + 25 * 3_600_000);
    assert.equal(throttle.size, 0, 'and so is the handle');
  });
});
