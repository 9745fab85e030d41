/**
 * Configuration from the environment (`PARLEY_*`) and, for convenience, command-line flags:
 * `--port 9000` or `--port=9000` sets `PARLEY_PORT`, `--sso-secret x` sets `PARLEY_SSO_SECRET`,
 * and so on. Flags win over the environment.
 */
import { parseProxyTrust, type ProxyTrust } from './proxy.js';
import { THREAD_URL_PATTERN } from './thread-pages.js';

/** The single-sign-on key the demo page signs with; public, so for the demo only (PARLEY_DEMO). */
export const DEMO_SSO_SECRET = 'parley-demo-sso-secret';

/** The shortest single-sign-on secret accepted, in bytes (HS256's key should be 256 bits). */
export const MIN_SSO_SECRET_BYTES = 32;

/** A token bucket: `capacity` requests at once, refilled at `capacity` per `perSeconds`. */
export interface RateSpec {
  capacity: number;
  perSeconds: number;
}

export interface Config {
  host: string;
  port: number;
  /** Path of the SQLite file (created with its folder when missing), or `:memory:`. */
  db: string;
  /**
   * PostgreSQL connection string (`postgres://…`); when set it replaces the SQLite file, and any
   * number of instances may share the database. `null`: SQLite at `db`.
   */
  databaseUrl: string | null;
  /** Allowed CORS origins, or `'*'` for any. */
  origins: '*' | string[];
  /**
   * HS256 secret for single-sign-on tokens; `null` turns single sign-on off. Single sign-on is on
   * exactly when PARLEY_SSO_SECRET is set (32 bytes or more), or in demo mode, which accepts the
   * demo page's public key when no secret is set.
   */
  ssoSecret: string | null;
  /** When set, single-sign-on tokens must name it in `aud`. */
  ssoAudience: string | null;
  /** When set, single-sign-on tokens must carry it as `iss`. */
  ssoIssuer: string | null;
  /** Oldest accepted single-sign-on `iat`, in seconds. */
  ssoMaxAgeSeconds: number;
  /** User ids that may lock threads and delete any post. */
  moderators: string[];
  guests: boolean;
  accounts: boolean;
  autoCreate: boolean;
  /**
   * Pages a thread may be created for (`?create=1&url=…`): http(s) URLs, `*` matching any run of
   * characters. Empty: every origin of `origins` with `/*` (none when origins is `*`).
   */
  threadUrls: string[];
  /** Longest post body, in characters (UTF-16 code units, as the library counts). */
  maxLength: number;
  /** Writes per signed-in user; `null` = unlimited. */
  rateUser: RateSpec | null;
  /** Writes and sign-ins per client address; `null` = unlimited. */
  rateAddress: RateSpec | null;
  /** Enables `POST /v1/_seed`, which replaces all data. Tests and demos only. */
  allowSeed: boolean;
  /** Seed the demo discussion when the database has no threads. */
  demo: boolean;
  /** Seconds between `: keep-alive` comments on event streams. */
  keepAliveSeconds: number;
  /** Which reverse proxies to believe about the client address (`X-Forwarded-For`, `X-Forwarded-Proto`). */
  trustProxy: ProxyTrust;
  /** Days that live-change events are kept for `Last-Event-ID` replay. */
  eventDays: number;
  /** Days a session token stays valid. */
  sessionDays: number;
  /** Most events a `Last-Event-ID` replay sends; a reader further behind is told to reload. */
  replayLimit: number;
  /** Most open event streams per client address (an IPv4 address or IPv6 /64), per instance. */
  streamsPerAddress: number;
  /** Most open event streams per signed-in user, per instance. */
  streamsPerUser: number;
  /** Most open connections; a request on one more is answered 503 and the connection closed. */
  maxConnections: number;
  /** Seconds a client may take to send a request's headers (then 408, and the connection is closed). */
  headersTimeoutSeconds: number;
  /** One JSON line per request on stdout (id, method, route, status, ms). */
  requestLog: boolean;
  /** Seconds a request body may take to arrive (then 408). */
  bodyTimeoutSeconds: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The flags, with their variables and what they mean (for `--help`). */
export const SETTINGS: [name: string, fallback: string, help: string][] = [
  ['HOST', '127.0.0.1', 'address to listen on'],
  ['PORT', '8787', 'port to listen on (0 picks a free one)'],
  ['DB', './data/parley.sqlite', 'SQLite file (created if missing)'],
  [
    'DATABASE_URL',
    '',
    'PostgreSQL connection string, postgres://… (set: used instead of the SQLite file)',
  ],
  [
    'ORIGINS',
    'http://127.0.0.1:5173,http://localhost:5173',
    'allowed CORS origins, comma-separated, or *',
  ],
  [
    'SSO_SECRET',
    '',
    'HS256 secret for single-sign-on tokens, 32 bytes or more (empty: single sign-on off)',
  ],
  ['SSO_AUDIENCE', '', 'when set, single-sign-on tokens must name it in their aud claim'],
  ['SSO_ISSUER', '', 'when set, single-sign-on tokens must carry it as their iss claim'],
  ['SSO_MAX_AGE', '86400', 'seconds: single-sign-on tokens issued (iat) longer ago are refused'],
  ['MODERATORS', '', 'user ids of moderators, comma-separated (e.g. u-abc,sso:42)'],
  ['GUESTS', 'on', 'guest sign-in by name (on/off)'],
  ['ACCOUNTS', 'on', 'built-in accounts: register and log in (on/off)'],
  ['AUTO_CREATE', 'on', 'create a missing thread on GET ?create=1 (on/off)'],
  [
    'THREAD_URLS',
    '',
    'pages threads may be created for, comma-separated URLs with * wildcards (empty: under PARLEY_ORIGINS)',
  ],
  ['MAX_LENGTH', '10000', 'longest post body, in characters'],
  ['RATE_USER', '20/60', 'writes per user: N/S = N at once, N per S seconds (off: unlimited)'],
  ['RATE_ADDRESS', '60/60', 'writes and sign-ins per client address, N/S (off: unlimited)'],
  ['ALLOW_SEED', 'off', 'enable POST /v1/_seed, which REPLACES ALL DATA (tests, demos)'],
  [
    'DEMO',
    'off',
    'demo mode: seed the demo discussion, accept the public demo SSO key (never in production)',
  ],
  ['KEEPALIVE', '15', 'seconds between keep-alive comments on event streams'],
  [
    'TRUST_PROXY',
    'off',
    'proxies in front: a hop count (on = 1), or their addresses, comma-separated',
  ],
  ['EVENT_DAYS', '30', 'days live-change events are kept for Last-Event-ID replay'],
  ['SESSION_DAYS', '30', 'days a session token stays valid'],
  [
    'REPLAY_LIMIT',
    '500',
    'most events a Last-Event-ID replay sends; a reader further behind is told to reload',
  ],
  ['BODY_TIMEOUT', '10', 'seconds a request body may take to arrive (then 408)'],
  ['HEADERS_TIMEOUT', '10', "seconds a request's headers may take to arrive (then 408)"],
  [
    'REQUEST_LOG',
    'on',
    'one JSON line per request on stdout: id, method, route, status, ms (on/off)',
  ],
  ['STREAMS_PER_ADDRESS', '100', 'most open event streams per client address'],
  ['STREAMS_PER_USER', '20', 'most open event streams per signed-in user'],
  [
    'MAX_CONNECTIONS',
    '10000',
    'most open connections (more: 503); keep it under the file-descriptor limit',
  ],
];

/** Usage text for `--help`. */
export function usage(): string {
  const lines = SETTINGS.map(([name, fallback, help]) => {
    const flag = `--${name.toLowerCase().replace(/_/g, '-')}`;
    return `  ${flag.padEnd(22)} PARLEY_${name.padEnd(19)} ${help}${fallback ? ` [${fallback}]` : ''}`;
  });
  return `Parley reference server (docs/protocol.md)\n\nUsage: npm run server -- [--flag value]…\n\n  ${'flag'.padEnd(22)} ${'variable'.padEnd(26)} meaning [default]\n${lines.join('\n')}\n`;
}

/** Turns `--name value` / `--name=value` flags into `PARLEY_NAME` variables. */
export function flagsToEnv(argv: readonly string[]): Record<string, string> {
  const known = new Set(SETTINGS.map(([name]) => name));
  const env: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const match = /^--([a-z][a-z-]*)(?:=(.*))?$/s.exec(arg);
    if (!match)
      throw new ConfigError(`Unexpected argument "${arg}". Run with --help for the flags.`);
    const name = match[1].toUpperCase().replace(/-/g, '_');
    if (!known.has(name))
      throw new ConfigError(`Unknown flag --${match[1]}. Run with --help for the flags.`);
    let value = match[2];
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--'))
        throw new ConfigError(`--${match[1]} needs a value.`);
      i++;
    }
    env[`PARLEY_${name}`] = value;
  }
  return env;
}

