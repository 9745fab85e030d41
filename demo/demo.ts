import {
  MemoryAdapter,
  RestAdapter,
  type CommentAdapter,
  type ParleyThread,
} from '../src/index.js';
import { posts, releasePosts, releaseThread, releaseUsers, thread, users } from './seed.js';
import { resetControl, themeControl } from './controls.js';
import { signSsoToken } from './sso.js';

const STORAGE_KEY = 'demo-seed';
/** Where `npm run server:demo` listens by default. */
const SERVER = 'http://127.0.0.1:8787';

const seedThread = document.querySelector<ParleyThread>('#seed-thread')!;
const restyled = document.querySelector<ParleyThread>('#restyled')!;
const viewerSelect = document.querySelector<HTMLSelectElement>('#viewer')!;
const backendSelect = document.querySelector<HTMLSelectElement>('#backend')!;

// The two backends the demo can run on.
const embedded = new MemoryAdapter({
  threads: [thread, releaseThread],
  posts: [...posts, ...releasePosts],
  users: [...users, ...releaseUsers],
  storageKey: STORAGE_KEY,
  latency: 250,
  allowMemberSignIn: true,
});
if (embedded.storageProblem) console.warn(embedded.storageProblem);
const onServer = localStorage.getItem('parley-demo-backend') === 'server';
const rest = onServer ? new RestAdapter({ endpoint: SERVER }) : null;
const adapter: CommentAdapter = rest ?? embedded;
backendSelect.value = onServer ? 'server' : 'embedded';
backendSelect.addEventListener('change', () => {
  localStorage.setItem('parley-demo-backend', backendSelect.value);
  location.reload();
});
seedThread.adapter = adapter;
restyled.adapter = adapter;

/** The password `npm run server:demo` gives the seed's members (their built-in accounts). */
const DEMO_PASSWORD = 'parley-demo';

/**
 * Signs a member in. Embedded: by id. On the server, the toolbar uses the member's built-in
 * account (the seed's own author), and the site's Login dialog uses single sign-on: the site
 * signs a token for its member, who becomes an `sso:` user of the comment server.
 */
async function signInAs(userId: string, via: 'account' | 'sso' = 'account'): Promise<void> {
  const user = users.find((u) => u.id === userId)!;
  if (!rest) {
    await embedded.signIn({ userId });
  } else if (via === 'sso') {
    const token = await signSsoToken(user);
    localStorage.setItem('parley-demo-sso', token);
    await rest.signIn({ token });
  } else {
    localStorage.removeItem('parley-demo-sso');
    await rest.signIn({ handle: user.handle, password: DEMO_PASSWORD });
  }
}

// Toolbar: who is signed in.
for (const user of users) viewerSelect.add(new Option(`${user.name} (@${user.handle})`, user.id));
const syncViewer = async () => {
  const user = (await adapter.getViewer().catch(() => ({ user: null }))).user;
  viewerSelect.value = users.some((u) => u.id === user?.id || `sso:${u.id}` === user?.id)
    ? users.find((u) => u.id === user!.id || `sso:${u.id}` === user!.id)!.id
    : '';
};
viewerSelect.addEventListener('change', async () => {
  if (viewerSelect.value) await signInAs(viewerSelect.value);
  else {
    localStorage.removeItem('parley-demo-sso');
    await adapter.signOut?.();
  }
});
adapter.subscribe?.(thread.id, (change) => {
  if (change.type === 'viewer-changed') void syncViewer();
});
// On the server, the site's session (a stored SSO token) signs the reader in again after a reload.
const stored = localStorage.getItem('parley-demo-sso');
if (rest && stored)
  void rest
    .signIn({ token: stored })
    .catch(() => localStorage.removeItem('parley-demo-sso'))
    .then(syncViewer);
else void syncViewer();

// Toolbar: theme, remembered, and Reset demo data.
themeControl([seedThread, restyled]);
resetControl();

// The site handles "Login" itself: a dialog listing the members.
const dialog = document.querySelector<HTMLDialogElement>('#sign-in')!;
const people = document.querySelector('#sign-in-people')!;
for (const user of users) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = `${user.name} (@${user.handle})`;
  button.addEventListener('click', async () => {
    await signInAs(user.id, 'sso');
    dialog.close();
    seedThread.shadowRoot?.querySelector<HTMLElement>('parley-composer.main')?.focus();
  });
  people.append(button);
}
// On the server, a reader may also use Parley's own accounts: the thread's built-in form.
document.querySelector<HTMLElement>('#accounts-hint')!.hidden = !rest;
document.querySelector('#use-accounts')!.addEventListener('click', () => {
  dialog.close();
  void seedThread.signIn();
});
document.addEventListener('parley-login-request', (event) => {
  event.preventDefault();
  dialog.showModal();
});
document.querySelector('.login-link')!.addEventListener('click', (event) => {
  event.preventDefault();
  dialog.showModal();
});

document.addEventListener('parley-error', (event) =>
  console.warn(`[demo] ${event.detail.operation} failed:`, event.detail.error.message),
);
