/** Why an adapter call failed. Each code tells the elements (and the host) what a person can do. */
export type ParleyErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'invalid'
  | 'rate-limited'
  | 'conflict'
  | 'network'
  | 'unavailable'
  | 'aborted';

const CODES: ReadonlySet<string> = new Set<ParleyErrorCode>([
  'unauthorized',
  'forbidden',
  'not-found',
  'invalid',
  'rate-limited',
  'conflict',
  'network',
  'unavailable',
  'aborted',
]);

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
    return typeof code === 'string' && CODES.has(code);
  }

  /** Wraps anything thrown into a `ParleyError`, keeping the original as `cause`. */
  static from(error: unknown): ParleyError {
    if (error instanceof ParleyError) return error;
    if (error instanceof DOMException && error.name === 'AbortError') {
      return new ParleyError('aborted', 'The request was cancelled.', { cause: error });
    }
    const message = error instanceof Error && error.message ? error.message : String(error);
    return new ParleyError('unavailable', message, { cause: error });
  }
}

/** Throws the `aborted` error when `signal` has been aborted. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted)
    throw new ParleyError('aborted', 'The request was cancelled.', { cause: signal.reason });
}
