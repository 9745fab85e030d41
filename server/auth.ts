/**
 * Credentials: scrypt password hashes, random session tokens (stored only as SHA-256 hashes),
 * and single-sign-on JWTs (HS256 only, verified with `jose`).
 */
import {
  createHash,
  createHmac,
  randomBytes,
  scrypt,
  timingSafeEqual,
  webcrypto,
} from 'node:crypto';
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { HANDLE_PATTERN } from '../src/model/mentions.js';
import { ApiError } from './problem.js';

// scrypt cost: N=2^14, r=8, p=1 (16 MiB, ~50 ms here): the parameters RFC 7914 calls interactive.
const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function scryptAsync(
  password: string,
  salt: Buffer,
  n: number,
  r: number,
  p: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_LENGTH,
      { N: n, r, p, maxmem: 64 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = (stored ?? '').split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    // Spend the same time as a real check, so response times do not tell which handles exist.
    await scryptAsync(password, randomBytes(16), N, R, P);
    return false;
  }
  const [, n, r, p, salt, hash] = parts;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scryptAsync(
    password,
    Buffer.from(salt, 'base64url'),
    Number(n),
    Number(r),
    Number(p),
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A new session token: 32 random bytes, base64url. */
export const newToken = () => randomBytes(32).toString('base64url');

/** What the database keeps of a session token. */
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** A random id with a prefix: `u-3f9a…`. */
export const randomId = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`;

/** Whether a bearer token looks like a JWT (three dot-separated parts) rather than a session token. */
export const isJwt = (token: string) => token.split('.').length === 3;

/** The identity a verified single-sign-on token carries. */
export interface SsoIdentity {
  sub: string;
  name: string;
  handle?: string;
  avatarUrl?: string;
}

const MAX_AHEAD_SECONDS = 24 * 60 * 60;
/** Tolerated clock difference between the host site and this server. */
const SKEW_SECONDS = 60;

const unauthorized = (detail: string) => new ApiError('unauthorized', detail);

function decodePart(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  throw unauthorized(`The sign-in token is not valid: its ${what} is not a JSON object.`);
}

/** What a single-sign-on token must say beyond its signature (PARLEY_SSO_AUDIENCE, …_ISSUER, …_MAX_AGE). */
export interface SsoChecks {
  /** When set, `aud` must be this string or a list holding it. */
  audience?: string | null;
  /** When set, `iss` must be this string. */
  issuer?: string | null;
  /** Oldest accepted `iat`, in seconds before now (default a day). */
  maxAgeSeconds?: number;
}

/** The default PARLEY_SSO_MAX_AGE: a token issued more than a day ago is refused. */
export const SSO_MAX_AGE_SECONDS = 24 * 60 * 60;

/** "24 hours" for whole hours, else seconds. */
const age = (seconds: number) =>
  seconds % 3600 === 0
    ? `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}`
    : `${seconds} seconds`;

/** The HMAC key for a secret, imported once (the secret does not change while the server runs). */
const keys = new Map<string, Promise<webcrypto.CryptoKey>>();
function hmacKey(secret: string): Promise<webcrypto.CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    if (keys.size > 8) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/** The problem for a token jose refused, in the words the protocol documents. */
function refusal(error: unknown, alg: unknown, maxAge: number, checks: SsoChecks): ApiError {
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return unauthorized('The sign-in token has a bad signature.');
  if (error instanceof joseErrors.JOSEAlgNotAllowed)
    return unauthorized(
      `The sign-in token must be signed with HS256, not ${JSON.stringify(alg ?? null)}.`,
    );
  if (error instanceof joseErrors.JWTInvalid && !/unencoded/.test(error.message))
    return unauthorized('The sign-in token is not valid: its claims is not a JSON object.');
  if (
    error instanceof joseErrors.JWTClaimValidationFailed ||
    error instanceof joseErrors.JWTExpired
  ) {
    const claims = error.payload;
    // jose reports missing claims in its own order; name the first in the order documented here.
    const missing = ['exp', 'iat', checks.audience && 'aud', checks.issuer && 'iss'].find(
      (claim) => claim && !Object.hasOwn(claims, claim),
    );
    const claim = error.reason === 'missing' && missing ? missing : error.claim;
    const failed = error.reason === 'check_failed';
    switch (claim) {
      case 'exp':
        return failed
          ? unauthorized('The sign-in token has expired; please log in again.')
          : unauthorized('The sign-in token has no expiry (exp claim).');
      case 'nbf':
        return unauthorized('The sign-in token is not valid yet (nbf claim).');
      case 'iat':
        if (!failed) return unauthorized('The sign-in token has no issue time (iat claim).');
        return error instanceof joseErrors.JWTExpired
          ? unauthorized(
              `The sign-in token was issued more than ${age(maxAge)} ago (iat claim); issue a fresh one.`,
            )
          : unauthorized(
              'The sign-in token was issued in the future (iat claim); check the clocks.',
            );
      case 'aud':
        return unauthorized(
          `The sign-in token is not meant for this server: its aud claim must name ${JSON.stringify(checks.audience)}.`,
        );
      case 'iss':
        return unauthorized(
          `The sign-in token was not issued by the expected site: its iss claim must be ${JSON.stringify(checks.issuer)}.`,
        );
    }
  }
  // Anything else jose refuses (a `crit` header it does not know, an unencoded payload, …).
  if (error instanceof joseErrors.JOSEError)
    return unauthorized('The sign-in token is not a valid JWT.');
  throw error;
}

/**
 * Verifies an HS256 JWT signed by the host site (with `jose`) and returns who it names.
 * Requires `exp`, at most 24 hours ahead, and `iat`, not in the future and at most
 * `maxAgeSeconds` ago; checks `nbf` when present, and `aud` / `iss` when configured; allows
 * 60 seconds of clock difference.
 */
export async function verifySsoToken(
  token: string,
  secret: string | null,
  nowMs = Date.now(),
  checks: SsoChecks = {},
): Promise<SsoIdentity> {
  if (!secret)
    throw unauthorized(
      'Single sign-on is not set up on this server, so the sign-in token cannot be checked.',
    );
  // The shape and the header are read first only to name what is wrong; jose decides.
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p)))
    throw unauthorized('The sign-in token is not a valid JWT.');
  const header = decodePart(parts[0], 'header');
  if (header.alg !== 'HS256')
    throw unauthorized(
      `The sign-in token must be signed with HS256, not ${JSON.stringify(header.alg ?? null)}.`,
    );
  const maxAge = checks.maxAgeSeconds ?? SSO_MAX_AGE_SECONDS;
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, await hmacKey(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'iat'],
      maxTokenAge: maxAge,
      clockTolerance: SKEW_SECONDS,
      currentDate: new Date(nowMs),
      audience: checks.audience || undefined,
      issuer: checks.issuer || undefined,
    }));
  } catch (error) {
    throw refusal(error, header.alg, maxAge, checks);
  }
  const now = Math.floor(nowMs / 1000);
  if (claims.exp! > now + MAX_AHEAD_SECONDS + SKEW_SECONDS)
    throw unauthorized(
      'The sign-in token expires more than 24 hours ahead; issue short-lived tokens.',
    );
  if (typeof claims.sub !== 'string' || !claims.sub.trim() || claims.sub.length > 200)
    throw unauthorized('The sign-in token names no user (sub claim).');
  const identity: SsoIdentity = { sub: claims.sub, name: '' };
  const name = typeof claims.name === 'string' ? claims.name.trim() : '';
  if (claims.handle !== undefined) {
    if (typeof claims.handle !== 'string' || !HANDLE_PATTERN.test(claims.handle)) {
      throw unauthorized(
        'The sign-in token has a handle claim that is not a handle (letters, digits, "_", "." or "-", at most 40 characters).',
      );
    }
    identity.handle = claims.handle;
  }
  if (claims.avatar !== undefined) {
    if (typeof claims.avatar !== 'string' || !isHttpUrl(claims.avatar))
      throw unauthorized('The sign-in token has an avatar claim that is not an http(s) URL.');
    identity.avatarUrl = claims.avatar;
  }
  identity.name = (name || identity.handle || claims.sub).slice(0, 80);
  return identity;
}

/**
 * Signs claims as an HS256 JWT, synchronously (the tests and tools). A host site written in
 * JavaScript signs with jose's `SignJWT`, as server/README.md shows; the tests check that both
 * give tokens jose verifies.
 */
export function signSsoToken(claims: Record<string, unknown>, secret: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const head = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

export function isHttpUrl(value: string): boolean {
  if (value.length > 2000) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
