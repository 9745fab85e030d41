/** Live changes: server-sent events per thread, with Last-Event-ID replay. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  ana,
  client,
  MAIN_THREAD,
  openEvents,
  seedContract,
  sleep,
  startServer,
  type EventReader,
  type TestServer,
} from './helpers.js';

let server: TestServer;
let tokens: Record<string, string>;
const open: EventReader[] = [];
before(async () => {
  server = await startServer({ PARLEY_KEEPALIVE: '1' });
});
beforeEach(async () => {
  tokens = await seedContract(server.url);
});
after(async () => {
  for (const reader of open) reader.close();
  await server.close();
});

async function listen(
  thread = MAIN_THREAD,
  options: Parameters<typeof openEvents>[2] = {},
): Promise<EventReader> {
  const reader = await openEvents(server.url, thread, options);
  open.push(reader);
  return reader;
}

const ana$ = () => client(server.url, tokens[ana.id]);
const create = (body: string, thread = MAIN_THREAD) =>
  ana$().post(`/v1/threads/${thread}/posts`, { body: { body } });
const parsed = (reader: EventReader) =>
  reader.events.map((e) => ({ id: Number(e.id), type: e.type, data: JSON.parse(e.data) }));

describe('event streams', () => {
  it('streams post-created, post-updated and post-deleted for its thread, in order', async () => {
    const reader = await listen();
    assert.equal(reader.status, 200);
    assert.match(String(reader.headers['content-type']), /^text\/event-stream/);
    const post = (await create('Live.')).body;
    await ana$().patch(`/v1/posts/${post.id}`, { body: { body: 'Live, edited.' } });
    await ana$().delete(`/v1/posts/${post.id}`);
    await reader.until((r) => r.events.length >= 3);
    const events = parsed(reader);
    assert.deepEqual(
      events.map((e) => e.type),
      ['post-created', 'post-updated', 'post-deleted'],
    );
    assert.deepEqual(
      events.map((e) => e.data.type),
      ['post-created', 'post-updated', 'post-deleted'],
    );
    assert.deepEqual(events[0].data.post, post, 'the event carries the post as the API returns it');
    assert.equal(events[1].data.post.body, 'Live, edited.');
    assert.equal(events[2].data.post.deleted, true);
    assert.ok(events[0].id < events[1].id && events[1].id < events[2].id, 'ids increase');
  });

  it('tells a stream nothing about other threads, and nothing about failed writes', async () => {
    const main = await listen();
    const side = await listen('contract-side');
    await ana$().patch('/v1/posts/m1', { body: { body: 'Not mine.' } });
    await create('');
    const inSide = (await create('Side only.', 'contract-side')).body;
    const inMain = (await create('Main only.')).body;
    await main.until((r) => r.events.length >= 1);
    await side.until((r) => r.events.length >= 1);
    await sleep(50);
    assert.deepEqual(
      parsed(main).map((e) => e.data.post.id),
      [inMain.id],
    );
    assert.deepEqual(
      parsed(side).map((e) => e.data.post.id),
      [inSide.id],
    );
  });

  it('sends thread-updated when a moderator locks the thread', async () => {
    const reader = await listen();
    await client(server.url, tokens.mod).post(`/v1/threads/${MAIN_THREAD}/lock`, {
      body: { locked: true },
    });
    await reader.until((r) => r.events.length >= 1);
    const [event] = parsed(reader);
    assert.equal(event.type, 'thread-updated');
    assert.deepEqual(event.data.thread, {
      id: MAIN_THREAD,
      title: 'Contract main',
      url: 'https://example.com/main',
      locked: true,
    });
  });

  it('replays exactly the missed changes after Last-Event-ID, then streams live, with no duplicates', async () => {
    const first = await listen();
    const seen = (await create('Before the break.')).body;
    await first.until((r) => r.events.length >= 1);
    const lastId = first.events[0].id!;
    first.close();

    const missed = [(await create('Missed one.')).body.id, (await create('Missed two.')).body.id];
    await ana$().patch(`/v1/posts/${seen.id}`, { body: { body: 'Edited while away.' } });
    await create('In another thread.', 'contract-side');

    const resumed = await listen(MAIN_THREAD, { lastEventId: lastId });
    await resumed.until((r) => r.events.length >= 3);
    const live = (await create('Live again.')).body.id;
    await resumed.until((r) => r.events.length >= 4);
    await sleep(100);
    const events = parsed(resumed);
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.data.post.id}`),
      [
        `post-created ${missed[0]}`,
        `post-created ${missed[1]}`,
        `post-updated ${seen.id}`,
        `post-created ${live}`,
      ],
    );
    assert.ok(events.every((e) => e.id > Number(lastId)));
    assert.equal(new Set(events.map((e) => e.id)).size, events.length, 'no event twice');
  });

  it('takes the resume point as ?lastEventId= where headers cannot be set', async () => {
    const head = await listen();
    await head.until((r) => r.ids.length >= 1);
    const from = head.ids[0];
    head.close();
    const post = (await create('Missed by an EventSource.')).body;
    const resumed = await listen(MAIN_THREAD, { query: `?lastEventId=${from}` });
    await resumed.until((r) => r.events.length >= 1);
    assert.equal(parsed(resumed)[0].data.post.id, post.id);
  });

  it('primes a new stream with the current event id, so a reconnect misses nothing', async () => {
    await create('An earlier change.');
    const reader = await listen();
    await reader.until((r) => r.ids.length >= 1);
    assert.equal(Number(reader.ids[0]), await server.app.storage.headEventId());
    assert.equal(reader.events.length, 0, 'no old events without Last-Event-ID');
  });

  it('keeps event ids increasing across a seed that replaces the data', async () => {
    const before = await server.app.storage.headEventId();
    await create('One.');
    tokens = await seedContract(server.url);
    const after = (await create('Two.')).body;
    const reader = await listen(MAIN_THREAD, { lastEventId: String(before) });
    await reader.until((r) => r.events.length >= 1);
    assert.deepEqual(
      parsed(reader).map((e) => e.data.post.id),
      [after.id],
      'the replaced data’s events are gone, the new ones continue',
    );
    assert.ok(Number(reader.events[0].id) > before + 1);
  });

  it('sends a keep-alive comment at the configured interval (15 s by default)', async () => {
    const reader = await listen();
    await reader.until((r) => r.comments.includes('keep-alive'), 3000);
  });

  it('meets the live stream exactly when posts arrive while a client resumes', async () => {
    const start = await server.app.storage.headEventId();
    const writes = Array.from({ length: 30 }, (_, i) => create(`Burst ${i}`));
    await sleep(5);
    const reader = await listen(MAIN_THREAD, { lastEventId: String(start) });
    const created = (await Promise.all(writes)).map((r) => r.body.id);
    await reader.until((r) => r.events.length >= 30);
    await sleep(100);
    const got = parsed(reader).map((e) => e.data.post.id);
    assert.deepEqual([...got].sort(), [...created].sort());
    assert.equal(got.length, 30);
  });

  it('is not-found for an unknown thread, and invalid for a bad Last-Event-ID', async () => {
    assert.equal((await listen('no-such-thread')).status, 404);
    assert.equal((await listen(MAIN_THREAD, { lastEventId: 'yesterday' })).status, 422);
  });

  it('answers a cross-origin EventSource from an allowed origin', async () => {
    const reader = await listen(MAIN_THREAD, { origin: 'https://site.example' });
    assert.equal(reader.headers['access-control-allow-origin'], 'https://site.example');
  });
});
