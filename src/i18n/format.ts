/** Dates and times for readers, always through `Intl`, in the reader's locale. */

const absoluteCache = new Map<string, Intl.DateTimeFormat>();

function formatter(
  locale: string | undefined,
  timeZone: string | undefined,
  withYear: boolean,
): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withYear}`;
  let f = absoluteCache.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, {
        weekday: 'short',
        month: 'short',
        day: 'numeric',
        year: withYear ? 'numeric' : undefined,
        hour: 'numeric',
        minute: '2-digit',
        timeZone,
      });
    } catch {
      // An unknown time zone or locale falls back to the reader's own.
      f = new Intl.DateTimeFormat(undefined, {
        weekday: 'short',
        month: 'short',
        day: 'numeric',
        year: withYear ? 'numeric' : undefined,
        hour: 'numeric',
        minute: '2-digit',
      });
    }
    absoluteCache.set(key, f);
  }
  return f;
}

const yearCache = new Map<string, Intl.DateTimeFormat>();

/** The year of `date` in `timeZone` (the reader's own when absent or unknown). */
function yearIn(date: Date, timeZone: string | undefined): string {
  const key = timeZone ?? '';
  let f = yearCache.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { year: 'numeric', timeZone });
    } catch {
      f = new Intl.DateTimeFormat('en-US', { year: 'numeric' });
    }
    yearCache.set(key, f);
  }
  return f.format(date);
}

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
  const now = options.now ?? new Date();
  // Compare years where the reader is (`timeZone`), not where the code runs.
  const withYear = yearIn(date, options.timeZone) !== yearIn(now, options.timeZone);
  const f = formatter(options.locale, options.timeZone, withYear);
  const resolved = f.resolvedOptions();
  if (!/^en-US\b/.test(resolved.locale) && resolved.locale !== 'en') return f.format(date);
  // US English: "Mon, Jan 28 11:03am" (and ", 2019" before the time when needed).
  const parts = Object.fromEntries(f.formatToParts(date).map((p) => [p.type, p.value]));
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
  const rtf = new Intl.RelativeTimeFormat(options.locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return rtf.format(Math.trunc(seconds / size), unit);
    }
  }
  return '';
}
