// The controls every demo page's yellow bar shares: the theme, remembered across pages, and
// "Reset demo data".
import type { ParleyThread } from '../src/index.js';

/** The Theme select: applied to `threads` and to the page, and remembered. */
export function themeControl(threads: readonly ParleyThread[]): void {
  const select = document.querySelector<HTMLSelectElement>('#theme')!;
  const apply = (theme: string) => {
    for (const el of threads) el.theme = theme as ParleyThread['theme'];
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('parley-demo-theme', theme);
  };
  select.value = localStorage.getItem('parley-demo-theme') ?? 'light';
  apply(select.value);
  select.addEventListener('change', () => apply(select.value));
}

/** "Reset demo data": forgets what the demo's threads stored in this browser, and reloads. */
export function resetControl(): void {
  document.querySelector('#reset')!.addEventListener('click', () => {
    for (const key of Object.keys(localStorage))
      if (key.startsWith('parley:')) localStorage.removeItem(key);
    location.hash = '';
    location.reload();
  });
}
