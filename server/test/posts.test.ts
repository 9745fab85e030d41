/** Threads and posts: reading (pages both ways, the window around a post, counts), writing, and who may do what. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  ana,
  ben,
  client,
  contractSeed,
  ids,
  listAll,
  MAIN_ORDER,
  MAIN_THREAD,
  seedContract,
  sso,
  startServer,
  type TestServer,
} from './helpers.js';
import { parseMarkdown } from '../../src/content/markdown-parse.js';

let server: TestServer;
let tokens: Record<string, string>;
before(async () => {
  server = await startServer();
});
beforeEach(async () => {
  tokens = await seedContract(server.url);
});
after(() => server.close());

const anon = () => client(server.url);
const as = (userId: string) => client(server.url, tokens[userId]);
const page = (query: string, thread = MAIN_THREAD) =>
  anon().get(`/v1/threads/${thread}/posts${query}`);

describe('threads', () => {
  it('returns a thread with its title, url and locked flag', async () => {
    const res = await anon().get(`/v1/threads/${MAIN_THREAD}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      id: MAIN_THREAD,
      title: 'Contract main',
      url: 'https://example.com/main',
      locked: false,
    });
    assert.equal((await anon().get('/v1/threads/contract-locked')).body.locked, true);
  });

  it('is not-found for an unknown thread, problem+json', async () => {
    const res = await anon().get('/v1/threads/no-such-thread');
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type')!, /^application\/problem\+json/);
    assert.equal(res.body.code, 'not-found');
    assert.equal(res.body.type, 'https://parley.dev/problems/not-found');
    assert.match(res.body.detail, /no-such-thread/);
  });

  it('refuses to create a thread for a page outside PARLEY_ORIGINS (the default PARLEY_THREAD_URLS)', async () => {
    const id = 'https://elsewhere.example/future-page';
    const res = await anon().get(
      `/v1/threads/${encodeURIComponent(id)}?create=1&title=${encodeURIComponent('Buy pills')}&url=${encodeURIComponent(id)}`,
    );
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'forbidden');
    assert.equal(res.body.field, 'url');
    assert.match(res.body.detail, /not a page of this site.*PARLEY_THREAD_URLS/);
    assert.equal((await anon().get(`/v1/threads/${encodeURIComponent(id)}`)).status, 404);
  });

  it('rejects a missing or bad url when creating, naming the field', async () => {
    for (const query of ['?create=1', '?create=1&url=javascript:alert(1)']) {
      const res = await anon().get(`/v1/threads/new-one${query}`);
      assert.equal(res.status, 422, query);
      assert.equal(res.body.field, 'url');
    }
  });

  it('does not create threads with PARLEY_AUTO_CREATE=off', async () => {
    const strict = await startServer({ PARLEY_AUTO_CREATE: 'off' });
    try {
      assert.equal(
        (await client(strict.url).get('/v1/threads/new-one?create=1&title=x')).status,
        404,
      );
    } finally {
      await strict.close();
    }
  });

  it('lets a moderator lock and unlock; a locked thread refuses posts with a clear message', async () => {
    const lock = await as('mod').post(`/v1/threads/${MAIN_THREAD}/lock`, {
      body: { locked: true },
    });
    assert.equal(lock.status, 200);
    assert.equal(lock.body.locked, true);
    const refused = await as(ana.id).post(`/v1/threads/${MAIN_THREAD}/posts`, {
      body: { body: 'Let me in.' },
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'forbidden');
    assert.match(refused.body.detail, /locked/);
    const unlock = await as('mod').post(`/v1/threads/${MAIN_THREAD}/lock`, {
      body: { locked: false },
    });
    assert.equal(unlock.body.locked, false);
    assert.equal(
      (await as(ana.id).post(`/v1/threads/${MAIN_THREAD}/posts`, { body: { body: 'In again.' } }))
        .status,
      201,
    );
  });

  it('in a locked thread, refuses edits (authors and moderators alike) but lets authors and moderators delete', async () => {
    assert.equal(
      (await as('mod').post(`/v1/threads/${MAIN_THREAD}/lock`, { body: { locked: true } })).status,
      200,
    );
    const edit = await as(ana.id).patch('/v1/posts/m2', { body: { body: 'Rewriting history.' } });
    assert.equal(edit.status, 403);
    assert.equal(edit.body.code, 'forbidden');
    assert.match(edit.body.detail, /locked/);
    assert.equal(
      (await anon().get('/v1/posts/m2')).body.body,
      'Ana answers the opening post.',
      'the post is unchanged',
    );
    const own = await as(ana.id).delete('/v1/posts/m5b');
    assert.equal(own.status, 200, 'an author may still take back their own words');
    assert.equal(own.body.deleted, true);
    assert.equal(
      (await as('mod').delete('/v1/posts/m3')).status,
      200,
      'a moderator may still remove a post',
    );
    assert.equal((await as(ben.id).delete('/v1/posts/m7')).status, 403, "not someone else's");
    assert.equal(
      (await as('mod').post(`/v1/threads/${MAIN_THREAD}/lock`, { body: { locked: false } })).status,
      200,
    );
    assert.equal(
      (await as(ana.id).patch('/v1/posts/m2', { body: { body: 'Unlocked, edited.' } })).status,
      200,
    );
  });

  it('lets only moderators lock', async () => {
    const res = await as(ana.id).post(`/v1/threads/${MAIN_THREAD}/lock`, {
      body: { locked: true },
    });
    assert.equal(res.status, 403);
    assert.equal(
      (await anon().post(`/v1/threads/${MAIN_THREAD}/lock`, { body: { locked: true } })).status,
      401,
    );
    const bad = await as('mod').post(`/v1/threads/${MAIN_THREAD}/lock`, {
      body: { locked: 'yes' },
    });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.field, 'locked');
    assert.equal(
      (await as('mod').post('/v1/threads/no-such-thread/lock', { body: { locked: true } })).status,
      404,
    );
  });

  it('takes moderators from PARLEY_MODERATORS, single-sign-on ids included', async () => {
    const token = sso({ sub: 'boss', name: 'Boss' });
    const other = await startServer({ PARLEY_MODERATORS: 'sso:boss' });
    try {
      await seedContract(other.url);
      const res = await client(other.url, token).post(`/v1/threads/${MAIN_THREAD}/lock`, {
        body: { locked: true },
      });
      assert.equal(res.status, 200);
    } finally {
      await other.close();
    }
  });
});

describe('pages', () => {
  it('lists oldest first, ties by id, tombstones included, with total and offset', async () => {
    const res = await page('?limit=200');
    assert.equal(res.status, 200);
    assert.deepEqual(ids(res.body.posts), MAIN_ORDER);
    assert.equal(res.body.total, 8);
    assert.equal(res.body.offset, 0);
    assert.equal(res.body.nextCursor, null);
    assert.equal(res.body.prevCursor, null);
    const tombstone = res.body.posts[3];
    assert.deepEqual(
      { deleted: tombstone.deleted, body: tombstone.body, quote: tombstone.quote },
      { deleted: true, body: '', quote: null },
    );
  });

  it('returns times in UTC and posts as seeded', async () => {
    const posts = await listAll(server.url, MAIN_THREAD);
    const byId = new Map(posts.map((p) => [p.id, p]));
    assert.equal(
      byId.get('m2')!.createdAt,
      '2021-03-01T10:05:00.000Z',
      'an offset time is normalised to UTC',
    );
    assert.equal(byId.get('m3')!.parentId, 'm2');
    assert.equal(byId.get('m1')!.parentId, null);
    assert.deepEqual(byId.get('m5b')!.quote, { postId: 'm1', text: 'The opening post' });
    assert.deepEqual(byId.get('m6')!.author, ben);
    assert.equal(byId.get('m4')!.editedAt, '2021-03-01T10:16:00.000Z');
  });

  it("sends each post's body rendered to html with the library's markdown rules, tombstones aside", async () => {
    const writer = as(ana.id);
    const body = '**Bold** and @ben.\n<img src=x onerror="alert(1)">';
    const created = await writer.post(`/v1/threads/${MAIN_THREAD}/posts`, { body: { body } });
    assert.equal(created.status, 201);
    // The library's own parser (src/content/markdown-parse.ts), unsanitised: the client sanitises.
    const expected = parseMarkdown(body);
    assert.match(expected, /<strong>Bold<\/strong>/);
    assert.match(expected, /<span class="mention" data-handle="ben">@ben<\/span>/);
    assert.equal(created.body.html, expected, 'the created post');
    const id = created.body.id;
    assert.equal((await anon().get(`/v1/posts/${id}`)).body.html, expected, 'one post');
    const listed = (await page('?limit=200')).body.posts.find((p: { id: string }) => p.id === id);
    assert.equal(listed.html, expected, 'a page');
    const around = await anon().get(`/v1/threads/${MAIN_THREAD}/posts/${id}/around?before=1`);
    assert.equal(around.body.posts.at(-1).html, expected, 'the window around a post');
    const edited = await writer.patch(`/v1/posts/${id}`, { body: { body: '_Edited_' } });
    assert.equal(edited.body.html, '<p><em>Edited</em></p>\n', 'an edit renders afresh');
    assert.equal((await anon().get(`/v1/posts/${id}`)).body.html, edited.body.html);
    const deleted = await writer.delete(`/v1/posts/${id}`);
    assert.equal(deleted.body.deleted, true);
    assert.equal('html' in deleted.body, false, 'a tombstone has none');
  });

  it('renders afresh a post that a new seed gave the same id, time and length', async () => {
    const one = (body: string) => {
      const seed = contractSeed();
      seed.posts = seed.posts.map((p) => (p.id === 'm2' ? { ...p, body } : p));
      return anon().post('/v1/_seed', { body: seed });
    };
    assert.equal((await one('*First*')).status, 200);
    assert.equal((await anon().get('/v1/posts/m2')).body.html, '<p><em>First</em></p>\n');
    assert.equal((await one('_Other_')).status, 200);
    assert.equal((await anon().get('/v1/posts/m2')).body.html, '<p><em>Other</em></p>\n');
  });

  for (const limit of [1, 2, 3, 7, 8, 9]) {
    it(`walks forward in pages of ${limit}: every post once, offsets that add up`, async () => {
      const seen: string[] = [];
      let res = await page(`?limit=${limit}`);
      assert.equal(res.body.prevCursor, null);
      for (;;) {
        assert.equal(res.body.offset, seen.length);
        assert.equal(res.body.total, 8);
        assert.ok(res.body.posts.length <= limit);
        seen.push(...ids(res.body.posts));
        if (res.body.nextCursor === null) break;
        res = await page(`?limit=${limit}&cursor=${res.body.nextCursor}`);
      }
      assert.deepEqual(seen, MAIN_ORDER);
    });

    it(`walks backward in pages of ${limit} from the last page`, async () => {
      const seen: string[] = [];
      let res = await page(`?limit=${limit}&direction=backward`);
      assert.equal(res.body.nextCursor, null);
      for (;;) {
        seen.unshift(...ids(res.body.posts));
        assert.equal(res.body.offset, 8 - seen.length);
        if (res.body.prevCursor === null) break;
        res = await page(`?limit=${limit}&cursor=${res.body.prevCursor}`);
      }
      assert.deepEqual(seen, MAIN_ORDER);
    });
  }

  it('gives a middle page both cursors, and they lead back and on', async () => {
    const first = await page('?limit=3');
    const middle = await page(`?limit=3&cursor=${first.body.nextCursor}`);
    assert.deepEqual(ids(middle.body.posts), ['m4', 'm5a', 'm5b']);
    assert.equal(middle.body.offset, 3);
    const back = await page(`?limit=3&cursor=${middle.body.prevCursor}`);
    assert.deepEqual(ids(back.body.posts), ['m1', 'm2', 'm3']);
    assert.equal(back.body.offset, 0);
    assert.equal(back.body.prevCursor, null);
  });

  it('ends with nextCursor null when the last page is exactly full', async () => {
    const res = await page('?limit=8');
    assert.equal(res.body.posts.length, 8);
    assert.equal(res.body.nextCursor, null);
  });

  it('clamps limit to 1–200, and defaults to 50', async () => {
    assert.equal((await page('?limit=0')).body.posts.length, 1);
    assert.equal((await page('?limit=500')).body.posts.length, 8);
    assert.equal((await page('')).body.posts.length, 8);
    const bad = await page('?limit=lots');
    assert.equal(bad.status, 422);
    assert.equal(bad.body.field, 'limit');
  });

  it('shows a post created after the first page on a later page, once', async () => {
    const first = await page('?limit=3');
    const created = await as(ana.id).post(`/v1/threads/${MAIN_THREAD}/posts`, {
      body: { body: 'Written while paging.' },
    });
    const seen = ids(first.body.posts);
    let cursor = first.body.nextCursor;
    while (cursor) {
      const next = await page(`?limit=3&cursor=${cursor}`);
      seen.push(...ids(next.body.posts));
      cursor = next.body.nextCursor;
    }
    assert.deepEqual(seen, [...MAIN_ORDER, created.body.id]);
  });

  it('rejects a cursor it did not issue, or one of another thread, naming the field', async () => {
    for (const cursor of [
      'not-a-cursor',
      Buffer.from('["a","no-such-post"]').toString('base64url'),
      '%%%',
    ]) {
      const res = await page(`?cursor=${encodeURIComponent(cursor)}`);
      assert.equal(res.status, 422, cursor);
      assert.equal(res.body.code, 'invalid');
      assert.equal(res.body.field, 'cursor');
    }
    const side = await page('?limit=1', 'contract-side');
    assert.equal((await page(`?cursor=${side.body.nextCursor}`)).body.field, 'cursor');
  });

  it('rejects a direction that is not forward or backward', async () => {
    assert.equal((await page('?direction=sideways')).body.field, 'direction');
  });

  it('returns an empty page for a thread with no posts, and 404 for no thread', async () => {
    const empty = await page('', 'contract-empty');
    assert.deepEqual(empty.body, {
      posts: [],
      nextCursor: null,
      prevCursor: null,
      total: 0,
      offset: 0,
    });
    assert.equal((await page('', 'no-such-thread')).status, 404);
  });
});

describe('the window around a post', () => {
  const around = (postId: string, query = '', thread = MAIN_THREAD) =>
    anon().get(`/v1/threads/${thread}/posts/${postId}/around${query}`);

  it('returns the post with the posts before and after it, with cursors, offset and total', async () => {
    const res = await around('m4', '?before=2&after=2');
    assert.equal(res.status, 200);
    assert.deepEqual(ids(res.body.posts), ['m2', 'm3', 'm4', 'm5a', 'm5b']);
    assert.equal(res.body.offset, 1);
    assert.equal(res.body.total, 8);
    const before = await page(`?cursor=${res.body.prevCursor}&limit=10`);
    const after = await page(`?cursor=${res.body.nextCursor}&limit=10`);
    assert.deepEqual(
      [...ids(before.body.posts), ...ids(res.body.posts), ...ids(after.body.posts)],
      MAIN_ORDER,
    );
  });

  it('clips at the ends of the thread, defaults to 10 each side, and clamps to 100', async () => {
    const start = await around('m1', '?before=5&after=1');
    assert.deepEqual(ids(start.body.posts), ['m1', 'm2']);
    assert.equal(start.body.prevCursor, null);
    const end = await around('m7', '?before=1&after=5');
    assert.deepEqual(ids(end.body.posts), ['m6', 'm7']);
    assert.equal(end.body.nextCursor, null);
    assert.deepEqual(ids((await around('m4')).body.posts), MAIN_ORDER);
    assert.deepEqual(ids((await around('m4', '?before=0&after=0')).body.posts), ['m4']);
    assert.equal((await around('m4', '?before=1000')).status, 200);
    assert.equal((await around('m4', '?before=x')).body.field, 'before');
  });

  it('is not-found for a post of another thread or no post', async () => {
    assert.equal((await around('s1')).status, 404);
    assert.equal((await around('no-such-post')).status, 404);
    assert.equal((await around('m1', '', 'no-such-thread')).status, 404);
  });
});

describe('one post and counts', () => {
  it('returns any post by id, tombstones too, exactly as listed', async () => {
    const listed = (await listAll(server.url, MAIN_THREAD)).find((p) => p.id === 'm6');
    assert.deepEqual((await anon().get('/v1/posts/m6')).body, listed);
    assert.equal((await anon().get('/v1/posts/m4')).body.deleted, true);
    assert.equal((await anon().get('/v1/posts/s2')).body.threadId, 'contract-side');
    assert.equal((await anon().get('/v1/posts/no-such-post')).status, 404);
  });

  it('counts the posts that are not deleted, for many threads at once', async () => {
    const res = await anon().get(
      '/v1/counts?thread=contract-main&thread=contract-side&thread=contract-empty&thread=unknown',
    );
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      counts: { 'contract-main': 7, 'contract-side': 2, 'contract-empty': 0, unknown: 0 },
    });
    await as(ana.id).delete('/v1/posts/m2');
    assert.equal(
      (await anon().get('/v1/counts?thread=contract-main')).body.counts['contract-main'],
      6,
    );
  });

  it('takes up to 100 threads', async () => {
    const query = (n: number) => Array.from({ length: n }, (_, i) => `thread=t${i}`).join('&');
    assert.equal((await anon().get(`/v1/counts?${query(100)}`)).status, 200);
    const res = await anon().get(`/v1/counts?${query(101)}`);
    assert.equal(res.status, 422);
    assert.equal(res.body.field, 'thread');
  });
});

describe('writing', () => {
  const create = (userId: string | null, body: unknown, thread = MAIN_THREAD) =>
    (userId ? as(userId) : anon()).post(`/v1/threads/${thread}/posts`, { body });

  it('publishes a post as the caller with 201, a Location, and a new id; lists it last', async () => {
    const res = await create(ana.id, {
      body: 'Hello from the server.',
      parentId: 'm3',
      quote: { postId: 'm2', text: '  Ana\r\n\r\n\r\nanswers  ' },
    });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('location'), `/v1/posts/${res.body.id}`);
    assert.ok(!MAIN_ORDER.includes(res.body.id));
    assert.deepEqual(res.body.author, ana);
    assert.equal(res.body.parentId, 'm3');
    assert.deepEqual(
      res.body.quote,
      { postId: 'm2', text: 'Ana\n\nanswers' },
      'quote text is normalised like the library does',
    );
    assert.equal(res.body.deleted, false);
    assert.ok(Date.parse(res.body.createdAt) > Date.parse('2021-03-01T10:40:00Z'));
    assert.deepEqual(ids(await listAll(server.url, MAIN_THREAD)), [...MAIN_ORDER, res.body.id]);
  });

  it('keeps creation order for posts created in the same millisecond', async () => {
    const made = await Promise.all(
      Array.from({ length: 20 }, (_, i) => create(ben.id, { body: `Quick ${i}` }, 'contract-side')),
    );
    const byCreation = made.map((r) => r.body).sort((a, b) => a.id.localeCompare(b.id));
    const listed = (await listAll(server.url, 'contract-side')).slice(2);
    assert.deepEqual(ids(listed), ids(byCreation));
    assert.equal(new Set(ids(listed)).size, 20);
  });

  it('refuses a signed-out caller with 401 and publishes nothing', async () => {
    const res = await create(null, { body: 'Who am I?' });
    assert.equal(res.status, 401);
    assert.match(res.body.detail, /log in/);
    assert.deepEqual(ids(await listAll(server.url, MAIN_THREAD)), MAIN_ORDER);
  });

  it('refuses a reply to, or a quote of, a post that is not in the thread', async () => {
    const reply = await create(ana.id, { body: 'Reply.', parentId: 's1' });
    assert.equal(reply.status, 422);
    assert.equal(reply.body.field, 'parentId');
    const quote = await create(ana.id, { body: 'Quote.', quote: { postId: 'nope', text: 'x' } });
    assert.equal(quote.body.field, 'quote.postId');
    assert.equal((await create(ana.id, { body: 'Anyone?' }, 'no-such-thread')).status, 404);
    assert.deepEqual(ids(await listAll(server.url, MAIN_THREAD)), MAIN_ORDER);
  });

  it('edits only the caller’s own posts, setting editedAt and keeping the rest', async () => {
    const edited = await as(ana.id).patch('/v1/posts/m5b', { body: { body: 'Still quoting.' } });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.body, 'Still quoting.');
    assert.ok(Date.parse(edited.body.editedAt) > Date.parse(edited.body.createdAt));
    assert.deepEqual(edited.body.quote, { postId: 'm1', text: 'The opening post' });
    assert.equal(edited.body.createdAt, '2021-03-01T10:20:00.000Z');

    const theirs = await as(ana.id).patch('/v1/posts/m1', { body: { body: 'Not mine.' } });
    assert.equal(theirs.status, 403);
    assert.match(theirs.body.detail, /your own posts/);
    assert.equal((await anon().patch('/v1/posts/m2', { body: { body: 'x' } })).status, 401);
    assert.equal((await as(ana.id).patch('/v1/posts/nope', { body: { body: 'x' } })).status, 404);
    assert.equal(
      (await as('mod').patch('/v1/posts/m2', { body: { body: 'Moderators do not edit.' } })).status,
      403,
    );
    assert.equal(
      (await anon().get('/v1/posts/m1')).body.body,
      'The opening post of the main thread.',
    );
  });

  it('refuses to edit a deleted post with 409', async () => {
    await as(ana.id).delete('/v1/posts/m7');
    const res = await as(ana.id).patch('/v1/posts/m7', { body: { body: 'Back from the dead.' } });
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'conflict');
  });

  it('deletes the caller’s own post into a tombstone, again idempotently', async () => {
    const res = await as(ana.id).delete('/v1/posts/m5b');
    assert.equal(res.status, 200);
    assert.equal(res.body.deleted, true);
    assert.equal(res.body.body, '');
    assert.equal(res.body.quote, null);
    assert.deepEqual(res.body.author, ana);
    assert.equal((await as(ana.id).delete('/v1/posts/m5b')).body.deleted, true);
    assert.deepEqual(
      ids(await listAll(server.url, MAIN_THREAD, 3)),
      MAIN_ORDER,
      'the tombstone keeps its place',
    );
  });

  it('refuses to delete another person’s post, but a moderator deletes any', async () => {
    const refused = await as(ana.id).delete('/v1/posts/m1');
    assert.equal(refused.status, 403);
    assert.equal((await anon().get('/v1/posts/m1')).body.deleted, false);
    assert.equal((await anon().delete('/v1/posts/m1')).status, 401);
    const moderated = await as('mod').delete('/v1/posts/m1');
    assert.equal(moderated.status, 200);
    assert.equal(moderated.body.deleted, true);
    assert.equal(moderated.body.author.id, ben.id);
  });
});

describe('threads created for pages of the site', () => {
  /** The site: pages by path, served on 127.0.0.1 as a site owner's would be. */
  const pages: Record<
    string,
    { status?: number; type?: string; body?: string; location?: string }
  > = {
    '/posts/hello': {
      body: '<html><head><title>\n  Hello &amp; welcome &#x263A;\n</title></head></html>',
    },
    '/posts/untitled': { body: '<p>No title here.</p>' },
    '/posts/moved': { status: 301, location: '/posts/hello' },
    '/posts/away': { status: 302, location: 'https://elsewhere.example/' },
    '/posts/data': { type: 'application/json', body: '{}' },
  };
  let site: Server;
  let siteUrl: string;
  let parley: TestServer;
  before(async () => {
    site = createServer((req, res) => {
      const page = pages[req.url ?? ''];
      if (!page) return void res.writeHead(404).end('Not here yet.');
      res.writeHead(page.status ?? 200, {
        'Content-Type': page.type ?? 'text/html; charset=utf-8',
        ...(page.location ? { Location: page.location } : {}),
      });
      res.end(page.body ?? '');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    parley = await startServer({ PARLEY_THREAD_URLS: `${siteUrl}/posts/*` });
  });
  after(async () => {
    await parley.close();
    await new Promise((resolve) => site.close(resolve));
  });
  const open = (id: string, path: string, headers: Record<string, string> = {}) =>
    client(parley.url).get(
      `/v1/threads/${encodeURIComponent(id)}?create=1&title=${encodeURIComponent('Attacker title')}&url=${encodeURIComponent(siteUrl + path)}`,
      { headers },
    );

  it('creates the thread with the title the page itself has, not the one the request sends', async () => {
    const res = await open('hello', '/posts/hello');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      id: 'hello',
      title: 'Hello & welcome ☺',
      url: `${siteUrl}/posts/hello`,
      locked: false,
    });
    assert.deepEqual((await client(parley.url).get('/v1/threads/hello')).body, res.body);
    assert.equal((await open('untitled', '/posts/untitled')).body.title, '');
    assert.equal((await open('moved', '/posts/moved')).body.title, 'Hello & welcome ☺');
  });

  it("creates a page's thread keyed by its URL as comments, and one keyed otherwise without a mode", async () => {
    const url = `${siteUrl}/posts/hello`;
    const keyed = await open(url, '/posts/hello');
    assert.equal(keyed.status, 200);
    assert.equal(keyed.body.mode, 'comments');
    const again = await client(parley.url).get(`/v1/threads/${encodeURIComponent(url)}`);
    assert.equal(again.body.mode, 'comments');
    const other = await open('hello-by-id', '/posts/hello');
    assert.equal(other.status, 200);
    assert.equal('mode' in other.body, false);
  });

  it('creates nothing for a page that does not exist yet, is not HTML, or redirects off the site', async () => {
    for (const [id, path, why] of [
      ['future', '/posts/future', /answered HTTP 404/],
      ['data', '/posts/data', /not an HTML page/],
      ['away', '/posts/away', /redirects to https:\/\/elsewhere\.example\//],
    ] as const) {
      const res = await open(id, path);
      assert.equal(res.status, 404, id);
      assert.match(res.body.detail, why);
      assert.equal((await client(parley.url).get(`/v1/threads/${id}`)).status, 404, id);
    }
    const outside = await client(parley.url).get(
      `/v1/threads/other?create=1&url=${encodeURIComponent(`${siteUrl}/admin`)}`,
    );
    assert.equal(outside.status, 403, 'a path the patterns do not cover');
  });

  it('refuses a cross-site request to create a thread', async () => {
    const res = await open('hello-again', '/posts/hello', { Origin: 'https://evil.example' });
    assert.equal(res.status, 403);
    assert.match(res.body.detail, /origin https:\/\/evil\.example may not create/);
    assert.equal((await client(parley.url).get('/v1/threads/hello-again')).status, 404);
    const allowed = await open('hello-again', '/posts/hello', { Origin: 'https://site.example' });
    assert.equal(allowed.status, 200, 'the site itself may');
  });
});
