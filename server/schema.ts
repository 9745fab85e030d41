/**
 * The one source of the protocol's request and response shapes (TypeBox: JSON Schema with
 * static types, checked by its own checker). `server/openapi.ts` puts them into
 * docs/openapi.json as `components.schemas` (`npm run docs:openapi`); the server checks every
 * request body against its route's schema before the handler runs (server/request-body.ts), and
 * the tests check the server's real responses against them. Objects are closed
 * (`additionalProperties: false`): a field the server sends but the schema does not describe
 * fails the test, and a field a request sends that its schema does not name is refused.
 *
 * Each schema has the `$id` of its place in the document (`#/components/schemas/Post`), so a
 * reference (`ref('Post')`) means the same here and there.
 *
 * `errorMessage` (not part of JSON Schema; docs/openapi.json leaves it out) gives the words a
 * refusal uses for a field: one message for any failure, or one per keyword (`required`, `type`,
 * `minLength`, `maxLength`, `pattern`, …, `default` for the rest), where `{limit}` is the
 * keyword's value, `{length}` the length of what was sent (characters, or items of a list) and
 * `{value}` what was sent (server/request-body.ts).
 */
import {
  FormatRegistry,
  Kind,
  Type,
  TypeRegistry,
  type ObjectOptions,
  type SchemaOptions,
  type Static,
  type TProperties,
  type TSchema,
} from '@sinclair/typebox';
import { HANDLE_PATTERN } from '../src/model/mentions.js';

// The formats the schemas use, as the protocol means them.
FormatRegistry.Set('date-time', (value) =>
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value),
);
FormatRegistry.Set('uri', (value) => /^[a-z][a-z0-9+.-]*:/i.test(value));

// A string that is one of a list: `{ type: 'string', enum: [...] }`, as the document writes it
// (TypeBox's own unions of literals would read `anyOf` of `const`s).
TypeRegistry.Set<{ enum: string[] }>(
  'StringEnum',
  (schema, value) => typeof value === 'string' && schema.enum.includes(value),
);

/** A string that is one of `values`, as JSON Schema's `enum` says (checked by TypeBox too). */
export const stringEnum = <T extends string[]>(values: [...T], options: SchemaOptions = {}) =>
  Type.Unsafe<T[number]>({ ...options, [Kind]: 'StringEnum', type: 'string', enum: values });

/** A reference to a schema of `components.schemas`. */
export const ref = (name: string) => Type.Ref(`#/components/schemas/${name}`);

/** A closed object. */
const object = <T extends TProperties>(properties: T, options: ObjectOptions = {}) =>
  Type.Object(properties, { additionalProperties: false, ...options });

const nullable = <T extends TSchema>(schema: T, options = {}) =>
  Type.Union([schema, Type.Null()], options);

/** The longest post body unless PARLEY_MAX_LENGTH says otherwise; the document shows it. */
export const DEFAULT_MAX_LENGTH = 10_000;

/** A post's markdown as a request sends it: not empty, not only white space, at most `max`. */
const postBody = (maxLength: number) =>
  Type.String({
    minLength: 1,
    maxLength,
    pattern: '\\S',
    description: 'Markdown, 1–10,000 characters (configurable), not only white space.',
    errorMessage: {
      required: 'write something before posting.',
      minLength: 'write something before posting.',
      pattern: 'write something before posting.',
      type: 'must be a string of markdown.',
      maxLength: 'the post is {length} characters long; the limit is {limit}.',
    },
  });

/** The id of a post a request names. */
const postId = (options = {}) =>
  Type.String({
    minLength: 1,
    maxLength: 2000,
    pattern: '\\S',
    errorMessage: 'must be a post id.',
    ...options,
  });

/** A display name a request sends: trimmed by the server, 1–80 characters. */
const displayName = () =>
  Type.String({
    minLength: 1,
    maxLength: 80,
    pattern: '\\S',
    errorMessage: {
      maxLength: 'the name is {length} characters long; the limit is {limit}.',
      default: 'enter a name.',
    },
  });

