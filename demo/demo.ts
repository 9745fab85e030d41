import { MemoryAdapter, type ParleyThread } from '../src/index.js';
import { posts, releasePosts, releaseThread, releaseUsers, thread, users } from './seed.js';

const STORAGE_KEY = 'demo-seed';

const adapter = new MemoryAdapter({ threads: [thread, releaseThread], posts: [...posts, ...releasePosts], users: [...users, ...releaseUsers], storageKey: STORAGE_KEY, latency: 250 });
if (adapter.storageProblem) console.warn(adapter.storageProblem);

const seedThread = document.querySelector<ParleyThread>('#seed-thread')!;
const restyled = document.querySelector<ParleyThread>('#restyled')!;
seedThread.adapter = adapter;
restyled.adapter = adapter;

// Toolbar: who is signed in.
const viewerSelect = document.querySelector<HTMLSelectElement>('#viewer')!;
for (const user of users) viewerSelect.add(new Option(`${user.name} (@${user.handle})`, user.id));
const syncViewer = async () => (viewerSelect.value = (await adapter.getViewer()).user?.id ?? '');
viewerSelect.addEventListener('change', async () => {
  if (viewerSelect.value) await adapter.signIn({ userId: viewerSelect.value });
  else await adapter.signOut();
});
adapter.subscribe(thread.id, (change) => {
  if (change.type === 'viewer-changed') void syncViewer();
});
void syncViewer();

// Toolbar: theme, remembered.
const themeSelect = document.querySelector<HTMLSelectElement>('#theme')!;
const applyTheme = (theme: string) => {
  for (const el of [seedThread, restyled]) el.theme = theme as ParleyThread['theme'];
  document.documentElement.dataset.theme = theme;
  localStorage.setItem('parley-demo-theme', theme);
};
themeSelect.value = localStorage.getItem('parley-demo-theme') ?? 'light';
applyTheme(themeSelect.value);
themeSelect.addEventListener('change', () => applyTheme(themeSelect.value));

document.querySelector('#reset')!.addEventListener('click', () => {
  for (const key of Object.keys(localStorage)) if (key.startsWith('parley:')) localStorage.removeItem(key);
  location.hash = '';
  location.reload();
});

// The site handles "Login" itself: a dialog listing the members.
const dialog = document.querySelector<HTMLDialogElement>('#sign-in')!;
const people = document.querySelector('#sign-in-people')!;
for (const user of users) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = `${user.name} (@${user.handle})`;
  button.addEventListener('click', async () => {
    await adapter.signIn({ userId: user.id });
    dialog.close();
    seedThread.shadowRoot?.querySelector<HTMLElement>('parley-composer.main')?.focus();
  });
  people.append(button);
}
document.addEventListener('parley-login-request', (event) => {
  event.preventDefault();
  dialog.showModal();
});
document.querySelector('.login-link')!.addEventListener('click', (event) => {
  event.preventDefault();
  dialog.showModal();
});

document.addEventListener('parley-error', (event) => console.warn(`[demo] ${event.detail.operation} failed:`, event.detail.error.message));
