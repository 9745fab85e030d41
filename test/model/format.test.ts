/** Dates for readers: `formatDateTime` ("Mon, Jan 28 11:03am") and `formatRelative` ("3 days ago"). */
import { expect } from '@open-wc/testing';
import { formatDateTime, formatRelative, warmFormatters } from '../../src/i18n/format.js';

const chicago = { locale: 'en-US', timeZone: 'America/Chicago' };

describe('formatDateTime', () => {
  it('writes the seed time as "Mon, Jan 28 11:03am" within its own year', () => {
    expect(
      formatDateTime('2019-01-28T11:03:00-06:00', {
        ...chicago,
        now: new Date('2019-06-01T12:00:00Z'),
      }),
    ).to.equal('Mon, Jan 28 11:03am');
  });

  it('adds the year before the time in another year', () => {
    expect(
      formatDateTime('2019-01-28T11:03:00-06:00', {
        ...chicago,
        now: new Date('2026-11-26T12:00:00Z'),
      }),
    ).to.equal('Mon, Jan 28, 2019 11:03am');
  });

  it('writes afternoon, noon and midnight hours on the 12-hour clock', () => {
    const now = new Date('2019-06-01T12:00:00Z');
    expect(formatDateTime('2019-01-28T13:47:00-06:00', { ...chicago, now })).to.equal(
      'Mon, Jan 28 1:47pm',
    );
    expect(formatDateTime('2019-01-28T12:00:00-06:00', { ...chicago, now })).to.equal(
      'Mon, Jan 28 12:00pm',
    );
    expect(formatDateTime('2019-01-29T00:05:00-06:00', { ...chicago, now })).to.equal(
      'Tue, Jan 29 12:05am',
    );
  });

  it('shows the time in the time zone asked for', () => {
    const now = new Date('2019-06-01T12:00:00Z');
    expect(
      formatDateTime('2019-01-28T11:03:00-06:00', {
        locale: 'en-US',
        timeZone: 'Europe/Berlin',
        now,
      }),
    ).to.equal('Mon, Jan 28 6:03pm');
    expect(
      formatDateTime('2019-01-28T23:30:00-06:00', { locale: 'en-US', timeZone: 'Asia/Tokyo', now }),
    ).to.equal('Tue, Jan 29 2:30pm');
  });

  it("decides whether to add the year in the reader's time zone", () => {
    // Still 2019 in Chicago, already 2020 in UTC: the year must show, or "Dec 31" reads as the future.
    expect(
      formatDateTime('2019-12-31T23:30:00-06:00', {
        ...chicago,
        now: new Date('2020-01-01T12:00:00-06:00'),
      }),
    ).to.equal('Tue, Dec 31, 2019 11:30pm');
    // Already 2020 in Kiritimati, still 2019 in UTC: the current year needs no mention.
    expect(
      formatDateTime('2020-01-01T00:30:00+14:00', {
        locale: 'en-US',
        timeZone: 'Pacific/Kiritimati',
        now: new Date('2020-06-01T00:00:00Z'),
      }),
    ).to.equal('Wed, Jan 1 12:30am');
  });

  it("uses the locale's own words and order outside English", () => {
    const options = { locale: 'de-DE', timeZone: 'America/Chicago' };
    expect(
      formatDateTime('2019-01-28T11:03:00-06:00', {
        ...options,
        now: new Date('2019-06-01T12:00:00Z'),
      }),
    ).to.equal('Mo., 28. Jan., 11:03');
    expect(
      formatDateTime('2019-01-28T11:03:00-06:00', {
        ...options,
        now: new Date('2026-06-01T12:00:00Z'),
      }),
    ).to.equal('Mo., 28. Jan. 2019, 11:03');
  });

  it('keeps British English in its own order and 24-hour clock', () => {
    const text = formatDateTime('2019-01-28T11:03:00-06:00', {
      locale: 'en-GB',
      timeZone: 'America/Chicago',
      now: new Date('2019-06-01T12:00:00Z'),
    });
    expect(text).to.equal('Mon 28 Jan, 11:03');
  });

  it('returns an empty string for a date it cannot read', () => {
    expect(formatDateTime('not a date', chicago)).to.equal('');
    expect(formatDateTime('', chicago)).to.equal('');
  });

  it("falls back to the reader's own time zone and locale when given unknown ones", () => {
    const text = formatDateTime('2019-01-28T11:03:00-06:00', {
      locale: 'en-US',
      timeZone: 'Mars/Olympus_Mons',
      now: new Date('2026-06-01T12:00:00Z'),
    });
    expect(text).to.contain('2019');
    expect(text).to.contain('Jan');
    expect(
      formatDateTime('2019-01-28T11:03:00-06:00', {
        locale: 'not a locale!',
        ...{ timeZone: 'America/Chicago' },
      }),
    ).to.contain('2019');
  });
});

