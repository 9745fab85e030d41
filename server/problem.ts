/**
 * Failures as RFC 9457 problem documents (`application/problem+json`), with the protocol's
 * stable `code` (docs/protocol.md, "Errors"): one-to-one with the library's `ParleyError` codes.
 */
import { ParleyError } from '../src/adapters/errors.js';

export type ProblemCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'invalid'
  | 'rate-limited'
  | 'conflict'
  | 'unavailable';

const STATUS: Record<ProblemCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  invalid: 422,
  'rate-limited': 429,
  conflict: 409,
  unavailable: 503,
};

const TITLE: Record<ProblemCode, string> = {
  unauthorized: 'Not signed in',
  forbidden: 'Not allowed',
  'not-found': 'Not found',
  invalid: 'Invalid request',
  'rate-limited': 'Too many requests',
  conflict: 'Conflict',
  unavailable: 'Service unavailable',
};

/** The problem document the protocol sends. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail: string;
  field?: string;
  retryAfter?: number;
}

/** An error that becomes one problem response. `detail` is written for the reader. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;

  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly options: { field?: string; retryAfter?: number; status?: number } = {},
  ) {
    super(detail);
    this.status = options.status ?? STATUS[code];
  }

  toDocument(): ProblemDocument {
    const doc: ProblemDocument = {
      type: `https://parley.dev/problems/${this.code}`,
      title: TITLE[this.code],
      status: this.status,
      code: this.code,
      detail: this.detail,
    };
    if (this.options.field !== undefined) doc.field = this.options.field;
    if (this.options.retryAfter !== undefined) doc.retryAfter = this.options.retryAfter;
    return doc;
  }
}

/** `invalid` (422) naming `field`; the detail starts with the field, as the protocol shows. */
export function invalid(field: string, problem: string): ApiError {
  return new ApiError('invalid', `${field}: ${problem}`, { field });
}

/** Converts the library's validation errors (`validateSeed`) into problems. */
export function fromParleyError(error: ParleyError): ApiError {
  const code = error.code === 'network' || error.code === 'aborted' ? 'unavailable' : error.code;
  return new ApiError(code, error.message, { field: error.field, retryAfter: error.retryAfter });
}

/** Formats a count for a message: 10,412. */
export const count = (n: number) => n.toLocaleString('en-US');
