/**
 * Request bodies checked against their schemas (server/schema.ts), the same objects
 * docs/openapi.json is made of: what the document shows is what the server enforces. Each
 * route names its body's schema (`RouteSpec.body`); the dispatcher (app.ts) checks the body with
 * it before the handler runs, and a body that does not fit is refused with one `422 invalid`
 * naming the first field at fault, in the words of the schema's `errorMessage` where it has one.
 */
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { count, invalid, type ApiError } from './problem.js';
import { references, schemasFor, type SchemaName } from './schema.js';

/** The words of a schema for its refusals (see server/schema.ts). */
type ErrorMessage = string | Partial<Record<Keyword | 'default', string>>;

type Keyword =
  | 'required'
  | 'additionalProperties'
  | 'type'
  | 'minLength'
  | 'maxLength'
  | 'pattern'
  | 'format'
  | 'minimum'
  | 'maximum'
  | 'minItems'
  | 'maxItems';

/** The JSON Schema keyword each kind of TypeBox error is about. */
function keywordOf(type: ValueErrorType): Keyword {
  switch (type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'required';
    case ValueErrorType.ObjectAdditionalProperties:
      return 'additionalProperties';
    case ValueErrorType.StringMinLength:
      return 'minLength';
    case ValueErrorType.StringMaxLength:
      return 'maxLength';
    case ValueErrorType.StringPattern:
      return 'pattern';
    case ValueErrorType.StringFormat:
    case ValueErrorType.StringFormatUnknown:
      return 'format';
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return 'minimum';
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return 'maximum';
    case ValueErrorType.ArrayMinItems:
      return 'minItems';
    case ValueErrorType.ArrayMaxItems:
      return 'maxItems';
    default:
      return 'type';
  }
}

/** What a value of `schema` must be, for a message: "a string", "true or false". */
function kindOf(schema: TSchema): string {
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map(String).join(' or ');
  if ('const' in schema) return JSON.stringify(schema.const);
  if (schema.anyOf) return (schema.anyOf as TSchema[]).map(kindOf).join(' or ');
  switch (schema.type) {
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'array':
      return 'a list';
    case 'object':
      return 'an object';
    case 'null':
      return 'null';
    default:
      return 'something else';
  }
}

/** The words for a keyword when the schema has none of its own. */
function defaultMessage(keyword: Keyword, schema: TSchema): string {
  switch (keyword) {
    case 'required':
      return 'is required.';
    case 'additionalProperties':
      return 'is not a field of this request; leave it out.';
    case 'minLength':
      return schema.minLength === 1 ? 'must not be empty.' : 'must be at least {limit} characters.';
    case 'maxLength':
      return 'must be at most {limit} characters.';
    case 'pattern':
      return `must match ${String(schema.pattern)}.`;
    case 'format':
      return `must be a ${String(schema.format)}.`;
    case 'minimum':
      return 'must be at least {limit}.';
    case 'maximum':
      return 'must be at most {limit}.';
    case 'minItems':
      return 'must list at least {limit}.';
    case 'maxItems':
      return 'must list at most {limit}.';
    default:
      return `must be ${kindOf(schema)}.`;
  }
}

/** `/quote/postId` → `quote.postId`, `/users/0/password` → `users[0].password`. */
export function fieldOf(path: string): string {
  const parts = path
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.reduce(
    (field, part) => (/^\d+$/.test(part) ? `${field}[${part}]` : field ? `${field}.${part}` : part),
    '',
  );
}

/**
 * The error to report for one failure: inside a nullable value that is not null, the failure of
 * the value itself (`quote.text`, not "quote is not an object or null").
 */
function innermost(error: ValueError): ValueError {
  const variants = (error.schema.anyOf as TSchema[] | undefined) ?? [];
  if (error.type !== ValueErrorType.Union || error.value === null || variants.length !== 2)
    return error;
  const other = variants.findIndex((variant) => variant.type !== 'null');
  if (other < 0 || variants[1 - other].type !== 'null') return error;
  const inner = error.errors[other]?.First();
  return inner ? innermost(inner) : error;
}

/** The problem one schema error is answered with. */
export function problemOf(error: ValueError): ApiError {
  const failure = innermost(error);
  const keyword = keywordOf(failure.type);
  // A field's schema for "required" and its own failures; for an unknown field, its object's.
  const schema = failure.schema;
  const custom =
    keyword === 'additionalProperties' ? undefined : (schema.errorMessage as ErrorMessage);
  // A null where no null is taken reads as nothing sent.
  const keys: Keyword[] = keyword === 'type' && failure.value === null ? ['required', 'type'] : [];
  keys.push(keyword);
  let message: string | undefined;
  if (typeof custom === 'string') message = custom;
  else if (custom) message = keys.map((key) => custom[key]).find(Boolean) ?? custom.default;
  message ??= defaultMessage(keyword, schema);
  const limit = schema[keyword] as unknown;
  const text = message
    .replace('{limit}', typeof limit === 'number' ? count(limit) : String(limit))
    .replace(
      '{length}',
      typeof failure.value === 'string' || Array.isArray(failure.value)
        ? count(failure.value.length)
        : String(failure.value),
    )
    .replace('{value}', String(failure.value).slice(0, 40));
  return invalid(fieldOf(failure.path) || 'body', text);
}

/**
 * Where an error comes in the order fields are reported: by the place of its top-level field
 * among the schema's properties (so the first field at fault is named, as a reader fills them
 * in), and fields the schema does not know last.
 */
export function rank(schema: TSchema, error: ValueError): number {
  const top = error.path.split('/')[1] ?? '';
  const known = Object.keys((schema.properties as Record<string, TSchema> | undefined) ?? {});
  const at = known.indexOf(top);
  return error.type === ValueErrorType.ObjectAdditionalProperties || at < 0 ? known.length : at;
}

/** Checks request bodies against the schemas a server's configuration gives (`schemasFor`). */
export class RequestBodies {
  /** The schema each body is checked with. */
  readonly schemas: Record<SchemaName, TSchema>;
  private readonly checks = new Map<SchemaName, TypeCheck<TSchema>>();

  constructor(options: { maxLength: number }) {
    this.schemas = schemasFor(options.maxLength);
  }

  /** The compiled check of one schema (compiled once, on first use). */
  private checkOf(name: SchemaName): TypeCheck<TSchema> {
    let check = this.checks.get(name);
    if (!check) {
      const schema = this.schemas[name];
      // The references but the schema itself (which, for a configured post length, differs).
      check = TypeCompiler.Compile(
        schema,
        references.filter((other) => other.$id !== schema.$id),
      );
      this.checks.set(name, check);
    }
    return check;
  }

  /** Throws the `invalid` problem naming the first field of `body` that `name` refuses. */
  check(name: SchemaName, body: unknown): void {
    const check = this.checkOf(name);
    if (check.Check(body)) return;
    const schema = this.schemas[name];
    const errors = [...check.Errors(body)];
    const first = errors.reduce((best, error) =>
      rank(schema, error) < rank(schema, best) ? error : best,
    );
    throw problemOf(first);
  }
}
