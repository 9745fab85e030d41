/**
 * server/deploy/ kept true. Docker is not needed: the compose file, its Dockerfile and the proxy
 * configurations are checked against the server and the repository, and two server processes are
 * started with exactly the environment compose gives `parley-a` and `parley-b`, values from
 * `.env.example` (the secrets it leaves empty generated here). A throwaway PostgreSQL cluster
 * stands in for the `postgres` service, with the same role and database (`parley`, owning it, as
 * the postgres image sets them up). Only what Docker's network provides is changed: the listen
 * address (127.0.0.1, a free port) and the database's host and port.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { parse } from 'yaml';
import { signSsoToken } from '../auth.js';
import { loadConfig, SETTINGS } from '../config.js';
import { postgresScript, projectRoot } from '../storage/test/postgres-script.js';
import { call, MAIN, openEvents, postgresMissing, type EventReader, type Res } from './helpers.js';

const ROOT = projectRoot();
const DEPLOY = join(ROOT, 'server', 'deploy');
const read = (name: string) => readFileSync(join(DEPLOY, name), 'utf8');

interface Service {
  build?: { context: string; dockerfile: string };
  image?: string;
  environment?: Record<string, string | number>;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
};
const parleyServices = Object.entries(compose.services).filter(([, s]) => s.build);

/** `.env.example` as a map; the values it leaves empty (the secrets) generated. */
function exampleEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of read('.env.example').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) env[match[1]] = match[2];
  }
  return env;
}
const generated = (env: Record<string, string>): Record<string, string> => ({
  ...env,
  PARLEY_SSO_SECRET: env.PARLEY_SSO_SECRET || randomBytes(48).toString('base64'),
  POSTGRES_PASSWORD: env.POSTGRES_PASSWORD || randomBytes(24).toString('hex'),
});

/** Compose's interpolation: `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g,
    (_, name: string, colon: string, op: string, arg: string) => {
      const set = vars[name] !== undefined && (colon !== ':' || vars[name] !== '');
      if (set) return vars[name];
      if (op === '?') throw new Error(`compose refuses to start: ${arg || `${name} is not set`}`);
      return op === '-' ? arg : '';
    },
  );
}

/** The environment compose gives a service. */
const serviceEnv = (service: Service, vars: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), vars)]),
  );