/** The request bodies that take a post's markdown, for a longest post of `maxLength`. */
const postRequests = (maxLength: number) => ({
  NewPost: object({
    body: postBody(maxLength),
    parentId: Type.Optional(nullable(postId(), { description: 'A post of the same thread.' })),
    quote: Type.Optional(
      nullable(
        object(
          {
            text: Type.String({
              description: 'The quoted text; the server cuts it to 2,000 characters.',
              errorMessage: 'must be a string.',
            }),
            postId: postId({ description: 'A post of the same thread.' }),
          },
          {
            description: 'The excerpt of another post of the thread that the post quotes.',
            errorMessage: { type: 'must be an object with postId and text, or null.' },
          },
        ),
      ),
    ),
  }),
  PostEdit: object({ body: postBody(maxLength) }),
});

/** The handle pattern of src/model/mentions.ts. */
const handle = HANDLE_PATTERN.source;

const authorProperties = {
  id: Type.String({
    minLength: 1,
    description:
      'Stable id: built-in accounts `u-…`, guests `guest-…`, single sign-on `sso:<sub>`.',
  }),
  name: Type.String({ minLength: 1, description: 'Display name.' }),
  handle: Type.Optional(
    Type.String({ pattern: handle, description: 'Mention handle without the @.' }),
  ),
  avatarUrl: Type.Optional(
    Type.String({ format: 'uri', description: 'http(s) URL of an avatar image.' }),
  ),
  guest: Type.Optional(
    Type.Literal(true, {
      description:
        'Present (true) for a guest, who gave only a name; clients mark guests wherever the name shows. Absent for members.',
    }),
  ),
};

