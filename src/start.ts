/**
 * Imported first by `index.ts`, so it runs before the rest of Parley is evaluated: the threads
 * already in the page start their first requests now (see `adapters/early.ts`), and the date
 * formatters they will use are made while those requests are on their way, in idle time, so
 * the first render does not pay for starting `Intl`.
 */
import { startEarlyRequests } from './adapters/early.js';
import { warmFormatters } from './i18n/format.js';

startEarlyRequests();
if (typeof document !== 'undefined') {
  const settings = new Set(['|']);
  for (const el of document.querySelectorAll('parley-thread'))
    settings.add(`${el.getAttribute('locale') ?? ''}|${el.getAttribute('time-zone') ?? ''}`);
  for (const setting of settings) {
    const [locale, timeZone] = setting.split('|');
    void warmFormatters(locale || undefined, timeZone || undefined);
  }
}
