/**
 * Single-sign-on tokens against a real server: tokens from jose's `SignJWT` (what a host site
 * written in JavaScript uses), algorithm confusion, malformed tokens, and the clock tolerance.
 * The claim rules themselves are in auth.test.ts.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { jwtVerify, SignJWT } from 'jose';
import { signSsoToken } from '../auth.js';
import { client, SECRET, startServer, type Res, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

const viewer = (token: string) => client(server.url, token).get('/v1/viewer');
const encode = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: '42',
  name: 'Grace',
  iat: now(),
  exp: now() + 600,
  ...extra,
});

/** A token with any header, signed with HMAC over `hash` (sha256 unless given) and the secret. */
function forge(header: unknown, body: unknown, hash = 'sha256', secret = SECRET): string {
  const head = `${encode(header)}.${encode(body)}`;
  return `${head}.${createHmac(hash, secret).update(head).digest('base64url')}`;
}

/** A 401 problem document whose detail matches `detail`. */
function assertRefused(res: Res, detail: RegExp, what: string) {
  assert.equal(res.status, 401, what);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/, what);
  assert.equal(res.body.code, 'unauthorized', what);
  assert.match(res.body.detail, detail, what);
}

describe('tokens from jose', () => {
  it("accepts a token signed with jose's SignJWT", async () => {
    const token = await new SignJWT({ name: 'Grace Hopper', handle: 'grace' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('42')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(SECRET));
    const res = await viewer(token);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.user, { id: 'sso:42', name: 'Grace Hopper', handle: 'grace' });
  });

  it('signs with signSsoToken what jose verifies', async () => {
    const token = signSsoToken(claims(), SECRET);
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(SECRET), {
      algorithms: ['HS256'],
    });
    assert.equal(protectedHeader.alg, 'HS256');
    assert.equal(payload.sub, '42');
  });
});

describe('algorithm confusion', () => {
  it('refuses every algorithm but HS256, even with a signature made from the secret', async () => {
    const cases: [string, unknown, string][] = [
      ['HS384', { alg: 'HS384', typ: 'JWT' }, 'sha384'],
      ['HS512', { alg: 'HS512', typ: 'JWT' }, 'sha512'],
      ['RS256 over an HMAC', { alg: 'RS256', typ: 'JWT' }, 'sha256'],
      ['ES256 over an HMAC', { alg: 'ES256', typ: 'JWT' }, 'sha256'],
      ['hs256 in lower case', { alg: 'hs256', typ: 'JWT' }, 'sha256'],
      ['none', { alg: 'none', typ: 'JWT' }, 'sha256'],
      ['None', { alg: 'None', typ: 'JWT' }, 'sha256'],
      ['no alg', { typ: 'JWT' }, 'sha256'],
      ['alg a list', { alg: ['HS256'], typ: 'JWT' }, 'sha256'],
    ];
    for (const [what, header, hash] of cases)
      assertRefused(await viewer(forge(header, claims(), hash)), /HS256/, what);
  });

  it('refuses alg none without a signature', async () => {
    const token = `${encode({ alg: 'none' })}.${encode(claims())}.`;
    assertRefused(await viewer(token), /HS256, not "none"/, 'alg none');
  });

  it('refuses critical header extensions it does not know, and unencoded payloads', async () => {
    assertRefused(
      await viewer(forge({ alg: 'HS256', crit: ['exp-ext'], 'exp-ext': 1 }, claims())),
      /not a valid JWT/,
      'unknown crit',
    );
    assertRefused(
      await viewer(forge({ alg: 'HS256', crit: ['b64'], b64: false }, claims())),
      /not a valid JWT/,
      'b64: false',
    );
  });
});

describe('malformed tokens', () => {
  it('names what is wrong with a token that is not a JWT', async () => {
    const good = signSsoToken(claims(), SECRET);
    const [head, body, signature] = good.split('.');
    const cases: [string, string, RegExp][] = [
      ['characters outside base64url', `${head}.${body}+/.${signature}`, /not a valid JWT/],
      ['padding', `${head}.${body}==.${signature}`, /not a valid JWT/],
      ['an empty header', `.${body}.${signature}`, /header is not a JSON object/],
      ['a header that is not JSON', `${encode('{alg:')}.${body}.${signature}`, /header/],
      ['a header that is a list', `${encode(['HS256'])}.${body}.${signature}`, /header/],
      ['no signature', `${head}.${body}.`, /bad signature/],
      ['a short signature', `${head}.${body}.${signature.slice(0, 20)}`, /bad signature/],
      [
        'a signature of another token',
        `${head}.${encode(claims({ sub: '1' }))}.${signature}`,
        /bad signature/,
      ],
    ];
    for (const [what, token, detail] of cases) assertRefused(await viewer(token), detail, what);
  });

  it('refuses signed claims that are not a JSON object, or claims of the wrong type', async () => {
    const header = { alg: 'HS256', typ: 'JWT' };
    assertRefused(await viewer(forge(header, [claims()])), /claims is not a JSON object/, 'list');
    assertRefused(await viewer(forge(header, 'not json')), /claims is not a JSON object/, 'text');
    assertRefused(
      await viewer(forge(header, claims({ exp: String(now() + 600) }))),
      /exp/,
      'exp as text',
    );
    assertRefused(
      await viewer(forge(header, claims({ iat: String(now()) }))),
      /iat/,
      'iat as text',
    );
    assertRefused(await viewer(forge(header, claims({ nbf: 'soon' }))), /nbf/, 'nbf as text');
    assertRefused(await viewer(forge(header, claims({ sub: 42 }))), /sub/, 'sub a number');
  });

  it('names the first missing claim in the documented order', async () => {
    const header = { alg: 'HS256', typ: 'JWT' };
    assertRefused(await viewer(forge(header, { sub: '42' })), /exp/, 'neither exp nor iat');
    assertRefused(await viewer(forge(header, { sub: '42', exp: now() + 600 })), /iat/, 'no iat');
  });
});

describe('clock tolerance', () => {
  it('allows 60 seconds of clock difference for exp, nbf and iat, and no more', async () => {
    const t = now();
    const at = (extra: Record<string, unknown>) => viewer(forge({ alg: 'HS256' }, claims(extra)));
    assert.equal((await at({ exp: t - 30 })).status, 200, 'expired 30 s ago');
    assertRefused(await at({ exp: t - 120 }), /expired/, 'expired 2 minutes ago');
    assert.equal((await at({ nbf: t + 30 })).status, 200, 'valid in 30 s');
    assertRefused(await at({ nbf: t + 120 }), /nbf/, 'valid in 2 minutes');
    assert.equal((await at({ iat: t + 30 })).status, 200, 'issued 30 s ahead');
    assertRefused(await at({ iat: t + 120 }), /future/, 'issued 2 minutes ahead');
  });
});
