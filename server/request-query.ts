/**
 * Query parameters read with their route's schema (`RouteSpec.query`, a TypeBox object), the
 * same schema from which server/openapi.ts writes the operation's query `parameters` in
 * docs/openapi.json: what the document lists is what the dispatcher takes. Before the handler
 * runs, the URL's query is read into an object by the schema's properties (app.ts), checked with
 * the schema, and handed to the handler as `ctx.query`, typed; a value that does not fit is one
 * `422 invalid` naming the parameter (the first at fault, in the schema's order), in the words
 * of its `errorMessage` where it has one (server/request-body.ts).
 *
 * How a query becomes values:
 * - only the parameters the schema names are read; any other is ignored (caches, analytics and
 *   campaign links add their own);
 * - a parameter of type `array` takes every value it is given (`thread=a&thread=b`), each read as
 *   its `items` say; any other takes its first value, and an empty one (`limit=`) counts as not
 *   sent, as it always has;
 * - `integer` reads whole numbers in decimal (`12`, `-5`), `number` any finite decimal, `boolean`
 *   `true` / `1` and `false` / `0`; anything else stays the string it was, so the check refuses
 *   it with the type the schema wants;
 * - a parameter not sent takes its schema's `default`, when it has one (so the handler's type
 *   has no `undefined` for it, and the document never calls it required);
 * - `clamp` (`[min, max]`, not JSON Schema; the document leaves it out, its description says
 *   it) brings a number outside the range to its nearer end, for parameters that have always
 *   been clamped rather than refused (`limit`, `before`, `after`).
 */
import {
  Type,
  type IntegerOptions,
  type Static,
  type TObject,
  type TSchema,
} from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { problemOf, rank } from './request-body.js';

/** A route's query: an object schema whose properties are its parameters. */
export type QuerySchema = TObject;

/** The keys of a schema that are not JSON Schema; docs/openapi.json leaves them out. */
export const QUERY_ONLY_KEYWORDS = ['clamp'];

/**
 * A whole-number parameter that is clamped to `[minimum, maximum]` rather than refused outside
 * it (and refused, naming what was sent, when it is not a whole number).
 */
export const clampedInteger = (
  options: IntegerOptions & { default: number; minimum: number; maximum: number },
) => {
  const { minimum, maximum, ...rest } = options;
  return Type.Integer({
    ...rest,
    clamp: [minimum, maximum],
    errorMessage: { type: 'must be a whole number, not "{value}".' },
  });
};

/** One value of the query as the schema's type reads it (see the module's comment). */
function coerce(schema: TSchema, raw: string): unknown {
  switch (schema.type) {
    case 'integer':
      return /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
    case 'number': {
      const number = raw.trim() === '' ? NaN : Number(raw);
      return Number.isFinite(number) ? number : raw;
    }
    case 'boolean':
      return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
    default:
      return raw;
  }
}

const checks = new WeakMap<QuerySchema, TypeCheck<QuerySchema>>();

/** The compiled check of a query schema (compiled once, on first use). */
function checkOf(schema: QuerySchema): TypeCheck<QuerySchema> {
  let check = checks.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    checks.set(schema, check);
  }
  return check;
}

/**
 * The parameters `schema` names, read from `params`, checked and clamped; throws the `invalid`
 * problem naming the first parameter at fault.
 */
export function parseQuery<Q extends QuerySchema>(schema: Q, params: URLSearchParams): Static<Q> {
  const query: Record<string, unknown> = {};
  for (const [name, property] of Object.entries<TSchema>(schema.properties)) {
    if (property.type === 'array') {
      const values = params.getAll(name);
      if (values.length) query[name] = values.map((raw) => coerce(property.items as TSchema, raw));
    } else {
      const raw = params.get(name);
      if (raw !== null && raw !== '') query[name] = coerce(property, raw);
    }
    if (query[name] === undefined && property.default !== undefined)
      query[name] = structuredClone(property.default);
  }
  const check = checkOf(schema);
  if (!check.Check(query)) {
    const errors = [...check.Errors(query)];
    throw problemOf(
      errors.reduce((best, error) => (rank(schema, error) < rank(schema, best) ? error : best)),
    );
  }
  for (const [name, property] of Object.entries<TSchema>(schema.properties)) {
    const range = property.clamp as [number, number] | undefined;
    if (range && typeof query[name] === 'number')
      query[name] = Math.max(range[0], Math.min(range[1], query[name]));
  }
  return query as Static<Q>;
}

/**
 * Whether a parameter must be sent: its schema's object requires it and gives it no default
 * (one with a default is never missing).
 */
export const requiredParameter = (schema: QuerySchema, name: string): boolean =>
  (schema.required ?? []).includes(name) && schema.properties[name].default === undefined;
