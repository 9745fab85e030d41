/**
 * The few assertions the adapter contract makes, written in the chai style its suite was first
 * written in (`expect(value, 'why').to.deep.equal(other)`), with no test framework or assertion
 * library behind them: a failed one throws an `AssertionError` whose message names what was
 * expected and what came, so the suite runs under mocha, `node:test`, vitest or anything that
 * reports a thrown `Error` as a failure.
 */

/** A failed contract assertion. `actual` and `expected` are kept for runners that show a diff. */
export class AssertionError extends Error {
  override name = 'AssertionError';
  readonly actual: unknown;
  readonly expected: unknown;
  readonly showDiff: boolean;

  constructor(message: string, actual?: unknown, expected?: unknown, showDiff = false) {
    super(message);
    this.actual = actual;
    this.expected = expected;
    this.showDiff = showDiff;
  }
}

/** A value as the failure message shows it: JSON where it can be, cut at 400 characters. */
function show(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'undefined';
  else if (typeof value === 'number' || typeof value === 'bigint') text = String(value);
  else if (typeof value === 'function') text = `[function ${value.name || 'anonymous'}]`;
  else if (value instanceof Error) text = `${value.name}: ${value.message}`;
  else if (value instanceof RegExp) text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? Object.prototype.toString.call(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

/** What `.a(type)` compares with: `'null'`, `'array'`, `'date'`, … or the `typeof`. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object')
    return Object.prototype.toString.call(value).slice(8, -1).toLowerCase();
  return typeof value;
}

/**
 * Deep equality as chai's `deep.equal` has it: the same kind of value, the same own enumerable
 * keys, equal all the way down (`NaN` equals `NaN`; `+0` and `-0` differ).
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.prototype.toString.call(a) !== Object.prototype.toString.call(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (a instanceof Date && b instanceof Date) return Object.is(a.getTime(), b.getTime());
  if (a instanceof Set && b instanceof Set)
    return a.size === b.size && [...a].every((item) => [...b].some((o) => deepEqual(item, o)));
  if (a instanceof Map && b instanceof Map)
    return (
      a.size === b.size &&
      [...a].every(([key, value]) => b.has(key) && deepEqual(value, b.get(key)))
    );
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length &&
    keys.every((key) => Object.prototype.hasOwnProperty.call(right, key)) &&
    keys.every((key) => deepEqual(left[key], right[key]))
  );
}

/** The chain `expect(value)` starts: `to`, `be`, `at`, `have` and `and` only read better. */
export class Expectation {
  readonly #actual: unknown;
  readonly #message: string | undefined;
  #negated = false;
  #deep = false;

  constructor(actual: unknown, message?: string) {
    this.#actual = actual;
    this.#message = message;
  }

  get to(): this {
    return this;
  }
  get be(): this {
    return this;
  }
  get at(): this {
    return this;
  }
  get have(): this {
    return this;
  }
  get and(): this {
    return this;
  }
  /** Negates the assertion that follows. */
  get not(): this {
    this.#negated = !this.#negated;
    return this;
  }
  /** Makes `equal` and `include` compare by value, all the way down. */
  get deep(): this {
    this.#deep = true;
    return this;
  }

  /** Strictly equal (`===`), or with `deep` equal by value. */
  equal(expected: unknown): this {
    const equal = this.#deep ? deepEqual(this.#actual, expected) : this.#actual === expected;
    return this.#check(
      equal,
      `to ${this.#deep ? 'deeply ' : ''}equal ${show(expected)}`,
      expected,
      true,
    );
  }

  /**
   * An array or string that contains `item`; with `deep`, an array holding an item deeply equal to
   * it, or an object whose properties include every property of `item`, deeply equal.
   */
  include(item: unknown): this {
    const actual = this.#actual;
    let included: boolean;
    if (typeof actual === 'string') included = typeof item === 'string' && actual.includes(item);
    else if (Array.isArray(actual))
      included = this.#deep
        ? actual.some((candidate) => deepEqual(candidate, item))
        : actual.includes(item);
    else if (this.#deep && typeof actual === 'object' && actual !== null && item !== null) {
      const own = actual as Record<string, unknown>;
      included = Object.entries(item as Record<string, unknown>).every(
        ([key, value]) => key in own && deepEqual(own[key], value),
      );
    } else
      throw new AssertionError(
        `${this.#prefix()}include needs a string or an array (or, with deep, an object), got ${show(actual)}`,
      );
    return this.#check(included, `to ${this.#deep ? 'deeply ' : ''}include ${show(item)}`);
  }

  /** Of this type: `'string'`, `'number'`, `'array'`, `'object'`, `'null'`, … */
  a(type: string): this {
    return this.#check(typeName(this.#actual) === type.toLowerCase(), `to be a ${type}`);
  }

  /** A string matching `pattern`. */
  match(pattern: RegExp): this {
    const actual = this.#actual;
    return this.#check(typeof actual === 'string' && pattern.test(actual), `to match ${pattern}`);
  }

  /** A number no greater than `limit`. */
  most(limit: number): this {
    return this.#check(this.#number() <= limit, `to be at most ${limit}`);
  }

  /** A number greater than `limit`. */
  greaterThan(limit: number): this {
    return this.#check(this.#number() > limit, `to be greater than ${limit}`);
  }

  /** An instance of `type`. */
  instanceOf(type: abstract new (...args: never[]) => unknown): this {
    return this.#check(this.#actual instanceof type, `to be an instance of ${type.name}`);
  }

  /** Something whose `length` is `length`. */
  length(length: number): this {
    const actual = this.#actual as { length?: unknown } | null | undefined;
    const has = actual?.length;
    return this.#check(
      has === length,
      `to have length ${length}${typeof has === 'number' ? ` (it has ${has})` : ''}`,
    );
  }

  #prefix(): string {
    return this.#message ? `${this.#message}: ` : '';
  }

  #number(): number {
    if (typeof this.#actual !== 'number')
      throw new AssertionError(`${this.#prefix()}expected a number, got ${show(this.#actual)}`);
    return this.#actual;
  }

  #check(holds: boolean, what: string, expected?: unknown, showDiff = false): this {
    if (holds === this.#negated) {
      const message = `${this.#prefix()}expected ${show(this.#actual)} ${this.#negated ? 'not ' : ''}${what}`;
      throw new AssertionError(message, this.#actual, expected, showDiff && !this.#negated);
    }
    this.#negated = false;
    this.#deep = false;
    return this;
  }
}

/** Starts an assertion about `actual`; `message` says what it checks when it fails. */
export function expect(actual: unknown, message?: string): Expectation {
  return new Expectation(actual, message);
}

/** Fails the test with `message`. */
expect.fail = (message: string): never => {
  throw new AssertionError(message);
};
