/**
 * docs/openapi.json describes what the server really does: it is what server/openapi.ts
 * generates from the route table and the schemas of server/schema.ts, and real responses of every operation,
 * successes and failures, are checked against those schemas with TypeBox's own checker (closed
 * objects: an undocumented field fails), and so is the data of live events.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import { routeTable } from '../app.js';
import { impliedResponses, openapiDocument, openapiJson, templateOf } from '../openapi.js';
import type { Deps } from '../routes/route.js';
import { references } from '../schema.js';
import { check, refsOf, resolve, type Schema } from './openapi-check.js';
import {
  ana,
  ben,
  call,
  MAIN_THREAD,
  openEvents,
  seedContract,
  sso,
  startServer,
  type CallOptions,
  type Res,
  type TestServer,
} from './helpers.js';

/** The document with the schemas as TypeBox holds them (for `Value`). */
const doc: Schema = openapiDocument();
/** The document as plain JSON, as docs/openapi.json holds it. */
const json = openapiJson() as Schema;

/** What is wrong with `value` by `schema` (a schema of server/schema.ts, or a reference to one). */
const schemaErrors = (schema: TSchema, value: unknown): string[] =>
  [...Value.Errors(schema, references, value)].map(
    (error) => `${error.path || '$'}: ${error.message} (${JSON.stringify(error.value)})`,
  );

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  spec: Schema;
}

const operations: Operation[] = Object.entries<Schema>(doc.paths).flatMap(([template, item]) =>
  Object.entries<Schema>(item)
    .filter(([method]) => ['get', 'post', 'patch', 'delete', 'put'].includes(method))
    .map(([method, spec]) => ({
      method: method.toUpperCase(),
      template,
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      spec,
    })),
);

/** Which operation, and which statuses of it, the run has seen. */
const seen = new Map<string, Set<number>>();
let server: TestServer;
let tokens: Record<string, string>;

/** Makes a real request and checks the response against the document. */
async function checked(method: string, path: string, options: CallOptions = {}): Promise<Res> {
  const res = await call(server.url, method, path, options);
  const pathname = new URL(path, 'http://x').pathname;
  const operation = operations.find((op) => op.method === method && op.pattern.test(pathname));
  assert.ok(operation, `${method} ${pathname} is not in docs/openapi.json`);
  const key = `${operation.method} ${operation.template}`;
  // A request the server took fits its request schema (the schema does not refuse what works).
  const requestSchema = operation.spec.requestBody?.content?.['application/json']?.schema;
  if (requestSchema && res.status < 300 && options.body !== undefined) {
    const errors = schemaErrors(requestSchema, options.body);
    assert.deepEqual(errors, [], `${key}: the server took a body its schema refuses`);
  }
  if (!seen.has(key)) seen.set(key, new Set());
  seen.get(key)!.add(res.status);
  const response = operation.spec.responses[String(res.status)];
  assert.ok(
    response,
    `${key} answered ${res.status}, which the document does not list (${res.text})`,
  );
  const documented = resolve(doc, response);
  const type = (res.headers.get('content-type') ?? '').split(';')[0];
  if (!documented.content) {
    assert.equal(res.text, '', `${key} ${res.status} has no documented body`);
  } else {
    assert.ok(
      documented.content[type],
      `${key} ${res.status} answered ${type}; documented: ${Object.keys(documented.content).join(', ')}`,
    );
    const errors = schemaErrors(documented.content[type].schema, res.body);
    assert.deepEqual(
      errors,
      [],
      `${key} ${res.status} does not fit the document:\n${errors.join('\n')}\n${res.text.slice(0, 500)}`,
    );
  }
  checkEveryResponse(res, key);
  for (const name of Object.keys(documented.headers ?? {})) {
    if (name === 'Location' && res.status >= 300) continue;
    assert.ok(
      res.headers.get(name) !== null,
      `${key} ${res.status} lacks the documented header ${name}`,
    );
  }
  return res;
}

