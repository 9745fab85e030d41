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
const head = () => server.app.storage.headEventId();
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
    // As the API returns it, but for `html`: live events leave rendering to the client.
    const { html, ...source } = post;
    assert.equal(html, '<p>Live.</p>\n', 'the API sends the rendered body');
    assert.deepEqual(events[0].data.post, source, 'the event carries the post as the API has it');
    assert.equal(events[0].data.post.html, undefined);
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

  it('keeps event ids increasing across a seed, and tells a reader from before it to reload', async () => {
    const before = await server.app.storage.headEventId();
    await create('One.');
    tokens = await seedContract(server.url);
    const after = (await create('Two.')).body;
    const stale = await listen(MAIN_THREAD, { lastEventId: String(before) });
    await stale.until((r) => r.events.length >= 1);
    assert.deepEqual(
      stale.events.map((e) => e.type),
      ['reload'],
      'the data it knew was replaced: events cannot bring it up to date',
    );
    assert.ok(Number(stale.events[0].id) > before + 1, 'ids keep increasing');
    const fresh = await listen(MAIN_THREAD, {
      lastEventId: String(Number(stale.events[0].id) - 1),
    });
    await fresh.until((r) => r.events.length >= 1);
    assert.deepEqual(
      parsed(fresh).map((e) => e.data.post.id),
      [after.id],
    );
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

  it('replays a deleted post as its tombstone: none of its text comes back', async () => {
    const from = await head();
    const post = (await create('Words I regret.')).body;
    await ana$().patch(`/v1/posts/${post.id}`, { body: { body: 'Words I regret, edited.' } });
    await client(server.url, tokens.mod).delete(`/v1/posts/${post.id}`);
    const reader = await listen(MAIN_THREAD, { lastEventId: String(from) });
    await reader.until((r) => r.events.length >= 1);
    await sleep(100);
    const events = parsed(reader);
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.data.type} ${e.data.post.id}`),
      [`post-created post-created ${post.id}`],
      'one event, at the place the post was created',
    );
    assert.equal(events[0].data.post.deleted, true);
    assert.equal(events[0].data.post.body, '');
    assert.doesNotMatch(reader.raw(), /regret/);
  });

  it('replays an edited post as it is now, at the place of its first event', async () => {
    const from = await head();
    const first = (await create('First draft.')).body;
    const reply = (
      await ana$().post(`/v1/threads/${MAIN_THREAD}/posts`, {
        body: { body: 'A reply.', parentId: first.id },
      })
    ).body;
    await ana$().patch(`/v1/posts/${first.id}`, { body: { body: 'Second draft.' } });
    await ana$().patch(`/v1/posts/${first.id}`, { body: { body: 'Final words.' } });
    const reader = await listen(MAIN_THREAD, { lastEventId: String(from) });
    await reader.until((r) => r.events.length >= 2);
    await sleep(100);
    const events = parsed(reader);
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.data.post.id} ${e.data.post.body}`),
      [`post-created ${first.id} Final words.`, `post-created ${reply.id} A reply.`],
      'the parent still comes before its reply',
    );
    assert.doesNotMatch(reader.raw(), /draft/);
  });

  it('replays a known post edited then deleted as one post-deleted, and later events live', async () => {
    const post = (await create('Known to the reader.')).body;
    const from = await head();
    await ana$().patch(`/v1/posts/${post.id}`, { body: { body: 'Changed my mind.' } });
    await ana$().delete(`/v1/posts/${post.id}`);
    const other = (await create('Still here.')).body;
    const reader = await listen(MAIN_THREAD, { lastEventId: String(from) });
    await reader.until((r) => r.events.length >= 2);
    const live = (await create('Live after the replay.')).body;
    await reader.until((r) => r.events.length >= 3);
    await sleep(100);
    assert.deepEqual(
      parsed(reader).map((e) => `${e.type} ${e.data.type} ${e.data.post.id} ${e.data.post.body}`),
      [
        `post-deleted post-deleted ${post.id} `,
        `post-created post-created ${other.id} Still here.`,
        `post-created post-created ${live.id} Live after the replay.`,
      ],
    );
    assert.doesNotMatch(reader.raw(), /mind/);
  });

  it('replays a backlog longer than one storage page, in order, each post once', async () => {
    const from = await head();
    const created: string[] = [];
    for (let batch = 0; batch < 7; batch++) {
      const bodies = Array.from({ length: 30 }, (_, i) => `Backlog ${batch * 30 + i}`);
      for (const res of await Promise.all(bodies.map((b) => create(b)))) created.push(res.body.id);
    }
    const reader = await listen(MAIN_THREAD, { lastEventId: String(from) });
    await reader.until((r) => r.events.length >= created.length, 10_000);
    await sleep(100);
    const events = parsed(reader);
    assert.equal(events.length, 210);
    assert.deepEqual([...events.map((e) => e.data.post.id)].sort(), [...created].sort());
    assert.ok(
      events.every((e, i) => i === 0 || e.id > events[i - 1].id),
      'ids increase',
    );
  });

  it('tells a reader whose resume point is not in this history to reload', async () => {
    const reader = await listen(MAIN_THREAD, {
      lastEventId: String((await head()) + 1000),
    });
    await reader.until((r) => r.events.length >= 1);
    assert.equal(reader.events[0].type, 'reload');
    assert.deepEqual(JSON.parse(reader.events[0].data), { type: 'reload' });
    assert.equal(Number(reader.events[0].id), await head());
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

describe('event streams with PARLEY_REPLAY_LIMIT', () => {
  let small: TestServer;
  before(async () => {
    small = await startServer({ PARLEY_REPLAY_LIMIT: '3' });
  });
  after(async () => {
    await small.close();
  });

  it('tells a reader more events behind than the limit to reload, then streams live from the head', async () => {
    const seeded = await seedContract(small.url);
    const as = client(small.url, seeded[ana.id]);
    const from = await small.app.storage.headEventId();
    const posts = [];
    for (const body of ['One.', 'Two.', 'Three.'])
      posts.push((await as.post(`/v1/threads/${MAIN_THREAD}/posts`, { body: { body } })).body);
    const near = await openEvents(small.url, MAIN_THREAD, { lastEventId: String(from) });
    open.push(near);
    await near.until((r) => r.events.length >= 3);
    assert.deepEqual(
      near.events.map((e) => e.type),
      ['post-created', 'post-created', 'post-created'],
      'three events behind: replayed',
    );
    await as.post(`/v1/threads/${MAIN_THREAD}/posts`, { body: { body: 'Four.' } });
    const far = await openEvents(small.url, MAIN_THREAD, { lastEventId: String(from) });
    open.push(far);
    await far.until((r) => r.events.length >= 1);
    const headNow = await small.app.storage.headEventId();
    assert.deepEqual(
      far.events.map((e) => [e.type, Number(e.id)]),
      [['reload', headNow]],
    );
    const live = (await as.post(`/v1/threads/${MAIN_THREAD}/posts`, { body: { body: 'Five.' } }))
      .body;
    await far.until((r) => r.events.length >= 2);
    assert.equal(JSON.parse(far.events[1].data).post.id, live.id);
    assert.doesNotMatch(far.raw(), /One\.|Two\.|Three\.|Four\./);
  });
});
