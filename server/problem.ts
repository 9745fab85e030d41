/**
 * Failures as RFC 9457 problem documents (`application/problem+json`), with the protocol's
 * stable `code` (docs/protocol.md, "Errors"): one-to-one with the library's `ParleyError` codes.
 */
import { isWireCode, statusOf, type ParleyError, type WireErrorCode } from '../src/model/errors.js';
import type { StoreError, StoreErrorKind } from './storage/errors.js';

/** The codes a problem document carries: those of the shared table with an HTTP status. */
export type ProblemCode = WireErrorCode;

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
    this.status = options.status ?? statusOf(code);
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
  const code = isWireCode(error.code) ? error.code : 'unavailable';
  return new ApiError(code, error.message, { field: error.field, retryAfter: error.retryAfter });
}

/**
 * The problem code of each storage error kind (server/storage/errors.ts): the one place where
 * the storage's domain errors become HTTP. A locked discussion refuses as `forbidden` does, a
 * deleted post as any other `conflict` with what is stored.
 */
const STORE_CODES: Record<StoreErrorKind, ProblemCode> = {
  'not-found': 'not-found',
  invalid: 'invalid',
  forbidden: 'forbidden',
  locked: 'forbidden',
  conflict: 'conflict',
  gone: 'conflict',
  unavailable: 'unavailable',
};

/** The problem a storage error is answered with (its message is the detail). */
export function fromStoreError(error: StoreError): ApiError {
  return new ApiError(STORE_CODES[error.kind], error.message, {
    field: error.options.field,
    retryAfter: error.options.retryAfter,
  });
}

/** Formats a count for a message: 10,412. */
export const count = (n: number) => n.toLocaleString('en-US');