describe('formatRelative', () => {
  const now = new Date('2026-11-26T12:00:00Z');
  const cases: [string, string, string][] = [
    ['the same instant', '2026-11-26T12:00:00Z', 'now'],
    ['30 seconds before', '2026-11-26T11:59:30Z', '30 seconds ago'],
    ['59 minutes before', '2026-11-26T11:01:00Z', '59 minutes ago'],
    ['90 minutes before', '2026-11-26T10:30:00Z', '1 hour ago'],
    ['two hours after', '2026-11-26T14:00:00Z', 'in 2 hours'],
    ['a day before', '2026-11-25T12:00:00Z', 'yesterday'],
    ['three days before', '2026-11-23T12:00:00Z', '3 days ago'],
    ['two weeks before', '2026-11-12T12:00:00Z', '2 weeks ago'],
    ['45 days before', '2026-10-12T12:00:00Z', 'last month'],
    ['the seed time', '2019-01-28T11:03:00-06:00', '7 years ago'],
  ];
  for (const [when, iso, text] of cases) {
    it(`says "${text}" for ${when}`, () => {
      expect(formatRelative(iso, { locale: 'en-US', now })).to.equal(text);
    });
  }

  it('speaks the locale asked for', () => {
    expect(formatRelative('2026-11-23T12:00:00Z', { locale: 'de', now })).to.equal('vor 3 Tagen');
  });

  it('returns an empty string for a date it cannot read', () => {
    expect(formatRelative('soon', { locale: 'en-US', now })).to.equal('');
  });
});

/**
 * Counts the `Intl` formatters built while `run` runs (through `new Intl.DateTimeFormat` and
 * `new Intl.RelativeTimeFormat`), putting the real constructors back afterwards.
 */
async function formattersBuiltBy(run: () => unknown): Promise<number> {
  // `Intl`'s constructors are writable properties, whatever the type declarations say.
  const intl = Intl as unknown as Record<'DateTimeFormat' | 'RelativeTimeFormat', object>;
  const real = { DateTimeFormat: intl.DateTimeFormat, RelativeTimeFormat: intl.RelativeTimeFormat };
  let built = 0;
  const counting = (target: object) =>
    new Proxy(target, {
      construct(ctor, args, newTarget) {
        built++;
        return Reflect.construct(ctor as never, args, newTarget) as object;
      },
    });
  intl.DateTimeFormat = counting(real.DateTimeFormat);
  intl.RelativeTimeFormat = counting(real.RelativeTimeFormat);
  try {
    await run();
  } finally {
    intl.DateTimeFormat = real.DateTimeFormat;
    intl.RelativeTimeFormat = real.RelativeTimeFormat;
  }
  return built;
}

describe('formatters', () => {
  const now = new Date('2026-11-26T12:00:00Z');
  // Fifty posts an hour apart, some of them last year, as a thread formats them.
  const dates = Array.from({ length: 50 }, (_, i) =>
    new Date(Date.parse('2025-12-30T00:00:00Z') + i * 3_600_000 * 7).toISOString(),
  );
  const formatAll = (locale: string, timeZone: string) => {
    for (const iso of dates) {
      formatDateTime(iso, { locale, timeZone, now });
      formatDateTime(iso, { locale, timeZone });
      formatRelative(iso, { locale, now });
    }
  };

  it('builds each formatter once per locale and time zone, not once per date', async () => {
    const first = await formattersBuiltBy(() => formatAll('en-US', 'Europe/Lisbon'));
    expect(first).to.be.above(0);
    expect(first, 'formatters built for 50 dates').to.be.at.most(4);
    expect(await formattersBuiltBy(() => formatAll('en-US', 'Europe/Lisbon'))).to.equal(0);
    // Another language gets its own formatters, and words.
    expect(await formattersBuiltBy(() => formatAll('fr-FR', 'Europe/Lisbon'))).to.be.above(0);
    expect(formatRelative('2026-11-23T12:00:00Z', { locale: 'fr-FR', now })).to.equal(
      'il y a 3 jours',
    );
  });

  it('leaves out the current year, and shows any other, when no time is given as now', () => {
    const thisYear = new Date().getUTCFullYear();
    // Midyear, far from New Year's Eve in any time zone.
    const current = new Date(Date.UTC(thisYear, 5, 15, 12)).toISOString();
    const earlier = new Date(Date.UTC(thisYear - 3, 5, 15, 12)).toISOString();
    for (let i = 0; i < 2; i++) {
      expect(formatDateTime(current, chicago)).not.to.contain(String(thisYear));
      expect(formatDateTime(earlier, chicago)).to.contain(`, ${thisYear - 3} `);
    }
  });

  it('warms the formatters of a locale and time zone when the page is idle', async () => {
    const warmed = await formattersBuiltBy(() => warmFormatters('de-DE', 'Asia/Kolkata'));
    expect(warmed).to.be.above(0);
    expect(await formattersBuiltBy(() => formatAll('de-DE', 'Asia/Kolkata'))).to.equal(0);
    expect(
      formatDateTime('2019-01-28T11:03:00-06:00', {
        locale: 'de-DE',
        timeZone: 'Asia/Kolkata',
        now: new Date('2019-06-01T12:00:00Z'),
      }),
    ).to.equal('Mo., 28. Jan., 22:33');
  });

  it('warms without throwing for an unknown time zone or locale', async () => {
    await warmFormatters('en-US', 'Mars/Olympus_Mons');
    await warmFormatters('not a locale!', 'America/Chicago');
    await warmFormatters();
    // And the fallback still formats.
    expect(
      formatDateTime('2019-01-28T11:03:00-06:00', {
        locale: 'en-US',
        timeZone: 'Mars/Olympus_Mons',
        now: new Date('2026-06-01T12:00:00Z'),
      }),
    ).to.contain('2019');
  });
});
