/**
 * Request bodies are checked against the schemas docs/openapi.json shows, the same objects, by
 * the dispatcher before any handler runs: every operation the document gives a request body
 * refuses a field its schema does not name, a required field left out and a value of the wrong
 * type, each with 422 naming the field; the schema a server checks with is the document's own
 * object, and only the post length follows PARLEY_MAX_LENGTH.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { routeTable } from '../app.js';
import { openapiDocument, openapiJson } from '../openapi.js';
import { RequestBodies } from '../request-body.js';
import type { Deps } from '../routes/route.js';
import { DEFAULT_MAX_LENGTH, schemas, schemasFor } from '../schema.js';
import type { Schema } from './openapi-check.js';
import { resolve } from './openapi-check.js';
import {
  ana,
  call,
  client,
  MAIN_THREAD,
  seedContract,
  startServer,
  type TestServer,
} from './helpers.js';

const doc = openapiJson() as Schema;

/** Who sends each operation's body, and one body it takes (`{postId}`: a post of ana's). */
const EXAMPLES: Record<string, { as: 'ana' | 'mod' | null; body: Record<string, unknown> }> = {
  createPost: { as: 'ana', body: { body: 'Hello', parentId: 'm1', quote: null } },
  updatePost: { as: 'ana', body: { body: 'Edited' } },
  lockThread: { as: 'mod', body: { locked: false } },
  register: { as: null, body: { name: 'Bo', handle: 'bo-body', password: 'password1' } },
  login: { as: null, body: { handle: 'ana', password: 'wrong-password' } },
  guest: { as: null, body: { name: 'A guest' } },
  seed: { as: null, body: { threads: [], posts: [] } },
};

/** Every operation of the document with a JSON request body. */
const operations = Object.entries<Schema>(doc.paths).flatMap(([template, item]) =>
  Object.entries<Schema>(item).flatMap(([method, op]) => {
    const schema = op.requestBody?.content?.['application/json']?.schema;
    return schema
      ? [{ method: method.toUpperCase(), template, id: op.operationId as string, schema }]
      : [];
  }),
);

/** A value of another type than `schema` takes. */
function wrongValue(schema: Schema): unknown {
  const types = new Set<string>(
    [schema, ...(schema.anyOf ?? [])].map((s: Schema) => resolve(doc, s).type).filter(Boolean),
  );
  if (!types.has('string')) return 'not this';
  if (!types.has('boolean')) return true;
  return 12;
}

let server: TestServer;
let tokens: Record<string, string>;
let anasPost: string;

before(async () => {
  server = await startServer();
  tokens = await seedContract(server.url);
  const made = await client(server.url, tokens[ana.id]).post(`/v1/threads/${MAIN_THREAD}/posts`, {
    body: { body: 'Mine to edit' },
  });
  anasPost = made.body.id;
});
after(() => server.close());

/** Sends `body` to an operation as its example's caller. */
function send(op: (typeof operations)[number], body: unknown) {
  const path = op.template
    .replace('{threadId}', encodeURIComponent(MAIN_THREAD))
    .replace('{postId}', encodeURIComponent(anasPost));
  const who = EXAMPLES[op.id].as;
  return call(server.url, op.method, path, {
    body,
    token: who === 'ana' ? tokens[ana.id] : who === 'mod' ? tokens.mod : undefined,
  });
}

/** Asserts a 422 invalid naming `field`. */
function refused(res: Awaited<ReturnType<typeof send>>, field: string, what: string): void {
  assert.equal(res.status, 422, `${what}: ${res.text}`);
  assert.equal(res.body.code, 'invalid', what);
  assert.equal(res.body.field, field, `${what}: ${res.text}`);
  assert.ok(res.body.detail.startsWith(`${field}: `), `${what}: ${res.body.detail}`);
}

describe('request bodies', () => {
  it('are checked with the very schema objects the document is made of', () => {
    const bodies = new RequestBodies({ maxLength: DEFAULT_MAX_LENGTH });
    const document = openapiDocument();
    const table = routeTable({} as Deps).filter((route) => route.body);
    assert.ok(table.length >= Object.keys(EXAMPLES).length);
    for (const route of table) {
      const name = route.body!;
      assert.equal(bodies.schemas[name], document.components.schemas[name], name);
      assert.equal(bodies.schemas[name], schemas[name], name);
    }
    assert.deepEqual(operations.map((op) => op.id).sort(), Object.keys(EXAMPLES).sort());
  });

  it('follow PARLEY_MAX_LENGTH in the post bodies alone', () => {
    const longer = schemasFor(20_000);
    for (const name of ['NewPost', 'PostEdit'] as const) {
      assert.equal(longer[name].properties.body.maxLength, 20_000);
      assert.equal(schemas[name].properties.body.maxLength, DEFAULT_MAX_LENGTH);
      assert.equal(longer[name].$id, schemas[name].$id);
    }
    for (const name of Object.keys(schemas) as (keyof typeof schemas)[])
      if (name !== 'NewPost' && name !== 'PostEdit') assert.equal(longer[name], schemas[name]);
  });

  for (const op of operations) {
    describe(`${op.method} ${op.template} (${op.id})`, () => {
      const schema = resolve(doc, op.schema);

      it('takes its example, which fits the documented schema', async () => {
        const res = await send(op, EXAMPLES[op.id].body);
        assert.ok(res.status < 300 || res.status === 401, `${res.status} ${res.text}`);
      });

      it('refuses a field its schema does not name, with 422 naming it', async () => {
        const res = await send(op, { ...EXAMPLES[op.id].body, unexpected: 1 });
        refused(res, 'unexpected', 'an unknown field');
        assert.match(res.body.detail, /not a field of this request/);
      });

      it('refuses each required field left out, naming it', async () => {
        assert.ok(schema.required?.length, 'the document names its required fields');
        for (const field of schema.required as string[]) {
          const body = { ...EXAMPLES[op.id].body };
          delete body[field];
          refused(await send(op, body), field, `without ${field}`);
        }
      });

      it('refuses a value of the wrong type in each field, naming it', async () => {
        for (const [field, property] of Object.entries<Schema>(schema.properties)) {
          const body = { ...EXAMPLES[op.id].body, [field]: wrongValue(property) };
          refused(await send(op, body), field, `${field}: ${JSON.stringify(body[field])}`);
        }
      });
    });
  }

  it('take posts as long as PARLEY_MAX_LENGTH allows, past the default', async () => {
    const long = await startServer({ PARLEY_MAX_LENGTH: '20000' });
    try {
      const seeded = await seedContract(long.url);
      const post = (body: string) =>
        client(long.url, seeded[ana.id]).post(`/v1/threads/${MAIN_THREAD}/posts`, {
          body: { body },
        });
      assert.equal((await post('x'.repeat(15_000))).status, 201);
      const res = await post('x'.repeat(20_001));
      assert.equal(
        res.body.detail,
        'body: the post is 20,001 characters long; the limit is 20,000.',
      );
    } finally {
      await long.close();
    }
  });

  it('name the first field at fault, in the order of the schema', async () => {
    const res = await client(server.url).post('/v1/auth/register', {
      body: { name: 5, handle: '@no', extra: true },
    });
    refused(res, 'name', 'name first');
    assert.equal(res.body.detail, 'name: enter a name.');
  });
});
