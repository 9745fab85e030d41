/**
 * Crash safety: a burst of concurrent posts, `kill -9` in the middle of it, a restart on the same
 * database. Every post that got a 201 must be there, and retrying every submission with its
 * Idempotency-Key must not make any post twice. On SQLite (a temp file), and on PostgreSQL in
 * crash.postgres.test.ts, where the process killed holds pooled connections with transactions in
 * flight (PostgreSQL rolls those back when the connections drop). `kill -9` of one of two
 * instances on one database, its writers retrying on the other, is in instances.test.ts.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { join } from 'node:path';
import { it } from 'node:test';
import {
  ana,
  call,
  listAll,
  postgresDatabase,
  seedContract,
  spawnServer,
  tempDir,
  testBackend,
} from './helpers.js';

const THREAD = 'contract-side';
const SUBMISSIONS = 400;
const CONCURRENCY = 24;
const KILL_AFTER = 120;

it('keeps every acknowledged post and makes none twice when killed mid-burst', async (t) => {
  const { dir, remove } = tempDir();
  const db: Record<string, string> =
    testBackend() === 'postgres'
      ? { PARLEY_DATABASE_URL: await postgresDatabase() }
      : { PARLEY_DB: join(dir, 'crash.sqlite') };
  try {
    let server = await spawnServer(db);
    const tokens = await seedContract(server.url);
    const submit = (base: string, i: number) =>
      call(base, 'POST', `/v1/threads/${THREAD}/posts`, {
        token: tokens[ana.id],
        body: { body: `Crash post ${i}` },
        headers: { 'Idempotency-Key': `crash-${i}` },
      });

    const acknowledged = new Map<number, string>();
    let next = 0;
    let failures = 0;
    const killed = once(server.child, 'exit');
    const worker = async () => {
      while (next < SUBMISSIONS) {
        const i = next++;
        try {
          const res = await submit(server.url, i);
          if (res.status !== 201) throw new Error(`unexpected ${res.status}`);
          acknowledged.set(i, res.body.id);
          if (acknowledged.size === KILL_AFTER) server.child.kill('SIGKILL');
        } catch {
          failures++;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await killed;
    assert.equal(server.child.signalCode, 'SIGKILL');
    assert.ok(
      acknowledged.size >= KILL_AFTER && acknowledged.size < SUBMISSIONS,
      `killed mid-burst (${acknowledged.size} acknowledged, ${failures} failed)`,
    );

    server = await spawnServer(db);
    try {
      const survived = new Map((await listAll(server.url, THREAD)).map((p) => [p.id, p]));
      for (const [i, id] of acknowledged) {
        assert.equal(
          survived.get(id)?.body,
          `Crash post ${i}`,
          `acknowledged post ${i} (${id}) survived`,
        );
      }
      const bodies = [...survived.values()].map((p) => p.body);
      assert.equal(new Set(bodies).size, bodies.length, 'no post twice');

      // The client retries everything that did not get an answer (and, to be sure, everything else).
      const retried = await Promise.all(
        Array.from({ length: SUBMISSIONS }, (_, i) => submit(server.url, i)),
      );
      for (const [i, id] of acknowledged) {
        assert.equal(retried[i].status, 200, `retry of acknowledged post ${i}`);
        assert.equal(retried[i].body.id, id);
      }
      for (const res of retried)
        assert.ok(res.status === 200 || res.status === 201, `retry answered ${res.status}`);
      const committedUnanswered = retried.filter(
        (res, i) => res.status === 200 && !acknowledged.has(i),
      ).length;
      t.diagnostic(
        `${acknowledged.size} acknowledged before kill -9, ${failures} unanswered, of which ${committedUnanswered} had committed (the retry found them)`,
      );
      const final = await listAll(server.url, THREAD);
      assert.equal(final.length, 2 + SUBMISSIONS, 'each submission exactly once');
      assert.equal(new Set(final.map((p) => p.body)).size, final.length);
    } finally {
      await server.stop();
    }
  } finally {
    remove();
  }
});