/** The headers `x-parley-every-response` says every answer carries, with their documented values. */
function checkEveryResponse(res: Res, what: string): void {
  const every = doc['x-parley-every-response'];
  for (const [name, ref] of Object.entries<Schema>(every.headers)) {
    const schema = resolve(doc, ref).schema;
    const value = res.headers.get(name);
    assert.ok(value !== null, `${what} ${res.status} lacks ${name}, which every answer carries`);
    assert.deepEqual(check(doc, schema, value), [], `${what} ${res.status}: ${name} is ${value}`);
  }
  assert.equal(
    res.headers.get('strict-transport-security'),
    null,
    `${what}: no HSTS over plain HTTP`,
  );
}

before(async () => {
  server = await startServer({ PARLEY_RATE_USER: '40/60' });
  tokens = await seedContract(server.url);
});
after(() => server.close());

describe('docs/openapi.json', () => {
  it('is what server/openapi.ts generates from server/schema.ts (npm run docs:openapi)', () => {
    const committed: unknown = JSON.parse(
      readFileSync(new URL('../../../../docs/openapi.json', import.meta.url), 'utf8'),
    );
    assert.deepEqual(committed, json, 'docs/openapi.json is stale: run npm run docs:openapi');
  });

  it("documents every route of the server's table: its body's schema and who may call it", () => {
    const table = routeTable({} as Deps);
    const documented = operations.map((op) => `${op.method} ${op.template}`).sort();
    const routes = table.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`).sort();
    assert.deepEqual(routes, documented);
    for (const route of table) {
      const op = operations.find(
        (o) => o.method === route.method && o.pattern.test(route.path.replace(/:\w+/g, 'x')),
      )!.spec;
      const what = `${route.method} ${route.path}`;
      const body = op.requestBody?.content?.['application/json']?.schema?.$ref;
      assert.equal(body, route.body && `#/components/schemas/${route.body}`, `${what}: body`);
      const signedIn = route.auth === 'signed-in' || route.auth === 'moderator';
      assert.deepEqual(
        op.security,
        signedIn
          ? [{ bearerAuth: [] }]
          : route.auth === 'optional'
            ? [{}, { bearerAuth: [] }]
            : op.security,
        `${what}: security`,
      );
      if (!signedIn)
        assert.notDeepEqual(op.security, [{ bearerAuth: [] }], `${what} needs no sign-in`);
    }
  });

  it('has one operation per route of the table, and no other, in the committed file too', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../../../docs/openapi.json', import.meta.url), 'utf8'),
    ) as Schema;
    const inFile = Object.entries<Schema>(committed.paths)
      .flatMap(([template, item]) =>
        Object.keys(item)
          .filter((method) => ['get', 'post', 'patch', 'delete', 'put'].includes(method))
          .map((method) => `${method.toUpperCase()} ${template}`),
      )
      .sort();
    const table = routeTable({} as Deps);
    const routes = table.map((route) => `${route.method} ${templateOf(route.path)}`).sort();
    assert.equal(new Set(routes).size, routes.length, 'one route per method and path');
    assert.deepEqual(inFile, routes);
    for (const route of table) {
      const op = committed.paths[templateOf(route.path)][route.method.toLowerCase()];
      assert.equal(op.operationId, route.doc.operationId);
      assert.equal(op.summary, route.doc.summary);
    }
  });

  it('lists, for every route, the statuses its declarations answer with', () => {
    for (const route of routeTable({} as Deps)) {
      const what = `${route.method} ${route.path}`;
      const op = doc.paths[templateOf(route.path)][route.method.toLowerCase()];
      const statuses = Object.keys(op.responses);
      const answers: string[] = [];
      // The body is read (400 malformed, 408 too slow, 413 too large) and checked (422).
      if (route.body) answers.push('400', '408', '413', '422');
      // The query is checked (422).
      if (route.query) answers.push('422');
      if (route.auth !== 'none') answers.push('401');
      if (route.auth === 'moderator') answers.push('403');
      if (route.limit) answers.push('429');
      if (route.doc.failures !== false) answers.push('500', '503');
      for (const status of answers)
        assert.ok(statuses.includes(status), `${what} answers ${status}; its doc does not say so`);
      // What the declarations imply is written once, by openapi.ts, not again in each route.
      for (const [status, response] of Object.entries(impliedResponses(route)))
        assert.notDeepEqual(
          route.doc.responses[status],
          response,
          `${what}: ${status} is implied by its declarations; its doc need not repeat it`,
        );
      assert.equal(route.doc.request !== undefined, route.body !== undefined, `${what}: request`);
    }
  });

  it('is OpenAPI 3.1 whose references all resolve and whose operations are unique', () => {
    assert.equal(json.openapi, '3.1.0');
    for (const ref of refsOf(json)) assert.doesNotThrow(() => resolve(json, { $ref: ref }), ref);
    const ids = operations.map((op) => op.spec.operationId);
    assert.equal(new Set(ids).size, ids.length);
    for (const name of [
      'Author',
      'Thread',
      'Quote',
      'Post',
      'PostPage',
      'Viewer',
      'Problem',
      'ThreadChange',
    ])
      assert.ok(doc.components.schemas[name], name);
  });

  it('describes the real responses of every operation', async () => {
    const ana$ = { token: tokens[ana.id] };
    const ben$ = { token: tokens[ben.id] };
    const mod$ = { token: tokens.mod };

    // Threads
    await checked('GET', `/v1/threads/${MAIN_THREAD}`);
    await checked('GET', '/v1/threads/no-such-thread');
    await checked(
      'GET',
      `/v1/threads/${encodeURIComponent('https://x.example/a')}?create=1&title=A&url=${encodeURIComponent('https://x.example/a')}`,
    );
    await checked('GET', '/v1/threads/new?create=1&url=ftp://nope');
    await checked('POST', `/v1/threads/${MAIN_THREAD}/lock`, { ...mod$, body: { locked: false } });
    await checked('POST', `/v1/threads/${MAIN_THREAD}/lock`, { ...ana$, body: { locked: true } });
    await checked('POST', `/v1/threads/${MAIN_THREAD}/lock`, { body: { locked: true } });
    await checked('POST', `/v1/threads/${MAIN_THREAD}/lock`, { ...mod$, body: { locked: 1 } });
    await checked('POST', `/v1/threads/${MAIN_THREAD}/lock`, { ...mod$, raw: '{' });
    await checked('GET', '/v1/counts?thread=contract-main&thread=x');
    await checked(
      'GET',
      `/v1/counts?${Array.from({ length: 101 }, (_, i) => `thread=${i}`).join('&')}`,
    );

    // Reading posts
    const first = await checked('GET', `/v1/threads/${MAIN_THREAD}/posts?limit=3`);
    await checked(
      'GET',
      `/v1/threads/${MAIN_THREAD}/posts?limit=3&cursor=${first.body.nextCursor}`,
    );
    await checked('GET', `/v1/threads/${MAIN_THREAD}/posts?direction=backward&limit=2`);
    await checked('GET', '/v1/threads/contract-empty/posts');
    await checked('GET', `/v1/threads/${MAIN_THREAD}/posts?cursor=bogus`);
    await checked('GET', '/v1/threads/nope/posts');
    await checked('GET', `/v1/threads/${MAIN_THREAD}/posts/m4/around?before=2&after=2`);
    await checked('GET', `/v1/threads/${MAIN_THREAD}/posts/s1/around`);
    await checked('GET', `/v1/threads/${MAIN_THREAD}/posts/m4/around?before=many`);
    await checked('GET', '/v1/posts/m5b');
    await checked('GET', '/v1/posts/m4');
    await checked('GET', '/v1/posts/nope');

    // Writing posts
    const created = await checked('POST', `/v1/threads/${MAIN_THREAD}/posts`, {
      ...ana$,
      body: { body: 'Hi', parentId: 'm2', quote: { postId: 'm1', text: 'The' } },
      headers: { 'Idempotency-Key': 'oa-1' },
    });
    assert.equal(created.status, 201);
    assert.equal(
      (
        await checked('POST', `/v1/threads/${MAIN_THREAD}/posts`, {
          ...ana$,
          body: { body: 'Hi', parentId: 'm2', quote: { postId: 'm1', text: 'The' } },
          headers: { 'Idempotency-Key': 'oa-1' },
        })
      ).status,
      200,
    );
    await checked('POST', `/v1/threads/${MAIN_THREAD}/posts`, {
      ...ana$,
      body: { body: 'Other' },
      headers: { 'Idempotency-Key': 'oa-1' },
    });
    await checked('POST', `/v1/threads/${MAIN_THREAD}/posts`, { body: { body: 'Anonymous' } });
    await checked('POST', `/v1/threads/${MAIN_THREAD}/posts`, { ...ana$, body: { body: '' } });
    await checked('POST', `/v1/threads/${MAIN_THREAD}/posts`, {
      ...ana$,
      body: { body: 'x'.repeat(70_000) },
    });
    await checked('POST', `/v1/threads/${MAIN_THREAD}/posts`, { ...ana$, raw: 'not json' });
    await checked('POST', '/v1/threads/contract-locked/posts', {
      ...ana$,
      body: { body: 'Locked?' },
    });
    await checked('POST', '/v1/threads/nope/posts', { ...ana$, body: { body: 'Where?' } });
    await checked('PATCH', `/v1/posts/${created.body.id}`, { ...ana$, body: { body: 'Edited' } });
    await checked('PATCH', '/v1/posts/m1', { ...ana$, body: { body: 'Not mine' } });
    await checked('PATCH', '/v1/posts/m2', { ...ana$, body: { body: ' ' } });
    await checked('PATCH', '/v1/posts/nope', { ...ana$, body: { body: 'x' } });
    await checked('PATCH', '/v1/posts/m2', { body: { body: 'x' } });
    await checked('DELETE', `/v1/posts/${created.body.id}`, ana$);
    await checked('PATCH', `/v1/posts/${created.body.id}`, { ...ana$, body: { body: 'Revive' } });
    await checked('DELETE', '/v1/posts/m1', ana$);
    await checked('DELETE', '/v1/posts/nope', ana$);
    await checked('DELETE', '/v1/posts/m1');
    for (let i = 0; i < 45; i++) {
      const res = await checked('POST', '/v1/threads/contract-side/posts', {
        ...ben$,
        body: { body: `Flood ${i}` },
      });
      if (res.status === 429) break;
    }
    assert.ok(
      seen.get('POST /v1/threads/{threadId}/posts')!.has(429),
      'the rate limit was reached',
    );

    // Viewer and signing in
    await checked('GET', '/v1/viewer');
    await checked('GET', '/v1/viewer', ana$);
    await checked('GET', '/v1/viewer', {
      token: sso({
        sub: 'oa',
        name: 'Open API',
        handle: 'oa',
        avatar: 'https://img.example/oa.png',
      }),
    });
    await checked('GET', '/v1/viewer', { token: 'stale' });
    const registered = await checked('POST', '/v1/auth/register', {
      body: { name: 'Open API', handle: 'openapi', password: 'password1' },
    });
    await checked('POST', '/v1/auth/register', {
      body: { name: 'Open API', handle: 'openapi', password: 'password1' },
    });
    await checked('POST', '/v1/auth/register', {
      body: { name: 'Open API', handle: 'openapi2', password: 'short' },
    });
    await checked('POST', '/v1/auth/login', { body: { handle: 'openapi', password: 'password1' } });
    await checked('POST', '/v1/auth/login', { body: { handle: 'openapi', password: 'password2' } });
    await checked('POST', '/v1/auth/login', { body: { handle: '' } });
    await checked('POST', '/v1/auth/guest', { body: { name: 'Guest' } });
    await checked('POST', '/v1/auth/guest', { body: {} });
    await checked('POST', '/v1/auth/logout', { token: registered.body.token });
    await checked('POST', '/v1/auth/logout');

    // Seeding
    await checked('POST', '/v1/_seed', { body: { threads: [{ id: 't', title: 1 }], posts: [] } });
    const seeded = await checked('POST', '/v1/_seed', {
      body: {
        threads: [{ id: 't', title: 'T' }],
        posts: [],
        users: [{ id: 'u', name: 'U', handle: 'u', password: 'password1' }],
      },
    });
    assert.equal(typeof seeded.body.tokens.u, 'string');
    await checked('GET', '/v1/threads/t/events?lastEventId=x');
    await checked('GET', '/v1/threads/nope/events');

    // Health
    await checked('GET', '/healthz');
    await checked('GET', '/readyz');

    // A known path with a method it does not take
    const wrong = await call(server.url, 'PUT', '/v1/posts/m1', { body: { body: 'x' } });
    const documented = resolve(doc, doc['x-parley-every-response'].wrongMethod);
    assert.equal(wrong.status, 405);
    assert.deepEqual(
      schemaErrors(documented.content['application/problem+json'].schema, wrong.body),
      [],
    );
    for (const name of Object.keys(documented.headers))
      assert.ok(wrong.headers.get(name) !== null, `405 lacks ${name}`);
    checkEveryResponse(wrong, 'PUT /v1/posts/{postId}');

    const untested = operations.filter(
      (op) => ![...(seen.get(`${op.method} ${op.template}`) ?? [])].some((s) => s < 300),
    );
    assert.deepEqual(
      untested.map((op) => `${op.method} ${op.template}`),
      ['GET /v1/threads/{threadId}/events'],
      'every operation but the event stream (checked below) answered with success',
    );
  });

  it('describes the data of live events as ThreadChange', async () => {
    tokens = await seedContract(server.url);
    const reader = await openEvents(server.url, MAIN_THREAD);
    try {
      assert.match(String(reader.headers['content-type']), /^text\/event-stream/);
      assert.ok(
        doc.paths['/v1/threads/{threadId}/events'].get.responses['200'].content[
          'text/event-stream'
        ],
      );
      const post = (
        await call(server.url, 'POST', `/v1/threads/${MAIN_THREAD}/posts`, {
          token: tokens[ana.id],
          body: { body: 'Live' },
        })
      ).body;
      await call(server.url, 'PATCH', `/v1/posts/${post.id}`, {
        token: tokens[ana.id],
        body: { body: 'Live, edited' },
      });
      await call(server.url, 'DELETE', `/v1/posts/${post.id}`, { token: tokens[ana.id] });
      await call(server.url, 'POST', `/v1/threads/${MAIN_THREAD}/lock`, {
        token: tokens.mod,
        body: { locked: true },
      });
      await reader.until((r) => r.events.length >= 4);
      // A resume point from outside the history: the reload event.
      const stale = await openEvents(server.url, MAIN_THREAD, { lastEventId: '999999999' });
      await stale.until((r) => r.events.length >= 1);
      stale.close();
      assert.equal(stale.events[0].type, 'reload');
      for (const event of [...reader.events, ...stale.events]) {
        const data = JSON.parse(event.data);
        assert.equal(data.type, event.type);
        assert.deepEqual(schemaErrors(doc.components.schemas.ThreadChange, data), []);
      }
    } finally {
      reader.close();
    }
  });

  it('catches a response that does not fit', () => {
    const post = doc.components.schemas.Post;
    const good = {
      id: 'p',
      threadId: 't',
      author: { id: 'u', name: 'U' },
      body: '',
      createdAt: '2021-01-01T00:00:00.000Z',
      deleted: false,
      parentId: null,
      quote: null,
    };
    assert.deepEqual(schemaErrors(post, good), []);
    assert.ok(schemaErrors(post, { ...good, createdAt: 'yesterday' }).length > 0);
    assert.ok(schemaErrors(post, { ...good, parentId: 3 }).length > 0);
    assert.ok(schemaErrors(post, { ...good, author: { id: 'u' } }).length > 0);
    assert.ok(schemaErrors(post, { ...good, secret: 1 }).length > 0, 'this server adds none');
    const published = { $ref: '#/components/schemas/Post' };
    assert.deepEqual(
      check(json, published, { ...good, secret: 1 }),
      [],
      'the published document lets other servers add fields',
    );
    assert.ok(check(json, published, { ...good, parentId: 3 }).length > 0);
  });
});
