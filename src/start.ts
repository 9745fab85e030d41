/**
 * Imported first by `index.ts` and `parley.ts`, so it runs before the rest of Parley is
 * evaluated: the threads already in the page start their first requests now (see
 * `adapters/early.ts`), the chunks an embedded thread needs start loading, and the date
 * formatters they will use are made while those requests are on their way (on an embedded
 * thread's page, once its chunks are in), in tasks of their own, so the first render does not
 * pay for starting `Intl`.
 */
import { startEarlyRequests } from './adapters/early.js';
import { warmFormatters } from './i18n/format.js';

startEarlyRequests();
if (typeof document !== 'undefined') {
  // A thread without an endpoint renders markdown in the browser, on the embedded backend unless
  // the page's own script gives it another: both start loading now, not once it has decided.
  // Its chunks are found one after the other, each once the main thread is free to read the
  // one before: the date formatters wait for them, so starting ICU does not hold them back.
  const embedded = document.querySelector('parley-thread:not([endpoint])')
    ? import('./controllers/embedded-backend.js').catch(
        () => undefined, // tried again, and reported, where it is needed
      )
    : Promise.resolve();
  const settings = new Set(['|']);
  for (const el of document.querySelectorAll('parley-thread'))
    settings.add(`${el.getAttribute('locale') ?? ''}|${el.getAttribute('time-zone') ?? ''}`);
  for (const setting of settings) {
    const [locale, timeZone] = setting.split('|');
    void embedded.then(() => warmFormatters(locale || undefined, timeZone || undefined));
  }
}
