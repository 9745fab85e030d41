// The article page: one comments-mode thread on the embedded backend, set up by its markup (the
// inline JSON inside it), and its count in the byline. Only the demo's theme control and the
// count's backend (the thread's own embedded one, once it has chosen it) are wired here.
import '../src/index.js';
import type { ParleyCount, ParleyThread } from '../src/index.js';

const comments = document.querySelector<ParleyThread>('#comments')!;
const count = document.querySelector<ParleyCount>('#count')!;
const adopt = () => {
  if (comments.adapter) count.adapter = comments.adapter;
  else requestAnimationFrame(adopt);
};
adopt();
const themeSelect = document.querySelector<HTMLSelectElement>('#theme')!;
const applyTheme = (theme: string) => {
  comments.theme = theme as ParleyThread['theme'];
  document.documentElement.dataset.theme = theme;
  localStorage.setItem('parley-demo-theme', theme);
};
themeSelect.value = localStorage.getItem('parley-demo-theme') ?? 'light';
applyTheme(themeSelect.value);
themeSelect.addEventListener('change', () => applyTheme(themeSelect.value));

document.querySelector('#reset')!.addEventListener('click', () => {
  for (const key of Object.keys(localStorage))
    if (key.startsWith('parley:')) localStorage.removeItem(key);
  location.reload();
});