function bool(name: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['1', 'on', 'true', 'yes'].includes(v)) return true;
  if (['0', 'off', 'false', 'no'].includes(v)) return false;
  throw new ConfigError(`PARLEY_${name} must be on or off, not "${value}".`);
}

function int(name: string, value: string, min: number, max: number): number {
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(
      `PARLEY_${name} must be a whole number from ${min} to ${max}, not "${value}".`,
    );
  return n;
}

function rate(name: string, value: string): RateSpec | null {
  const v = value.trim().toLowerCase();
  if (['off', '0', 'none', 'unlimited'].includes(v)) return null;
  const match = /^(\d+)\s*\/\s*(\d+)$/.exec(v);
  const capacity = match ? Number(match[1]) : NaN;
  const perSeconds = match ? Number(match[2]) : NaN;
  if (!(capacity >= 1 && perSeconds >= 1))
    throw new ConfigError(
      `PARLEY_${name} must be N/S (N requests per S seconds, e.g. 20/60) or off, not "${value}".`,
    );
  return { capacity, perSeconds };
}

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function proxyTrust(value: string): ProxyTrust {
  const trust = parseProxyTrust(value);
  if (typeof trust === 'string') {
    throw new ConfigError(
      `PARLEY_TRUST_PROXY must be off, on (one proxy), the number of proxies in front of the server (0–10), or their IP addresses, comma-separated: ${trust}, in "${value}".`,
    );
  }
  return trust;
}

