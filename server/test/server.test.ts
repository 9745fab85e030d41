/** The server as a program: flags and settings, the demo seed, the database file and its migrations. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { DEMO_SSO_SECRET, loadConfig } from '../config.js';
import { migrate, MIGRATIONS, openDatabase } from '../db.js';
import {
  call,
  listAll,
  MAIN,
  spawnServer,
  sso,
  tempDir,
  TEST_ENV,
  type ChildServer,
  type Res,
} from './helpers.js';

const OWN_SECRET = 'a-site-secret-of-32-bytes-or-more';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 8787);
    assert.equal(config.db, './data/parley.sqlite');
    assert.deepEqual(config.origins, ['http://127.0.0.1:5173', 'http://localhost:5173']);
    // Production by default: no demo, and so no single sign-on until a secret of its own is set.
    assert.equal(config.demo, false);
    assert.equal(config.ssoSecret, null);
    assert.equal(
      loadConfig({ PARLEY_DEMO: 'on' }).ssoSecret,
      DEMO_SSO_SECRET,
      "the demo accepts the demo page's public key",
    );
    assert.equal(loadConfig({ PARLEY_SSO_SECRET: OWN_SECRET }).ssoSecret, OWN_SECRET);
    assert.equal(config.guests, true);
    assert.equal(config.accounts, true);
    assert.equal(config.autoCreate, true);
    assert.equal(config.maxLength, 10_000);
    assert.deepEqual(config.rateUser, { capacity: 20, perSeconds: 60 });
    assert.equal(config.allowSeed, false);
    assert.equal(config.keepAliveSeconds, 15);
  });

  it('refuses a single-sign-on secret shorter than 32 bytes, or the public demo key outside the demo', () => {
    assert.throws(
      () => loadConfig({ PARLEY_SSO_SECRET: 'short-secret' }),
      /PARLEY_SSO_SECRET.*32 bytes/,
    );
    assert.throws(() => loadConfig({ PARLEY_SSO_SECRET: ' '.repeat(40) }), /PARLEY_SSO_SECRET/);
    assert.throws(
      () => loadConfig({ PARLEY_SSO_SECRET: DEMO_SSO_SECRET }),
      /PARLEY_SSO_SECRET.*public demo key/,
    );
    assert.throws(
      () => loadConfig({ PARLEY_DEMO: 'on', PARLEY_SSO_SECRET: 'short-secret' }),
      /PARLEY_SSO_SECRET.*32 bytes/,
    );
    assert.equal(
      loadConfig({ PARLEY_DEMO: 'on', PARLEY_SSO_SECRET: DEMO_SSO_SECRET }).ssoSecret,
      DEMO_SSO_SECRET,
    );
    const short = spawnSync(process.execPath, [MAIN], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, PARLEY_PORT: '0', PARLEY_SSO_SECRET: 'test-secret' },
    });
    assert.equal(short.status, 2);
    assert.match(
      short.stderr,
      /PARLEY_SSO_SECRET is 11 bytes long; use a random secret of at least 32 bytes/,
    );
  });

  it('reads flags over variables', () => {
    const config = loadConfig({ PARLEY_PORT: '1', PARLEY_GUESTS: 'on' }, [
      '--port',
      '9000',
      '--guests=off',
      '--origins',
      '*',
      '--rate-user',
      'off',
    ]);
    assert.equal(config.port, 9000);
    assert.equal(config.guests, false);
    assert.equal(config.origins, '*');
    assert.equal(config.rateUser, null);
  });

  it('prints --help, and exits 2 naming a bad setting', () => {
    const help = spawnSync(process.execPath, [MAIN, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--sso-secret\s+PARLEY_SSO_SECRET/);
    const bad = spawnSync(process.execPath, [MAIN], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, PARLEY_PORT: 'eighty' },
    });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /PARLEY_PORT must be a whole number/);
    const flag = spawnSync(process.execPath, [MAIN, '--colour', 'blue'], { encoding: 'utf8' });
    assert.equal(flag.status, 2);
    assert.match(flag.stderr, /Unknown flag --colour/);
    assert.throws(() => loadConfig({ PARLEY_ORIGINS: 'example.com/path' }), /PARLEY_ORIGINS/);
    assert.throws(() => loadConfig({ PARLEY_RATE_USER: 'fast' }), /PARLEY_RATE_USER/);
  });
});

describe('the demo seed', () => {
  it('fills an empty database with the demo discussion, whose members log in with parley-demo, once', async () => {
    const { dir, remove } = tempDir();
    const db = join(dir, 'demo.sqlite');
    let server: ChildServer | undefined;
    try {
      server = await spawnServer({ PARLEY_DEMO: 'on', PARLEY_ALLOW_SEED: 'off' }, ['--db', db]);
      let posts = await listAll(server.url, 'social-media-access');
      assert.equal(posts.length, 9);
      assert.equal(posts[0].author.name, 'Dalya Qualls');
      assert.equal((await listAll(server.url, 'release-notes')).length, 3);
      assert.equal(
        (await call(server.url, 'GET', '/v1/threads/social-media-access')).body.title,
        'Social Media Access',
      );
      for (const handle of ['dqualls', 'DanHinmon', 'angela_k_moore', 'jellis']) {
        const login: Res = await call(server.url, 'POST', '/v1/auth/login', {
          body: { handle, password: 'parley-demo' },
        });
        assert.equal(login.status, 200, handle);
      }
      const { body } = await call(server.url, 'POST', '/v1/auth/login', {
        body: { handle: 'jellis', password: 'parley-demo' },
      });
      const reply = await call(server.url, 'POST', '/v1/threads/social-media-access/posts', {
        token: body.token,
        body: { body: 'Still here.', parentId: 'p9' },
      });
      assert.equal(reply.status, 201);
      await server.stop();

      server = await spawnServer({ PARLEY_DEMO: 'on' }, ['--db', db]);
      posts = await listAll(server.url, 'social-media-access');
      assert.equal(posts.length, 10, 'a database with data is not seeded again');
      assert.equal(posts[9].id, reply.body.id);
      await server.stop();

      // The same database without the demo: the published password and key open nothing.
      server = await spawnServer({ PARLEY_DEMO: 'off', PARLEY_SSO_SECRET: OWN_SECRET }, [
        '--db',
        db,
      ]);
      assert.match(
        server.output(),
        /demo mode is off: disabled the 4 demo accounts \(dqualls, DanHinmon, angela_k_moore, jellis\)/,
      );
      for (const handle of ['dqualls', 'jellis']) {
        const refused: Res = await call(server.url, 'POST', '/v1/auth/login', {
          body: { handle, password: 'parley-demo' },
        });
        assert.equal(refused.status, 401, handle);
      }
      assert.equal(
        (await call(server.url, 'GET', '/v1/viewer', { token: body.token })).status,
        401,
        'their sessions ended',
      );
      assert.equal(
        (
          await call(server.url, 'GET', '/v1/viewer', {
            token: sso({ sub: 'x', name: 'X' }, DEMO_SSO_SECRET),
          })
        ).status,
        401,
      );
      posts = await listAll(server.url, 'social-media-access');
      assert.equal(posts.length, 10, 'their posts stay');
      assert.equal(posts[0].author.handle, 'dqualls');
      await server.stop();

      // Back in demo mode, the demo members log in again (switching back and forth in development).
      server = await spawnServer({ PARLEY_DEMO: 'on' }, ['--db', db]);
      assert.match(server.output(), /restored the 4 demo accounts/);
      assert.equal(
        (
          await call(server.url, 'POST', '/v1/auth/login', {
            body: { handle: 'dqualls', password: 'parley-demo' },
          })
        ).status,
        200,
      );
      await server.stop();
    } finally {
      await server?.stop();
      remove();
    }
  });
});

describe('the database', () => {
  it('is opened in WAL mode with synchronous=FULL and creates its folder', () => {
    const { dir, remove } = tempDir();
    try {
      const db = openDatabase(join(dir, 'nested', 'folder', 'p.sqlite'));
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('synchronous', { simple: true }), 2);
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      db.close();
    } finally {
      remove();
    }
  });

  it('records numbered migrations and applies each once', () => {
    const { dir, remove } = tempDir();
    const path = join(dir, 'm.sqlite');
    try {
      let db = openDatabase(path);
      const versions = MIGRATIONS.map((m) => m.version);
      const newest = Math.max(...versions);
      assert.deepEqual(
        db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all(),
        versions,
      );
      db.close();
      const next = [
        ...MIGRATIONS,
        {
          version: newest + 1,
          name: 'a test column',
          sql: 'ALTER TABLE threads ADD COLUMN note TEXT',
        },
      ];
      db = openDatabase(path, next);
      assert.deepEqual(
        db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all(),
        [...versions, newest + 1],
      );
      assert.deepEqual(migrate(db, next), [], 'nothing left to apply');
      db.close();
      assert.throws(
        () => openDatabase(path),
        new RegExp(`schema version ${newest + 1}, newer than this server knows \\(${newest}\\)`),
      );
    } finally {
      remove();
    }
  });

  it('rolls back a migration that fails, leaving the version unrecorded', () => {
    const db = new Database(':memory:');
    assert.throws(() =>
      migrate(db, [{ version: 1, name: 'broken', sql: 'CREATE TABLE a (x); THIS IS NOT SQL' }]),
    );
    assert.deepEqual(db.prepare('SELECT version FROM schema_migrations').pluck().all(), []);
    assert.equal(
      db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'a'").pluck().get(),
      0,
    );
    db.close();
  });

  it('keeps sessions across a restart', async () => {
    const { dir, remove } = tempDir();
    const db = join(dir, 's.sqlite');
    try {
      let server = await spawnServer({ PARLEY_DB: db });
      const { body } = await call(server.url, 'POST', '/v1/auth/guest', {
        body: { name: 'Returning' },
      });
      await server.stop();
      server = await spawnServer({ ...TEST_ENV, PARLEY_DB: db });
      assert.equal(
        (await call(server.url, 'GET', '/v1/viewer', { token: body.token })).body.user.name,
        'Returning',
      );
      await server.stop();
    } finally {
      remove();
    }
  });
});
