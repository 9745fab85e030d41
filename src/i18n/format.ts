/**
 * Dates and times for readers, always through `Intl`, in the reader's locale.
 *
 * Every `Intl` formatter is built once per locale, time zone and options and then reused: building
 * one costs far more than formatting with it (the first one on a page also pays for starting ICU),
 * and a thread formats a date for every post. {@link warmFormatters} builds them ahead of time.
 */

/** Options of the absolute date and time: "Mon, Jan 28 11:03am". */
const ABSOLUTE: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
};

const cache = new Map<string, unknown>();

/** What `make` builds for `key`, built the first time only. */
function cached<T>(key: string, make: () => T): T {
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key) as T;
}

/** A `DateTimeFormat`; an unknown time zone or locale falls back to the reader's own. */
function dateFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions) {
  try {
    return new Intl.DateTimeFormat(locale, options);
  } catch {
    return new Intl.DateTimeFormat(undefined, { ...options, timeZone: undefined });
  }
}

/**
 * The absolute formatter, and whether it speaks US English (which gets Parley's own wording from
 * its parts), worked out once rather than from `resolvedOptions()` on every call.
 */
const absolute = (locale: string | undefined, timeZone: string | undefined, withYear: boolean) =>
  cached(`a${locale}|${timeZone}|${withYear}`, () => {
    const format = dateFormat(locale, {
      ...ABSOLUTE,
      year: withYear ? 'numeric' : undefined,
      timeZone,
    });
    return { format, american: /^en(-US\b|$)/.test(format.resolvedOptions().locale) };
  });

/**
 * The year of `date` in `timeZone` (the reader's own when absent or unknown), to compare with
 * another year from here: both are written the same way, whatever the fallback's digits.
 */
const yearIn = (date: Date, timeZone: string | undefined) =>
  cached(`y${timeZone}`, () => dateFormat('en-US', { year: 'numeric', timeZone })).format(date);

/**
 * "Mon, Jan 28 11:03am" in US English, the locale's own order and clock elsewhere ("Mon 28 Jan,
 * 11:03" in British English); the year is added when it is not the current one.
 */
export function formatDateTime(
  iso: string,
  options: { locale?: string; timeZone?: string; now?: Date } = {},
): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  // Compare years where the reader is (`timeZone`), not where the code runs.
  const withYear =
    yearIn(date, options.timeZone) !== yearIn(options.now ?? new Date(), options.timeZone);
  const { format, american } = absolute(options.locale, options.timeZone, withYear);
  if (!american) return format.format(date);
  // US English: "Mon, Jan 28 11:03am" (and ", 2019" before the time when needed).
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  const year = withYear ? `, ${parts.year}` : '';
  const period = (parts.dayPeriod ?? '').toLowerCase();
  return `${parts.weekday}, ${parts.month} ${parts.day}${year} ${parts.hour}:${parts.minute}${period}`;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 days ago", "in 2 hours", "now". */
export function formatRelative(iso: string, options: { locale?: string; now?: Date } = {}): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.round((then - (options.now ?? new Date()).getTime()) / 1000);
  const rtf = cached(
    `r${options.locale}`,
    () => new Intl.RelativeTimeFormat(options.locale, { numeric: 'auto' }),
  );
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return rtf.format(Math.trunc(seconds / size), unit);
    }
  }
  return '';
}

/**
 * Builds the formatters a thread in `locale` and `timeZone` will use, and formats a date with
 * them, in two tasks of their own queued now: the first `Intl` formatter on a page pays for
 * starting ICU, which then stays off the first render.
 * Never throws, not even for an unknown locale or time zone; resolves once done.
 */
export function warmFormatters(locale?: string, timeZone?: string): Promise<void> {
  return new Promise((resolve) => {
    const warm = () => {
      try {
        const now = new Date();
        const iso = now.toISOString();
        formatDateTime(iso, { locale, timeZone });
        // The other year's formatter (posts from other years) and the one of New Year's Eve.
        absolute(locale, timeZone, true).format.format(now);
        yearIn(new Date(Date.UTC(now.getUTCFullYear(), 0, 1)), timeZone);
        formatRelative(iso, { locale, now });
      } catch {
        // An unusable locale fails again, and is reported, where it is used.
      }
      resolve();
    };
    // Tasks of their own, right after the one that ran the modules: an idle callback would often
    // come after the first posts have arrived, and leave the start of ICU to their first render.
    // Starting ICU (the page's first `Intl` object) and loading what dates need are two long
    // steps, so each gets a task: together they were one long task of 50 ms and more.
    setTimeout(() => {
      try {
        new Intl.NumberFormat(locale);
      } catch {
        // As below.
      }
      setTimeout(warm, 0);
    }, 0);
  });
}