function ssoSecretOf(value: string, demo: boolean): string | null {
  if (value === '') return demo ? DEMO_SSO_SECRET : null;
  if (value === DEMO_SSO_SECRET) {
    if (demo) return value;
    throw new ConfigError(
      'PARLEY_SSO_SECRET is the public demo key, which anyone can sign tokens with; it is accepted only with PARLEY_DEMO=on. Set a random secret of at least 32 bytes (e.g. `openssl rand -base64 48`).',
    );
  }
  if (value.trim() === '')
    throw new ConfigError(
      'PARLEY_SSO_SECRET is only white space; set a random secret of at least 32 bytes, or leave it unset to turn single sign-on off.',
    );
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes < MIN_SSO_SECRET_BYTES) {
    throw new ConfigError(
      `PARLEY_SSO_SECRET is ${bytes} bytes long; use a random secret of at least ${MIN_SSO_SECRET_BYTES} bytes (e.g. \`openssl rand -base64 48\`), or leave it unset to turn single sign-on off.`,
    );
  }
  return value;
}

function threadUrlsOf(value: string): string[] {
  const patterns = list(value);
  for (const pattern of patterns) {
    if (!THREAD_URL_PATTERN.test(pattern))
      throw new ConfigError(
        `PARLEY_THREAD_URLS: "${pattern}" is not an http(s) URL pattern like https://blog.example.com/posts/* (* matches anything).`,
      );
  }
  return patterns;
}

function databaseUrlOf(value: string): string | null {
  const url = value.trim();
  if (url === '') return null;
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new ConfigError(
      'PARLEY_DATABASE_URL must be a postgres:// (or postgresql://) connection string.',
    );
  return url;
}

