/**
 * Query parameters are read with the schemas docs/openapi.json lists them by: every query
 * parameter of every operation in the document is a property of its route's `query` schema
 * (the same description, default, bounds and type), the dispatcher reads the URL's query with
 * that schema before any handler runs, and a value of the wrong type, out of its range, or a
 * required parameter left out is `422 invalid` naming the parameter. Parameters no schema names
 * are ignored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Type, type TSchema } from '@sinclair/typebox';
import { routeTable } from '../app.js';
import { openapiJson, queryParametersOf, templateOf } from '../openapi.js';
import { ApiError } from '../problem.js';
import { parseQuery, requiredParameter } from '../request-query.js';
import type { Deps } from '../routes/route.js';
import type { Schema } from './openapi-check.js';
import { MAIN_THREAD, seedContract, startServer, type TestServer } from './helpers.js';

const doc = openapiJson() as Schema;
const table = routeTable({} as Deps);

/** Every operation of the document with a query parameter, and those parameters. */
const operations = Object.entries<Schema>(doc.paths).flatMap(([template, item]) =>
  Object.entries<Schema>(item).flatMap(([method, op]) => {
    const query = ((op.parameters ?? []) as Schema[]).filter((p) => p.in === 'query');
    return query.length
      ? [{ method: method.toUpperCase(), template, id: op.operationId as string, query }]
      : [];
  }),
);

/** The query that each operation takes (its required parameters), before one is spoiled. */
const EXAMPLES: Record<string, Record<string, string[]>> = {
  getThread: {},
  countPosts: { thread: [MAIN_THREAD] },
  listPosts: {},
  listPostsAround: {},
  threadEvents: {},
};

/** A value the parameter's documented schema refuses, and what it tests; none for a bare string. */
function spoiled(parameter: Schema): { values: string[] | null; what: string }[] {
  const schema = parameter.schema as Schema;
  const cases: { values: string[] | null; what: string }[] = [];
  if (parameter.required) cases.push({ values: null, what: 'left out' });
  if (schema.type === 'integer')
    for (const value of ['lots', '1.5', '1e3', '0x10', '-'])
      cases.push({ values: [value], what: `not a whole number (${value})` });
  if (schema.enum) cases.push({ values: ['none-of-these'], what: 'not one of its values' });
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern as string);
    const value = ['x', '-1', '1 2', '%'].find((candidate) => !pattern.test(candidate))!;
    cases.push({ values: [value], what: `not matching ${schema.pattern} (${value})` });
  }
  if (schema.format === 'uri') cases.push({ values: ['no scheme'], what: 'not a URI' });
  if (schema.maxLength !== undefined)
    cases.push({ values: ['x'.repeat(schema.maxLength + 1)], what: 'too long' });
  if (schema.maxItems !== undefined)
    cases.push({
      values: Array.from({ length: schema.maxItems + 1 }, (_, i) => `t${i}`),
      what: 'too many',
    });
  return cases;
}

let server: TestServer;
before(async () => {
  server = await startServer();
  await seedContract(server.url);
});
after(() => server.close());

/** A GET of an operation with `query`; an event stream is closed once it opens. */
async function send(template: string, query: URLSearchParams) {
  const path = template
    .replace('{threadId}', encodeURIComponent(MAIN_THREAD))
    .replace('{postId}', 'm4');
  const abort = new AbortController();
  const res = await fetch(`${server.url}${path}?${query}`, { signal: abort.signal });
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    abort.abort();
    return { status: res.status, body: undefined as Schema | undefined };
  }
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Schema | undefined };
}

const queryOf = (values: Record<string, string[]>) => {
  const query = new URLSearchParams();
  for (const [name, list] of Object.entries(values))
    for (const value of list) query.append(name, value);
  return query;
};

/** Asserts a 422 invalid naming `name`. */
function refused(res: Awaited<ReturnType<typeof send>>, name: string, what: string): void {
  assert.equal(res.status, 422, `${what}: ${JSON.stringify(res.body)}`);
  assert.equal(res.body?.code, 'invalid', what);
  assert.equal(res.body?.field, name, `${what}: ${JSON.stringify(res.body)}`);
  assert.ok(String(res.body?.detail).startsWith(`${name}: `), `${what}: ${res.body?.detail}`);
}