const definitions = {
  Author: object(authorProperties, { description: 'A person who writes posts.' }),
  Thread: object(
    {
      id: Type.String({ minLength: 1 }),
      title: Type.String(),
      url: Type.Optional(
        Type.String({ description: 'Canonical URL of the page the thread belongs to.' }),
      ),
      locked: Type.Optional(
        Type.Boolean({
          description:
            'A locked thread takes no new posts and no edits; its posts may still be deleted.',
        }),
      ),
      mode: Type.Optional(
        Type.Union([Type.Literal('discussion'), Type.Literal('comments')], {
          description:
            "How the thread reads: `discussion` (a forum topic: its first post is the opening post) or `comments` (the comments on a page, every top-level post a comment). Absent: the element decides (comments for a thread keyed by its page's canonical URL). A thread created for a page whose id is the page's URL is `comments`.",
          errorMessage: 'must be "discussion" or "comments".',
        }),
      ),
    },
    { description: 'A discussion, or the comments on a page.' },
  ),
  Quote: object(
    {
      postId: Type.String({ minLength: 1 }),
      text: Type.String({
        maxLength: 2000,
        description: 'Plain text; longer excerpts are cut to 2,000 characters.',
      }),
    },
    { description: 'The excerpt of another post of the thread that a post quotes.' },
  ),
  Post: object(
    {
      id: Type.String({ minLength: 1 }),
      threadId: Type.String({ minLength: 1 }),
      author: ref('Author'),
      body: Type.String({ description: 'Markdown source, untrusted. Empty for a deleted post.' }),
      html: Type.Optional(
        Type.String({
          description:
            "`body` rendered to HTML with Parley's markdown rules (GitHub-flavoured markdown, line breaks, `@handle` mentions), not sanitised: a client must sanitise it as it would its own rendering of `body` (Parley's elements do, with DOMPurify) or ignore it. Sent with every post this server returns except tombstones and live events; ignored in a seed.",
        }),
      ),
      createdAt: Type.String({ format: 'date-time', description: 'UTC, ISO 8601.' }),
      editedAt: Type.Optional(
        Type.String({
          format: 'date-time',
          description: 'Time of the last edit (or of the deletion).',
        }),
      ),
      deleted: Type.Optional(Type.Boolean()),
      parentId: Type.Optional(
        nullable(Type.String(), { description: 'The post this one replies to.' }),
      ),
      quote: Type.Optional(nullable(ref('Quote'))),
    },
    {
      description:
        'One post. The first post of a thread without a parent is its opening post. A deleted post is a tombstone: deleted true, empty body, quote null.',
    },
  ),
  PostPage: object(
    {
      posts: Type.Array(ref('Post')),
      nextCursor: nullable(Type.String(), {
        description: 'For the posts after this page; null when it ends the thread.',
      }),
      prevCursor: Type.Optional(
        nullable(Type.String(), {
          description: 'For the posts before this page; null when it starts the thread.',
        }),
      ),
      total: Type.Optional(
        Type.Integer({ minimum: 0, description: 'Posts in the thread, tombstones included.' }),
      ),
      offset: Type.Optional(
        Type.Integer({
          minimum: 0,
          description: "Position of the page's first post in the thread (0-based).",
        }),
      ),
    },
    { description: "A page (or window) of a thread's posts, oldest first." },
  ),
  Viewer: object({
    user: nullable(ref('Author')),
    moderator: Type.Boolean({ description: 'May lock threads and delete any post.' }),
    signIn: Type.Optional(
      object(
        {
          accounts: Type.Boolean({
            description:
              'Register and log in with a handle and password (/v1/auth/register, /v1/auth/login).',
          }),
          guests: Type.Boolean({ description: 'Sign in as a guest by name (/v1/auth/guest).' }),
          sso: Type.Boolean({
            description: 'Single-sign-on tokens signed by the host site are accepted.',
          }),
        },
        {
          description:
            'Optional: the ways of signing in this server offers (the same with or without a token). Clients that do not find it offer every way.',
        },
      ),
    ),
  }),
  Session: object({
    token: Type.String({
      minLength: 32,
      description:
        'Send as `Authorization: Bearer <token>`. Valid PARLEY_SESSION_DAYS (default 30), sliding: a request using it when less than half of that is left extends it to the full length from now. Clients may keep it across page loads (RestAdapter keeps it in localStorage) and drop it on a 401.',
    }),
    user: ref('Author'),
  }),
  Counts: object({
    counts: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), {
      description: 'Thread id → posts that are not deleted.',
    }),
  }),
  ...postRequests(DEFAULT_MAX_LENGTH),
  LockRequest: object({
    locked: Type.Boolean({ errorMessage: 'must be true or false.' }),
  }),
  RegisterRequest: object({
    name: displayName(),
    handle: Type.String({
      pattern: handle,
      errorMessage: 'use letters, digits, "_", "." or "-" (no "@"), at most 40 characters.',
    }),
    password: Type.String({
      minLength: 8,
      maxLength: 1000,
      description: 'Stored as an scrypt hash.',
      errorMessage: {
        maxLength: 'use at most 1,000 characters.',
        default: 'use at least 8 characters.',
      },
    }),
  }),
  LoginRequest: object({
    handle: Type.String({
      minLength: 1,
      pattern: '\\S',
      description: 'Any case; a leading @ is ignored.',
      errorMessage: 'enter your handle.',
    }),
    password: Type.String({ minLength: 1, errorMessage: 'enter your password.' }),
  }),
  GuestRequest: object({ name: displayName() }),
  SeedRequest: object({
    threads: Type.Array(ref('Thread')),
    posts: Type.Array(ref('Post')),
    users: Type.Optional(
      Type.Array(
        object({
          ...authorProperties,
          password: Type.Optional(
            Type.String({
              minLength: 8,
              description:
                'Makes the user a built-in account that can log in; such users need a handle, unique (any case) among them.',
            }),
          ),
        }),
        {
          description:
            'The people one can sign in as (a session token each comes back); authors of posts not listed are recorded too.',
        },
      ),
    ),
    moderators: Type.Optional(
      Type.Array(Type.String(), {
        description: 'Replaces PARLEY_MODERATORS until the next seed or restart.',
      }),
    ),
    origins: Type.Optional(
      Type.Array(Type.String({ pattern: '^(\\*|https?://[^/\\s]+)$' }), {
        description:
          'Replaces PARLEY_ORIGINS on every route but /v1/_seed itself until the next seed (one without origins restores PARLEY_ORIGINS) or restart.',
      }),
    ),
  }),
  SeedResult: object({
    threads: Type.Integer({ minimum: 0 }),
    posts: Type.Integer({ minimum: 0 }),
    users: Type.Integer({ minimum: 0 }),
    tokens: Type.Record(Type.String(), Type.String(), {
      description: 'User id → a session token for that user.',
    }),
  }),
  ThreadChange: Type.Union(
    [
      object({ type: Type.Literal('post-created'), post: ref('Post') }),
      object({ type: Type.Literal('post-updated'), post: ref('Post') }),
      object({ type: Type.Literal('post-deleted'), post: ref('Post') }),
      object({ type: Type.Literal('thread-updated'), thread: ref('Thread') }),
      object(
        { type: Type.Literal('reload') },
        {
          description:
            'The server cannot replay what the client missed (too much, or from outside its history): load the thread afresh.',
        },
      ),
    ],
    {
      description:
        "The data of one event on a thread's event stream; `type` is also the event name.",
    },
  ),
  Problem: object(
    {
      type: Type.String({ format: 'uri', description: 'https://parley.dev/problems/<code>' }),
      title: Type.String(),
      status: Type.Integer({ minimum: 400, maximum: 599 }),
      code: Type.Union(
        [
          'unauthorized',
          'forbidden',
          'not-found',
          'invalid',
          'rate-limited',
          'conflict',
          'unavailable',
        ].map((code) => Type.Literal(code)),
        { description: 'Maps one-to-one to ParleyError codes.' },
      ),
      detail: Type.String({ minLength: 1, description: 'Written for the reader.' }),
      field: Type.Optional(
        Type.String({
          description: 'For invalid: the field at fault (body, cursor, posts[2].author.name, …).',
        }),
      ),
      retryAfter: Type.Optional(
        Type.Integer({
          minimum: 1,
          description: 'For rate-limited: seconds until a retry may succeed.',
        }),
      ),
    },
    { description: "RFC 9457 problem details with the protocol's stable code." },
  ),
  Health: object({ status: Type.Literal('ok') }, { description: 'The process answers.' }),
  Ready: object(
    {
      status: Type.Literal('ready'),
      storage: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
    },
    { description: 'The process and its storage answer.' },
  ),
};

export type SchemaName = keyof typeof definitions;

/** What a request body of schema `N` is, once it has passed its check. */
export type Body<N extends SchemaName> = Static<(typeof definitions)[N]>;

/** The schemas with their `$id`s. */
const withIds = <T extends Record<string, TSchema>>(entries: T) =>
  Object.fromEntries(
    Object.entries(entries).map(([name, schema]) => [
      name,
      { ...schema, $id: `#/components/schemas/${name}` },
    ]),
  ) as unknown as Record<keyof T, TSchema>;

/** Every schema of `components.schemas`, each with its `$id`. */
export const schemas: Record<SchemaName, TSchema> = withIds(definitions);

/**
 * The schemas a server with a longest post of `maxLength` (PARLEY_MAX_LENGTH) checks with: the
 * document's own objects when that is the default, else the same with the post bodies' limit.
 */
export function schemasFor(maxLength: number): Record<SchemaName, TSchema> {
  if (maxLength === DEFAULT_MAX_LENGTH) return schemas;
  return { ...schemas, ...withIds(postRequests(maxLength)) };
}

/** The schemas as references for `Value.Check(schema, references, value)`. */
export const references: TSchema[] = Object.values(schemas);