/** Reads the configuration; throws `ConfigError` with a message naming the bad setting. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  argv: readonly string[] = [],
): Config {
  const merged: Record<string, string | undefined> = { ...env, ...flagsToEnv(argv) };
  const get = (name: string) => {
    const value = merged[`PARLEY_${name}`];
    return value === undefined ? SETTINGS.find(([n]) => n === name)![1] : value;
  };
  const origins = list(get('ORIGINS'));
  for (const origin of origins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError(
        `PARLEY_ORIGINS: "${origin}" is not an origin like https://example.com (scheme, host and port, no path).`,
      );
    }
  }
  const demo = bool('DEMO', get('DEMO'));
  // The demo page signs single-sign-on tokens in the browser with a published key, so in demo
  // mode with no secret of its own the server accepts that key, and says so at start-up.
  const ssoSecret = ssoSecretOf(get('SSO_SECRET'), demo);
  const ssoAudience = get('SSO_AUDIENCE').trim() || null;
  const ssoIssuer = get('SSO_ISSUER').trim() || null;
  for (const [name, value] of [
    ['SSO_AUDIENCE', ssoAudience],
    ['SSO_ISSUER', ssoIssuer],
  ] as const) {
    if (value !== null && ssoSecret === null) {
      throw new ConfigError(
        `PARLEY_${name} is set, but single sign-on is off: set PARLEY_SSO_SECRET (a random secret of at least ${MIN_SSO_SECRET_BYTES} bytes) too, or unset PARLEY_${name}.`,
      );
    }
  }
  return {
    host: get('HOST').trim() || '127.0.0.1',
    port: int('PORT', get('PORT'), 0, 65535),
    db: get('DB').trim() || './data/parley.sqlite',
    databaseUrl: databaseUrlOf(get('DATABASE_URL')),
    origins: origins.includes('*') ? '*' : origins,
    ssoSecret,
    ssoAudience,
    ssoIssuer,
    ssoMaxAgeSeconds: int('SSO_MAX_AGE', get('SSO_MAX_AGE'), 60, 30 * 86_400),
    moderators: list(get('MODERATORS')),
    guests: bool('GUESTS', get('GUESTS')),
    accounts: bool('ACCOUNTS', get('ACCOUNTS')),
    autoCreate: bool('AUTO_CREATE', get('AUTO_CREATE')),
    threadUrls: threadUrlsOf(get('THREAD_URLS')),
    maxLength: int('MAX_LENGTH', get('MAX_LENGTH'), 1, 60_000),
    rateUser: rate('RATE_USER', get('RATE_USER')),
    rateAddress: rate('RATE_ADDRESS', get('RATE_ADDRESS')),
    allowSeed: bool('ALLOW_SEED', get('ALLOW_SEED')),
    demo,
    keepAliveSeconds: Number(int('KEEPALIVE', get('KEEPALIVE'), 1, 3600)),
    trustProxy: proxyTrust(get('TRUST_PROXY')),
    eventDays: int('EVENT_DAYS', get('EVENT_DAYS'), 1, 3650),
    sessionDays: int('SESSION_DAYS', get('SESSION_DAYS'), 1, 3650),
    replayLimit: int('REPLAY_LIMIT', get('REPLAY_LIMIT'), 1, 100_000),
    streamsPerAddress: int('STREAMS_PER_ADDRESS', get('STREAMS_PER_ADDRESS'), 1, 100_000),
    streamsPerUser: int('STREAMS_PER_USER', get('STREAMS_PER_USER'), 1, 100_000),
    maxConnections: int('MAX_CONNECTIONS', get('MAX_CONNECTIONS'), 1, 1_000_000),
    headersTimeoutSeconds: int('HEADERS_TIMEOUT', get('HEADERS_TIMEOUT'), 1, 600),
    requestLog: bool('REQUEST_LOG', get('REQUEST_LOG')),
    bodyTimeoutSeconds: int('BODY_TIMEOUT', get('BODY_TIMEOUT'), 1, 600),
  };
}
