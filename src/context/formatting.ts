import { createContext } from '@lit/context';

/** How dates and numbers are written: the thread's `locale` and `time-zone`. */
export interface Formatting {
  /** BCP 47 locale; the reader's own when absent. */
  readonly locale?: string;
  /** IANA time zone; the reader's own when absent. */
  readonly timeZone?: string;
}

/** The formatting of the enclosing thread. */
export const formattingContext = createContext<Formatting | undefined>(Symbol('parley-formatting'));
