/**
 * What a host site does for single sign-on, done in the browser for the demo only: sign a
 * short-lived HS256 JWT for its logged-in member. A real site signs on its server and never
 * ships the key to browsers (see the README's recipe).
 */
import type { Author } from '../src/index.js';

/** The demo's signing key; `npm run server:demo` accepts it unless PARLEY_SSO_SECRET says otherwise (never outside demo mode). */
export const DEMO_SSO_SECRET = 'parley-demo-sso-secret';

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const text = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));

export async function signSsoToken(
  user: Author,
  secret = DEMO_SSO_SECRET,
  lifetimeSeconds = 3600,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: user.id,
    name: user.name,
    handle: user.handle,
    avatar: user.avatarUrl,
    iat: now,
    exp: now + lifetimeSeconds,
  };
  const unsigned = `${text({ alg: 'HS256', typ: 'JWT' })}.${text(claims)}`;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = new Uint8Array(
    await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(unsigned)),
  );
  return `${unsigned}.${base64url(signature)}`;
}
