/**
 * Credentials: scrypt password hashes, random session tokens (stored only as SHA-256 hashes),
 * and single-sign-on JWTs (HS256, verified with node:crypto; no JWT library needed for one
 * algorithm).
 */
import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
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

/**
 * Verifies an HS256 JWT signed by the host site and returns who it names.
 * Requires `exp`, at most 24 hours ahead, and `iat`, not in the future and at most
 * `maxAgeSeconds` ago; checks `nbf` when present, and `aud` / `iss` when configured.
 */
export function verifySsoToken(
  token: string,
  secret: string | null,
  nowMs = Date.now(),
  checks: SsoChecks = {},
): SsoIdentity {
  if (!secret)
    throw unauthorized(
      'Single sign-on is not set up on this server, so the sign-in token cannot be checked.',
    );
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p)))
    throw unauthorized('The sign-in token is not a valid JWT.');
  const [headerPart, claimsPart, signaturePart] = parts;
  const header = decodePart(headerPart, 'header');
  if (header.alg !== 'HS256')
    throw unauthorized(
      `The sign-in token must be signed with HS256, not ${JSON.stringify(header.alg ?? null)}.`,
    );
  const expected = createHmac('sha256', secret).update(`${headerPart}.${claimsPart}`).digest();
  const actual = Buffer.from(signaturePart, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
    throw unauthorized('The sign-in token has a bad signature.');
  const claims = decodePart(claimsPart, 'claims');
  const now = Math.floor(nowMs / 1000);
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp))
    throw unauthorized('The sign-in token has no expiry (exp claim).');
  if (claims.exp + SKEW_SECONDS <= now)
    throw unauthorized('The sign-in token has expired; please log in again.');
  if (claims.exp > now + MAX_AHEAD_SECONDS + SKEW_SECONDS)
    throw unauthorized(
      'The sign-in token expires more than 24 hours ahead; issue short-lived tokens.',
    );
  if (
    claims.nbf !== undefined &&
    (typeof claims.nbf !== 'number' || claims.nbf > now + SKEW_SECONDS)
  )
    throw unauthorized('The sign-in token is not valid yet (nbf claim).');
  const maxAge = checks.maxAgeSeconds ?? SSO_MAX_AGE_SECONDS;
  if (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat))
    throw unauthorized('The sign-in token has no issue time (iat claim).');
  if (claims.iat > now + SKEW_SECONDS)
    throw unauthorized('The sign-in token was issued in the future (iat claim); check the clocks.');
  if (claims.iat < now - maxAge - SKEW_SECONDS)
    throw unauthorized(
      `The sign-in token was issued more than ${age(maxAge)} ago (iat claim); issue a fresh one.`,
    );
  if (checks.audience) {
    const aud = claims.aud;
    const matches =
      aud === checks.audience || (Array.isArray(aud) && aud.includes(checks.audience));
    if (!matches)
      throw unauthorized(
        `The sign-in token is not meant for this server: its aud claim must name ${JSON.stringify(checks.audience)}.`,
      );
  }
  if (checks.issuer && claims.iss !== checks.issuer) {
    throw unauthorized(
      `The sign-in token was not issued by the expected site: its iss claim must be ${JSON.stringify(checks.issuer)}.`,
    );
  }
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

/** Signs claims as an HS256 JWT (tests, tools and host sites written in JavaScript). */
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
