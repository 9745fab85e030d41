/**
 * Every error code, with the HTTP status the reference server sends it with (docs/protocol.md,
 * "Errors"), or `null` for the codes that only ever arise in the browser. One table for the
 * library and `server/`.
 */
export const ERROR_CODES = {
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  invalid: 422,
  'rate-limited': 429,
  conflict: 409,
  unavailable: 503,
  /** The request never got an answer: offline, timed out, or withheld by the browser (CORS). */
  network: null,
  /** Cancelled through its `AbortSignal`; the elements ignore it. */
  aborted: null,
  /**
   * A programming error in an adapter or the page (a `TypeError`, say), not something the
   * service or the reader did: reported to the console with its stack.
   */
  internal: null,
} as const satisfies Record<string, number | null>;

/** Why an adapter call failed. Each code tells the elements (and the host) what a person can do. */
export type ParleyErrorCode = keyof typeof ERROR_CODES;

/** The codes a server sends in a problem document. */
export type WireErrorCode = {
  [C in ParleyErrorCode]: (typeof ERROR_CODES)[C] extends number ? C : never;
}[ParleyErrorCode];

/** The HTTP status of each code the server sends. */
export const statusOf = (code: WireErrorCode): number => ERROR_CODES[code];

/** Whether `code` is one a server may send (not `network`, `aborted` or `internal`). */
export const isWireCode = (code: unknown): code is WireErrorCode =>
  ParleyError.isCode(code) && ERROR_CODES[code] !== null;

/**
 * The code of an HTTP failure that carries no problem document: the table's statuses, and the
 * few others a proxy or the server's transport answers with.
 */
export function codeOfStatus(status: number): ParleyErrorCode {
  if (status === 400 || status === 413) return 'invalid';
  if (status === 408) return 'network';
  for (const [code, s] of Object.entries(ERROR_CODES)) {
    if (s === status && code !== 'unavailable') return code as ParleyErrorCode;
  }
  return 'unavailable';
}

/** What fetch rejects with when no answer came: Chromium, Firefox and Safari word it differently. */
const NETWORK_FAILURE = /fetch|network|load failed/i;

/** Errors that mean the code is wrong, not the service. */
const isProgrammingError = (error: unknown) =>
  error instanceof TypeError ||
  error instanceof ReferenceError ||
  error instanceof RangeError ||
  (error instanceof SyntaxError && !/JSON/i.test(error.message));

/**
 * The one error type adapters throw. `message` is written for the person who can act on it.
 * `aborted` marks a call cancelled through its `AbortSignal`; the elements ignore it.
 */
export class ParleyError extends Error {
  override readonly name = 'ParleyError';
  /** What went wrong, as a stable code. */
  readonly code: ParleyErrorCode;
  /** For `invalid`: the field that was wrong (`body`, `posts[2].author.name`, …). */
  readonly field?: string;
  /** For `rate-limited`: seconds until a retry may succeed. */
  readonly retryAfter?: number;
  /**
   * For the site owner or developer: the technical cause ("The comment server at … did not allow
   * this site's origin … (CORS)"), shown in the console and in a details element, never as the
   * reader's message.
   */
  readonly diagnostic?: string;

  constructor(
    code: ParleyErrorCode,
    message: string,
    options: { field?: string; retryAfter?: number; diagnostic?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.retryAfter = options.retryAfter;
    this.diagnostic = options.diagnostic;
  }

  /** Whether `code` is one of the known error codes. */
  static isCode(code: unknown): code is ParleyErrorCode {
    return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
  }

  /**
   * Wraps anything thrown into a `ParleyError`, keeping the original as `cause`. An abort stays
   * `aborted`, a failed `fetch` is `network`, and anything else a service might throw is
   * `unavailable`; but a programming error (a `TypeError` that is not a failed fetch, a
   * `ReferenceError`, …) is `internal`, and is reported to the console with its stack once, so
   * that a bug in an adapter is not shown to readers as the service being down.
   */
  static from(error: unknown): ParleyError {
    if (error instanceof ParleyError) return error;
    if (error instanceof DOMException && error.name === 'AbortError') {
      return new ParleyError('aborted', 'The request was cancelled.', { cause: error });
    }
    const message = error instanceof Error && error.message ? error.message : String(error);
    if (error instanceof TypeError && NETWORK_FAILURE.test(message)) {
      return new ParleyError(
        'network',
        'Could not reach the comment service. Check your connection and try again.',
        { cause: error, diagnostic: message },
      );
    }
    if (isProgrammingError(error)) {
      if (!reported.has(error as Error)) {
        reported.add(error as Error);
        console.error('[parley] A programming error in the adapter or the page:', error);
      }
      return new ParleyError(
        'internal',
        'Something went wrong in this comment section. Reload the page to try again.',
        { cause: error, diagnostic: `${(error as Error).name}: ${message}` },
      );
    }
    return new ParleyError('unavailable', message, { cause: error });
  }
}

/** Programming errors already reported to the console. */
const reported = new WeakSet<Error>();

/** Throws the `aborted` error when `signal` has been aborted. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted)
    throw new ParleyError('aborted', 'The request was cancelled.', { cause: signal.reason });
}