describe('server/deploy/docker-compose.yml', () => {
  it('runs two Parley instances, PostgreSQL and a proxy, publishing only the proxy', () => {
    assert.deepEqual(
      parleyServices.map(([name]) => name),
      ['parley-a', 'parley-b'],
    );
    assert.match(compose.services.postgres.image ?? '', /^postgres:/);
    const published = Object.entries(compose.services)
      .filter(([, s]) => s.ports?.length)
      .map(([name]) => name);
    assert.deepEqual(published, ['proxy']);
  });

  it('sets only PARLEY_* variables the server knows, with values its configuration accepts', () => {
    const known = new Set(SETTINGS.map(([name]) => `PARLEY_${name}`));
    const vars = generated(exampleEnv());
    for (const [name, service] of parleyServices) {
      const env = serviceEnv(service, vars);
      for (const key of Object.keys(env)) assert.ok(known.has(key), `${name}: ${key} is a setting`);
      const config = loadConfig(env);
      assert.equal(config.demo, false, `${name}: production defaults`);
      assert.equal(config.allowSeed, false);
      assert.ok(config.ssoSecret && config.ssoAudience && config.ssoIssuer, `${name}: SSO checks`);
      assert.deepEqual(config.trustProxy, loadConfig({ PARLEY_TRUST_PROXY: '1' }).trustProxy);
      assert.match(
        config.databaseUrl ?? '',
        /^postgres:\/\/parley:[0-9a-f]+@postgres:5432\/parley$/,
      );
    }
  });

  it('takes every variable it names from .env.example, and refuses to start without the secrets', () => {
    const text = read('docker-compose.yml');
    const example = exampleEnv();
    for (const [, name] of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g))
      assert.ok(name in example, `${name} is in .env.example`);
    // .env.example as it is: the secrets are empty, so compose stops.
    for (const [, service] of parleyServices)
      assert.throws(
        () => serviceEnv(service, example),
        /set (PARLEY_SSO_SECRET|POSTGRES_PASSWORD)/,
      );
    assert.throws(() => serviceEnv(compose.services.postgres, example), /POSTGRES_PASSWORD/);
  });

  it('builds from files that exist, and runs what the build produces', () => {
    for (const [name, service] of parleyServices) {
      const context = resolve(DEPLOY, service.build!.context);
      assert.equal(context, ROOT, `${name}: the build context is the repository root`);
      assert.ok(existsSync(join(context, service.build!.dockerfile)), `${name}: the Dockerfile`);
    }
    const dockerfile = read('Dockerfile');
    const build = dockerfile.slice(0, dockerfile.lastIndexOf('FROM '));
    for (const [, sources] of build.matchAll(/^COPY (?!--)(.+) \S+$/gm))
      for (const source of sources.split(/\s+/).filter((s) => s !== '.'))
        assert.ok(existsSync(join(ROOT, source)), `COPY ${source}`);
    for (const [, script] of dockerfile.matchAll(/^RUN node (\S+)/gm))
      assert.ok(existsSync(join(ROOT, script)), `RUN node ${script}`);
    const cmd = /^CMD \["node", "([^"]+)"\]$/m.exec(dockerfile);
    assert.ok(cmd, 'CMD runs node');
    // This test runs from the build's output: the entry point compose runs is the one it is in.
    assert.equal(join(ROOT, cmd[1]), MAIN);
    assert.match(dockerfile, /RUN node server\/build\.mjs/);
    assert.match(read('Dockerfile.dockerignore'), /^node_modules$/m);
  });

  it('points both proxy configurations at every instance, on the port it listens on', () => {
    const caddy = compose.services.proxy;
    for (const volume of caddy.volumes ?? []) {
      const [source] = volume.split(':');
      if (source.startsWith('.')) assert.ok(existsSync(join(DEPLOY, source)), volume);
    }
    for (const file of ['Caddyfile', 'nginx.conf']) {
      const text = read(file);
      for (const [name, service] of parleyServices)
        assert.match(text, new RegExp(`${name}:${service.environment!.PARLEY_PORT}\\b`), file);
    }
    // One proxy in front, so one hop: nginx must append, not replace, X-Forwarded-For.
    assert.match(read('nginx.conf'), /X-Forwarded-For \$proxy_add_x_forwarded_for;/);
    assert.match(read('nginx.conf'), /proxy_buffering off;/);
    assert.match(read('nginx.conf'), /X-Forwarded-Proto \$scheme;/);
  });
});

interface Instance {
  url: string;
  child: ChildProcess;
}

/** `node server/dist/server/main.js` with exactly `env` (and PATH); resolves once it listens. */
function start(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        done({ url: match[1], child });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`exited with ${code}:\n${output}`));
    });
  });
}

const stop = (instance: Instance | undefined) =>
  new Promise<void>((done) => {
    const child = instance?.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });

