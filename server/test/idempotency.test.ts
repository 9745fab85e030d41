/** Idempotency-Key: a retried submission never makes a second post. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { IDEMPOTENCY_MS } from '../store.js';
import {
  ana,
  ben,
  client,
  ids,
  listAll,
  MAIN_ORDER,
  MAIN_THREAD,
  seedContract,
  sql,
  startServer,
  type TestServer,
} from './helpers.js';

let server: TestServer;
let tokens: Record<string, string>;
before(async () => {
  server = await startServer();
});
beforeEach(async () => {
  tokens = await seedContract(server.url);
});
after(() => server.close());

const submit = (key: string, body: unknown, userId = ana.id) =>
  client(server.url, tokens[userId]).post(`/v1/threads/${MAIN_THREAD}/posts`, {
    body,
    headers: { 'Idempotency-Key': key },
  });

describe('Idempotency-Key', () => {
  it('answers a retry of the same request with the same post and 200', async () => {
    const first = await submit('key-1', { body: 'Only once.', parentId: 'm2' });
    assert.equal(first.status, 201);
    const again = await submit('key-1', { body: 'Only once.', parentId: 'm2' });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    assert.equal(again.headers.get('location'), `/v1/posts/${first.body.id}`);
    assert.deepEqual(ids(await listAll(server.url, MAIN_THREAD)), [...MAIN_ORDER, first.body.id]);
  });

  it('never duplicates under concurrent retries of one submission', async () => {
    const results = await Promise.all(
      Array.from({ length: 25 }, () => submit('key-burst', { body: 'Clicked many times.' })),
    );
    assert.equal(results.filter((r) => r.status === 201).length, 1);
    assert.equal(results.filter((r) => r.status === 200).length, 24);
    assert.equal(new Set(results.map((r) => r.body.id)).size, 1);
    assert.equal((await listAll(server.url, MAIN_THREAD)).length, MAIN_ORDER.length + 1);
  });

  it('answers the same key with a different request with 409 conflict', async () => {
    await submit('key-2', { body: 'First text.' });
    for (const different of [
      { body: 'Other text.' },
      { body: 'First text.', parentId: 'm2' },
      { body: 'First text.', quote: { postId: 'm1', text: 'x' } },
    ]) {
      const res = await submit('key-2', different);
      assert.equal(res.status, 409);
      assert.equal(res.body.code, 'conflict');
      assert.match(res.body.detail, /Idempotency-Key/);
    }
    const otherThread = await client(server.url, tokens[ana.id]).post(
      '/v1/threads/contract-side/posts',
      { body: { body: 'First text.' }, headers: { 'Idempotency-Key': 'key-2' } },
    );
    assert.equal(otherThread.status, 409);
    assert.equal((await listAll(server.url, MAIN_THREAD)).length, MAIN_ORDER.length + 1);
  });

  it('keeps keys per user', async () => {
    const mine = await submit('shared-key', { body: 'Same words.' });
    const theirs = await submit('shared-key', { body: 'Same words.' }, ben.id);
    assert.equal(theirs.status, 201);
    assert.notEqual(theirs.body.id, mine.body.id);
  });

  it('returns the post as it is now when it was edited since', async () => {
    const first = await submit('key-3', { body: 'Original.' });
    await client(server.url, tokens[ana.id]).patch(`/v1/posts/${first.body.id}`, {
      body: { body: 'Edited.' },
    });
    const again = await submit('key-3', { body: 'Original.' });
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    assert.equal(again.body.body, 'Edited.');
  });

  it('does not remember a request that failed', async () => {
    assert.equal((await submit('key-4', { body: '' })).status, 422);
    assert.equal((await submit('key-4', { body: 'Fixed.' })).status, 201);
  });

  it('forgets keys after 24 hours', async () => {
    const first = await submit('key-5', { body: 'Yesterday.' });
    await sql(
      server.app,
      'UPDATE idempotency_keys SET created_ms = created_ms - ? WHERE key = ?',
      IDEMPOTENCY_MS + 1000,
      'key-5',
    );
    const later = await submit('key-5', { body: 'Yesterday.' });
    assert.equal(later.status, 201);
    assert.notEqual(later.body.id, first.body.id);
    await submit('key-6', { body: 'Also old.' });
    await sql(
      server.app,
      "UPDATE idempotency_keys SET created_ms = created_ms - ? WHERE key = 'key-6'",
      IDEMPOTENCY_MS + 1000,
    );
    await server.app.storage.prune(30);
    const keys = (await sql(server.app, 'SELECT key FROM idempotency_keys ORDER BY key')).map(
      (row) => row.key,
    );
    assert.deepEqual(keys, ['key-5'], 'pruning drops keys older than 24 hours');
  });

  it('costs no rate-limit token for a retry', async () => {
    const limited = await startServer({ PARLEY_RATE_USER: '1/60' });
    try {
      const seeded = await seedContract(limited.url);
      const send = () =>
        client(limited.url, seeded[ana.id]).post(`/v1/threads/${MAIN_THREAD}/posts`, {
          body: { body: 'Retry me.' },
          headers: { 'Idempotency-Key': 'k' },
        });
      assert.equal((await send()).status, 201);
      assert.equal((await send()).status, 200);
      assert.equal((await send()).status, 200);
    } finally {
      await limited.close();
    }
  });

  it('rejects a key that is not visible ASCII, naming the header', async () => {
    const res = await submit('with space', { body: 'x' });
    assert.equal(res.status, 422);
    assert.equal(res.body.field, 'Idempotency-Key');
  });
});