describe('query parameters', () => {
  it('are documented from the schema each route reads its query with, and only from it', () => {
    const json = (value: unknown) => JSON.parse(JSON.stringify(value));
    for (const op of operations) {
      const route = table.find(
        (candidate) => templateOf(candidate.path) === op.template && candidate.method === op.method,
      );
      assert.ok(route, `${op.method} ${op.template}`);
      assert.ok(route.query, `${op.id} documents query parameters but reads none with a schema`);
      const hand = (route.doc.parameters ?? []).filter((p) => (p as Schema).in === 'query');
      assert.deepEqual(hand, [], `${op.id}: query parameters written by hand`);
      const properties = route.query.properties as Record<string, TSchema>;
      assert.deepEqual(
        op.query.map((p: Schema) => p.name).sort(),
        Object.keys(properties).sort(),
        op.id,
      );
      for (const parameter of op.query) {
        const property = properties[parameter.name];
        // The property less what the parameter says itself, and the refusals' own words.
        const schema = json(property);
        const description = schema.description;
        for (const key of ['description', 'errorMessage', 'clamp']) delete schema[key];
        assert.equal(parameter.description, description, `${op.id} ${parameter.name}`);
        assert.deepEqual(parameter.schema, schema, `${op.id} ${parameter.name}`);
        assert.equal(
          parameter.required === true,
          requiredParameter(route.query, parameter.name),
          `${op.id} ${parameter.name}`,
        );
      }
      assert.deepEqual(json(queryParametersOf(route)).length, op.query.length);
    }
    // Every route that reads a query documents it.
    for (const route of table.filter((candidate) => candidate.query))
      assert.ok(
        operations.some(
          (op) => op.template === templateOf(route.path) && op.method === route.method,
        ),
        `${route.method} ${route.path}`,
      );
    assert.deepEqual(operations.map((op) => op.id).sort(), Object.keys(EXAMPLES).sort());
  });

  for (const op of operations) {
    describe(`${op.method} ${op.template} (${op.id})`, () => {
      it('takes its example query', async () => {
        const res = await send(op.template, queryOf(EXAMPLES[op.id]));
        assert.equal(res.status, 200, JSON.stringify(res.body));
      });

      for (const parameter of op.query) {
        const cases = spoiled(parameter);
        if (!cases.length) continue;
        it(`refuses a bad ${parameter.name} with 422 naming it`, async () => {
          for (const { values, what } of cases) {
            const query = { ...EXAMPLES[op.id] };
            if (values === null) delete query[parameter.name];
            else query[parameter.name] = values;
            refused(await send(op.template, queryOf(query)), parameter.name, what);
          }
        });
      }

      const route = table.find(
        (candidate) => templateOf(candidate.path) === op.template && candidate.method === op.method,
      )!;
      for (const [name, property] of Object.entries<TSchema>(route.query?.properties ?? {})) {
        const range = property.clamp as [number, number] | undefined;
        if (!range) continue;
        it(`clamps ${name} to ${range[0]}–${range[1]}, as its description says`, async () => {
          assert.match(property.description ?? '', new RegExp(`${range[0]}–${range[1]}`));
          assert.match(property.description ?? '', /clamped/);
          for (const value of [range[0] - 1, range[1] + 1, -1e6, 1e20])
            assert.equal(
              (await send(op.template, queryOf({ ...EXAMPLES[op.id], [name]: [String(value)] })))
                .status,
              200,
              `${name}=${value}`,
            );
        });
      }
    });
  }

  it('are read as their schema says: defaults, clamps, first values, lists, empty as unsent', () => {
    const schema = Type.Object({
      limit: Type.Integer({ default: 50, clamp: [1, 200] }),
      ratio: Type.Optional(Type.Number()),
      flag: Type.Optional(Type.Boolean()),
      tag: Type.Optional(Type.String()),
      ids: Type.Optional(Type.Array(Type.String())),
    });
    const read = (query: string) => parseQuery(schema, new URLSearchParams(query));
    assert.deepEqual(read(''), { limit: 50 });
    assert.deepEqual(read('limit=&tag=&other=1'), { limit: 50 });
    assert.deepEqual(read('limit=500&limit=2'), { limit: 200 });
    assert.deepEqual(read('limit=-4'), { limit: 1 });
    assert.deepEqual(read('limit=%207%20'), { limit: 7 });
    assert.deepEqual(read('ratio=0.25&flag=true&tag=a&tag=b'), {
      limit: 50,
      ratio: 0.25,
      flag: true,
      tag: 'a',
    });
    assert.deepEqual(read('flag=0').flag, false);
    assert.deepEqual(read('flag=1').flag, true);
    assert.deepEqual(read('ids=a&ids=&ids=b').ids, ['a', '', 'b']);
    const refusal = (query: string) => {
      try {
        read(query);
      } catch (error) {
        assert.ok(error instanceof ApiError);
        return error.toDocument();
      }
      assert.fail(`${query} was taken`);
    };
    assert.equal(refusal('flag=yes').field, 'flag');
    assert.equal(refusal('ratio=Infinity').field, 'ratio');
    assert.equal(refusal('ratio=1&limit=x').field, 'limit', 'the first in the schema order');
  });

  it('ignore parameters no schema names (caches and analytics add their own)', async () => {
    const res = await send(
      '/v1/threads/{threadId}/posts',
      new URLSearchParams('limit=2&utm_source=news&_=1733100000000&fbclid=x'),
    );
    assert.equal(res.status, 200);
    assert.equal(res.body?.posts.length, 2);
  });

  it('name what was sent when it is not a number', async () => {
    const res = await send('/v1/threads/{threadId}/posts', new URLSearchParams('limit=lots'));
    assert.equal(res.body?.detail, 'limit: must be a whole number, not "lots".');
    const counted = await send(
      '/v1/counts',
      queryOf({ thread: Array.from({ length: 101 }, (_, i) => `t${i}`) }),
    );
    assert.equal(
      counted.body?.detail,
      'thread: asks for 101 threads; the limit is 100 per request.',
    );
    const direction = await send(
      '/v1/threads/{threadId}/posts',
      new URLSearchParams('direction=sideways'),
    );
    assert.equal(direction.body?.detail, 'direction: must be forward or backward.');
  });

  it('are checked before the handler, whether or not it would use them', async () => {
    // An existing thread: create and url would not be needed, but must still be what they say.
    refused(
      await send('/v1/threads/{threadId}', new URLSearchParams('create=yes')),
      'create',
      'create',
    );
    refused(
      await send('/v1/threads/{threadId}', new URLSearchParams('url=not a url')),
      'url',
      'url',
    );
    const long = await send(
      '/v1/threads/{threadId}',
      new URLSearchParams({ create: '1', title: 'T'.repeat(5000), url: 'https://site.example/' }),
    );
    assert.equal(long.status, 200, 'a page title of any length, as RestAdapter sends it');
  });
});