describe('the compose environment, run', { skip: postgresMissing() }, () => {
  // PARLEY_MODERATORS as an operator would fill it in.
  const vars: Record<string, string> = { ...generated(exampleEnv()), PARLEY_MODERATORS: 'sso:7' };
  let cluster: { url: string; port: number; stop(): void };
  let a: Instance;
  let b: Instance;

  before(async () => {
    cluster = await postgresScript.startPostgres();
    // What the postgres image does with POSTGRES_USER / POSTGRES_DB: the role owns the database.
    const admin = new pg.Client({
      connectionString: cluster.url.replace(/\/parley$/, '/postgres'),
    });
    await admin.connect();
    await admin.query(`CREATE ROLE parley LOGIN PASSWORD '${vars.POSTGRES_PASSWORD}'`);
    await admin.query('ALTER DATABASE parley OWNER TO parley');
    await admin.end();
    const env = (name: string) => {
      const e = serviceEnv(compose.services[name], vars);
      return {
        ...e,
        PARLEY_HOST: '127.0.0.1',
        PARLEY_PORT: '0',
        PARLEY_DATABASE_URL: e.PARLEY_DATABASE_URL.replace(
          '@postgres:5432/',
          `@127.0.0.1:${cluster.port}/`,
        ),
      };
    };
    // One after the other, as compose's depends_on does not order them: both migrate safely, but
    // starting A first keeps the log readable.
    a = await start(env('parley-a'));
    b = await start(env('parley-b'));
  });

  after(async () => {
    await Promise.all([stop(a), stop(b)]);
    cluster?.stop();
  });

  /**
   * A thread of one of the site's pages. The server creates those only for pages it can fetch
   * (it takes their title from the page), and the example's site is not reachable from here, so
   * the thread is written into the database as the server would have written it.
   */
  const pageThread = async (id: string, title: string) => {
    const db = new pg.Client({ connectionString: cluster.url });
    await db.connect();
    try {
      await db.query('INSERT INTO threads (id, title, url, created_ms) VALUES ($1, $2, $3, $4)', [
        id,
        title,
        `${vars.SITE_ORIGIN}/${id}`,
        Date.now(),
      ]);
    } finally {
      await db.end();
    }
  };

  const now = () => Math.floor(Date.now() / 1000);
  const token = (claims: Record<string, unknown> = {}) =>
    signSsoToken(
      {
        sub: '42',
        name: 'Grace',
        aud: vars.PARLEY_DOMAIN,
        iss: vars.SITE_ORIGIN,
        iat: now(),
        exp: now() + 600,
        ...claims,
      },
      vars.PARLEY_SSO_SECRET,
    );

  it('answers /v1/viewer on both instances, and the health checks of the Caddyfile and compose', async () => {
    const health = /health_uri (\S+)/.exec(read('Caddyfile'))![1];
    assert.equal(health, '/readyz', 'Caddy sends requests only to instances that are ready');
    for (const [name, service] of parleyServices) {
      const [kind, command, ...args] = service.healthcheck?.test ?? [];
      assert.deepEqual([kind, command], ['CMD', 'node'], `${name}: the image has node, not curl`);
      assert.ok(
        args.some((arg) => arg.includes(`:${service.environment!.PARLEY_PORT}/readyz`)),
        `${name} checks /readyz on the port it listens on`,
      );
    }
    const [, , ...check] = compose.services['parley-a'].healthcheck!.test;
    for (const instance of [a, b]) {
      const res = await call(instance.url, 'GET', '/v1/viewer');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.user, null);
      const ready: Res = await call(instance.url, 'GET', health);
      assert.equal(ready.status, 200, ready.text);
      assert.deepEqual(ready.body, { status: 'ready', storage: 'postgres' });
      // Compose's check itself, run against this instance's port.
      const { port } = new URL(instance.url);
      const run = spawnSync(
        process.execPath,
        check.map((arg) => arg.replace(':8787/', `:${port}/`)),
        { encoding: 'utf8' },
      );
      assert.equal(run.status, 0, `the compose health check fails: ${run.stderr}`);
    }
  });

  it("accepts the site's single-sign-on tokens, with the aud and iss .env.example implies", async () => {
    for (const instance of [a, b]) {
      const res = await call(instance.url, 'GET', '/v1/viewer', { token: token() });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.user.id, 'sso:42');
      const elsewhere = await call(instance.url, 'GET', '/v1/viewer', {
        token: token({ aud: 'another.example' }),
      });
      assert.equal(elsewhere.status, 401);
    }
  });

  it('takes the moderators from .env on both instances, and a lock made on one holds on the other', async () => {
    const thread = 'deploy-moderation';
    const boss = token({ sub: '7', name: 'Boss' });
    for (const instance of [a, b]) {
      const viewer = await call(instance.url, 'GET', '/v1/viewer', { token: boss });
      assert.equal(viewer.body.moderator, true, instance.url);
      const other = await call(instance.url, 'GET', '/v1/viewer', { token: token() });
      assert.equal(other.body.moderator, false, instance.url);
    }
    await pageThread(thread, 'Moderated');
    const locked = await call(a.url, 'POST', `/v1/threads/${thread}/lock`, {
      token: boss,
      body: { locked: true },
      headers: { Origin: vars.SITE_ORIGIN },
    });
    assert.equal(locked.status, 200, locked.text);
    const refused = await call(b.url, 'POST', `/v1/threads/${thread}/posts`, {
      token: token(),
      body: { body: 'In a locked thread' },
      headers: { Origin: vars.SITE_ORIGIN },
    });
    assert.equal(refused.status, 403, refused.text);
    const unlocked = await call(b.url, 'POST', `/v1/threads/${thread}/lock`, {
      token: boss,
      body: { locked: false },
      headers: { Origin: vars.SITE_ORIGIN },
    });
    assert.equal(unlocked.status, 200, 'the moderator is one on B too');
  });

  it("allows the site's origin, and believes the one proxy in front about TLS", async () => {
    const res = await call(a.url, 'GET', '/v1/viewer', {
      headers: {
        Origin: vars.SITE_ORIGIN,
        'X-Forwarded-For': '198.51.100.7',
        'X-Forwarded-Proto': 'https',
      },
    });
    assert.equal(res.headers.get('access-control-allow-origin'), vars.SITE_ORIGIN);
    assert.match(res.headers.get('strict-transport-security') ?? '', /max-age=/);
    const other = await call(a.url, 'GET', '/v1/viewer', {
      headers: { Origin: 'https://evil.example' },
    });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  it('needs no stickiness: a reader that reconnects to the other instance with Last-Event-ID misses nothing and hears nothing twice', async () => {
    const thread = 'deploy-check';
    await pageThread(thread, 'Deploy');
    const postOn = async (base: string, body: string) => {
      const res = await call(base, 'POST', `/v1/threads/${thread}/posts`, {
        token: token(),
        body: { body },
        headers: { Origin: vars.SITE_ORIGIN },
      });
      assert.equal(res.status, 201, res.text);
      return res.body.id as string;
    };
    const posts = (reader: EventReader) =>
      reader.events
        .filter((e) => e.type === 'post-created')
        .map((e) => ({
          id: e.id!,
          post: (JSON.parse(e.data) as { post: { id: string } }).post.id,
        }));

    const first = await openEvents(a.url, thread);
    await first.until((r) => r.ids.length >= 1);
    const early = [await postOn(a.url, 'One'), await postOn(b.url, 'Two')];
    await first.until((r) => posts(r).length >= 2);
    assert.deepEqual(
      posts(first).map((p) => p.post),
      early,
    );
    const lastSeen = posts(first).at(-1)!.id;
    first.close();

    // While the reader is away (its instance gone behind the load balancer, say).
    const missed = [await postOn(b.url, 'Three'), await postOn(a.url, 'Four')];
    const again = await openEvents(b.url, thread, { lastEventId: lastSeen });
    await again.until((r) => posts(r).length >= 2);
    const live = await postOn(a.url, 'Five, written on the other instance');
    await again.until((r) => posts(r).length >= 3);
    try {
      assert.deepEqual(
        posts(again).map((p) => p.post),
        [...missed, live],
        'the missed posts, then the live one, each once',
      );
      const ids = posts(again).map((p) => Number(p.id));
      assert.ok(ids[0] > Number(lastSeen) && ids[1] > ids[0] && ids[2] > ids[1], 'ids increase');
    } finally {
      again.close();
    }
  });
});
