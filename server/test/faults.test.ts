/**
 * Storage faults: a full disk (a real one: a small tmpfs, when this process may mount one), a
 * read-only database, and the -shm file SQLite would otherwise memory-map. Each is answered with a
 * 503 naming it, logged with its cause, and the server recovers once the fault clears.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createParleyServer, type ParleyServer } from '../app.js';
import { loadConfig } from '../config.js';
import { storageFault } from '../faults.js';
import {
  ana,
  client,
  MAIN_THREAD,
  seedContract,
  sql,
  startServer,
  TEST_ENV,
  testBackend,
  type TestServer,
} from './helpers.js';

const sqliteOnly = testBackend() === 'sqlite' ? {} : { skip: 'SQLite only' };
const postgresOnly = testBackend() === 'postgres' ? {} : { skip: 'PostgreSQL only' };

describe('storage faults', () => {
  let server: TestServer;
  const log: string[] = [];
  const original = console.error;
  before(async () => {
    // The server's log (console.error by default), where faults must name their cause.
    console.error = (...args: unknown[]) => {
      log.push(args.map(String).join(' '));
      original(...args);
    };
    server = await startServer();
  });
  after(() => {
    console.error = original;
  });
  after(() => server.close());

  const write = async (token: string, body = 'A reply.') =>
    client(server.url, token).post(`/v1/threads/${MAIN_THREAD}/posts`, { body: { body } });

  it(
    'names a read-only database in a 503, logs it, and recovers when it is writable again',
    sqliteOnly,
    async () => {
      const tokens = await seedContract(server.url);
      await sql(server.app, 'PRAGMA query_only = ON');
      const refused = await write(tokens[ana.id]);
      assert.equal(refused.status, 503);
      assert.equal(refused.body.code, 'unavailable');
      assert.match(refused.body.detail, /database is read-only/);
      assert.equal(refused.headers.get('retry-after'), '30');
      assert.ok(
        log.some((line) => /storage fault, database read-only \(SQLITE_READONLY/.test(line)),
        log.join('\n'),
      );
      assert.equal(
        (await client(server.url).get(`/v1/threads/${MAIN_THREAD}`)).status,
        200,
        'reads go on',
      );
      await sql(server.app, 'PRAGMA query_only = OFF');
      assert.equal((await write(tokens[ana.id])).status, 201);
    },
  );

  it(
    'keeps no memory-mapped -shm file beside the database, and keeps a second server off it',
    sqliteOnly,
    async () => {
      const tokens = await seedContract(server.url);
      assert.equal((await write(tokens[ana.id])).status, 201);
      const dir = join(server.db, '..');
      assert.deepEqual(
        readdirSync(dir).filter((name) => name.endsWith('-shm')),
        [],
        'an -shm file a full disk turns into SIGBUS',
      );
      await assert.rejects(
        createParleyServer(loadConfig({ ...TEST_ENV, PARLEY_DB: server.db })),
        /another process has .* open \(one server per SQLite file/,
      );
    },
  );

  it('names a read-only PostgreSQL database in a 503, and recovers', postgresOnly, async () => {
    const tokens = await seedContract(server.url);
    const admin = async (text: string) => {
      const c = new pg.Client({ connectionString: server.db });
      await c.connect();
      try {
        await c.query('SET default_transaction_read_only = off');
        await c.query(text);
        await c.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        );
      } finally {
        await c.end();
      }
    };
    const name = new URL(server.db).pathname.slice(1);
    await admin(`ALTER DATABASE ${name} SET default_transaction_read_only = on`);
    let refused = await write(tokens[ana.id]);
    // Connections the pool held were ended: the first answers may say "not reachable".
    for (let i = 0; i < 20 && !/read-only/.test(refused.body?.detail ?? ''); i++)
      refused = await write(tokens[ana.id]);
    assert.equal(refused.status, 503);
    assert.match(refused.body.detail, /database is read-only/);
    assert.ok(log.some((line) => /storage fault, database read-only \(25006/.test(line)));
    await admin(`ALTER DATABASE ${name} RESET default_transaction_read_only`);
    let ok = await write(tokens[ana.id]);
    for (let i = 0; i < 20 && ok.status !== 201; i++) ok = await write(tokens[ana.id]);
    assert.equal(ok.status, 201);
  });

  it('names disk full, I/O errors and damage, by SQLite code or SQLSTATE', () => {
    const detail = (code: string) => storageFault({ code })?.problem.detail;
    assert.match(detail('SQLITE_FULL')!, /disk is full/);
    assert.match(detail('53100')!, /disk is full/);
    assert.match(detail('SQLITE_IOERR_WRITE')!, /I\/O error/);
    assert.match(detail('58030')!, /I\/O error/);
    assert.match(detail('SQLITE_READONLY_DBMOVED')!, /read-only/);
    assert.match(detail('SQLITE_CORRUPT')!, /damaged/);
    assert.equal(storageFault({ code: '23505' }), null, 'a constraint is no storage fault');
    assert.equal(storageFault(new Error('plain')), null);
  });
});

describe('a full disk (a real one: a 4 MB tmpfs)', () => {
  const mountPoint = mkdtempSync(join(tmpdir(), 'parley-full-'));
  const mounted =
    testBackend() === 'sqlite' &&
    spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]).status === 0;
  const options = mounted
    ? {}
    : {
        skip: testBackend() === 'sqlite' ? 'cannot mount a tmpfs here (needs root)' : 'SQLite only',
      };
  let app: ParleyServer | null = null;
  after(async () => {
    await app?.close();
    if (mounted) spawnSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it(
    'answers 503 naming the full disk, logs the cause, and recovers once there is space',
    options,
    async () => {
      const log: string[] = [];
      app = await createParleyServer(
        loadConfig({ ...TEST_ENV, PARLEY_DB: join(mountPoint, 'parley.sqlite') }),
        { log: (line) => log.push(line) },
      );
      const url = await app.listen();
      const tokens = await seedContract(url);
      const post = (body: string) =>
        client(url, tokens[ana.id]).post(`/v1/threads/${MAIN_THREAD}/posts`, { body: { body } });
      assert.equal((await post('Before the disk fills.')).status, 201);
      // An empty WAL, so the next write needs new space; then take all there is.
      await sql(app, 'PRAGMA wal_checkpoint(TRUNCATE)');
      const filler = join(mountPoint, 'filler');
      const fd = openSync(filler, 'w');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        assert.equal((error as { code?: string }).code, 'ENOSPC');
      } finally {
        closeSync(fd);
      }
      const refused = await post('While the disk is full. '.repeat(200));
      assert.equal(refused.status, 503, refused.text);
      assert.equal(refused.body.code, 'unavailable');
      assert.match(refused.body.detail, /disk is full, so nothing was saved/);
      assert.equal(refused.headers.get('retry-after'), '30');
      assert.ok(
        log.some((line) => /storage fault, disk full \(SQLITE_FULL/.test(line)),
        log.join('\n'),
      );
      rmSync(filler);
      const after = await post('After space was freed.');
      assert.equal(after.status, 201, after.text);
      const listed = await client(url).get(
        `/v1/threads/${MAIN_THREAD}/posts?direction=backward&limit=2`,
      );
      assert.deepEqual(
        listed.body.posts.map((p: { body: string }) => p.body),
        ['Before the disk fills.', 'After space was freed.'],
        'nothing of the refused write was kept',
      );
    },
  );
});
