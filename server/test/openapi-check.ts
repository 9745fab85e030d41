/**
 * A checker for the JSON Schema subset docs/openapi.json uses: $ref, type (one or a list),
 * properties / required / additionalProperties, items, enum, const, oneOf / anyOf / allOf,
 * minimum / maximum, minLength / maxLength, pattern, minItems / maxItems, and the formats
 * date-time and uri. With `closed`, objects may hold only the properties the schema names, so a
 * field the server sends but the document does not describe fails the test.
 */
export type Schema = Record<string, any>;

export interface CheckOptions {
  /** Treat every object schema without additionalProperties as closed. */
  closed?: boolean;
}

export function resolve(doc: Schema, schema: Schema): Schema {
  let current = schema;
  for (let hops = 0; current && typeof current.$ref === 'string'; hops++) {
    if (hops > 20) throw new Error(`$ref loop at ${schema.$ref}`);
    const path = current.$ref.replace(/^#\//, '').split('/');
    current = path.reduce(
      (node: any, key: string) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')],
      doc,
    );
    if (!current) throw new Error(`unresolved $ref ${schema.$ref}`);
  }
  return current;
}

const typeOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
};

/** Properties a schema names, through allOf. */
function knownProperties(doc: Schema, schema: Schema): Set<string> {
  const names = new Set(Object.keys(schema.properties ?? {}));
  for (const part of schema.allOf ?? [])
    for (const name of knownProperties(doc, resolve(doc, part))) names.add(name);
  return names;
}

/** Problems with `value` against `schema`, as "path: problem" lines (empty when it fits). */
export function check(
  doc: Schema,
  schema: Schema,
  value: unknown,
  options: CheckOptions = {},
  path = '$',
): string[] {
  const s = resolve(doc, schema);
  const errors: string[] = [];
  const fail = (problem: string) => errors.push(`${path}: ${problem}`);

  if (s.type !== undefined) {
    const types: string[] = [s.type].flat();
    const actual = typeOf(value);
    if (!types.includes(actual) && !(actual === 'integer' && types.includes('number'))) {
      fail(`is ${actual}, expected ${types.join(' or ')}`);
      return errors;
    }
  }
  if (s.const !== undefined && value !== s.const)
    fail(`is ${JSON.stringify(value)}, expected ${JSON.stringify(s.const)}`);
  if (s.enum && !s.enum.includes(value))
    fail(`is ${JSON.stringify(value)}, expected one of ${s.enum.join(', ')}`);

  if (typeof value === 'string') {
    if (s.minLength !== undefined && [...value].length < s.minLength)
      fail(`is shorter than ${s.minLength}`);
    if (s.maxLength !== undefined && [...value].length > s.maxLength)
      fail(`is longer than ${s.maxLength}`);
    if (s.pattern && !new RegExp(s.pattern, 'u').test(value)) fail(`does not match ${s.pattern}`);
    if (
      s.format === 'date-time' &&
      !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value)
    )
      fail(`is not a date-time: ${value}`);
    if (s.format === 'uri' && !/^[a-z][a-z0-9+.-]*:/i.test(value)) fail(`is not a URI: ${value}`);
  }
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) fail(`is below ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) fail(`is above ${s.maximum}`);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems)
      fail(`has fewer than ${s.minItems} items`);
    if (s.maxItems !== undefined && value.length > s.maxItems)
      fail(`has more than ${s.maxItems} items`);
    if (s.items)
      value.forEach((item, i) =>
        errors.push(...check(doc, s.items, item, options, `${path}[${i}]`)),
      );
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    for (const name of s.required ?? [])
      if (!(name in object)) fail(`lacks required property ${name}`);
    for (const [name, sub] of Object.entries<Schema>(s.properties ?? {})) {
      if (name in object) errors.push(...check(doc, sub, object[name], options, `${path}.${name}`));
    }
    const known = knownProperties(doc, s);
    for (const [name, item] of Object.entries(object)) {
      if (known.has(name)) continue;
      if (typeof s.additionalProperties === 'object')
        errors.push(...check(doc, s.additionalProperties, item, options, `${path}.${name}`));
      else if (
        s.additionalProperties === false ||
        (options.closed && s.additionalProperties === undefined && (s.properties || s.allOf))
      ) {
        fail(`has a property the schema does not describe: ${name}`);
      }
    }
  }
  for (const part of s.allOf ?? []) errors.push(...check(doc, part, value, options, path));
  if (
    s.anyOf &&
    !s.anyOf.some((part: Schema) => check(doc, part, value, options, path).length === 0)
  )
    fail('matches none of anyOf');
  if (s.oneOf) {
    const fits = s.oneOf.filter(
      (part: Schema) => check(doc, part, value, options, path).length === 0,
    ).length;
    if (fits !== 1) {
      const why = s.oneOf
        .map((part: Schema) => check(doc, part, value, options, path).join('; '))
        .join(' | ');
      fail(`matches ${fits} of oneOf, expected exactly 1 (${why})`);
    }
  }
  return errors;
}

/** Every $ref in the document, so a test can check they all resolve. */
export function refsOf(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsOf(n, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refsOf(value, found);
    }
  }
  return found;
}
