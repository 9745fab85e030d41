/**
 * Storage faults, named: what the disk or the database refused, as the 503 a client is sent and
 * the cause the log keeps. SQLite reports them as `SQLITE_*` codes (extended ones included, e.g.
 * `SQLITE_IOERR_WRITE`), PostgreSQL as SQLSTATEs. A fault clears by itself or by the operator's
 * hand (space freed, the file made writable again): nothing is cached, so the next request after
 * it works again.
 */
import { ApiError } from './problem.js';

export interface StorageFault {
  /** For the log: what failed, in a few words. */
  cause: string;
  /** What the client is sent. */
  problem: ApiError;
}

const fault = (cause: string, detail: string, retryAfter: number): StorageFault => ({
  cause,
  problem: new ApiError('unavailable', detail, { retryAfter }),
});

/** The storage fault `error` is, or null when it is not one. */
export function storageFault(error: unknown): StorageFault | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_FULL' || code === '53100')
    return fault(
      'disk full',
      "The server's disk is full, so nothing was saved; try again later.",
      30,
    );
  if (code.startsWith('SQLITE_READONLY') || code === '25006')
    return fault(
      'database read-only',
      "The server's database is read-only right now, so nothing was saved; try again later.",
      30,
    );
  if (code.startsWith('SQLITE_IOERR') || code === '58030')
    return fault(
      'I/O error',
      'The server could not read or write its database (an I/O error); try again later.',
      10,
    );
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || code === 'XX001')
    return fault('database damaged', "The server's database is damaged; try again later.", 60);
  if (code.startsWith('SQLITE_CANTOPEN'))
    return fault(
      'database cannot be opened',
      'The server cannot open its database file; try again later.',
      30,
    );
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return fault('database busy', 'The server is busy; try again in a moment.', 1);
  return null;
}
