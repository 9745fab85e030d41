/** `<parley-sign-in>` on its own: only the ways it is given, signing in through the adapter. */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/components/sign-in/sign-in.js';
import {
  MemoryAdapter,
  ParleyError,
  type ParleySignIn,
  type SignInMode,
  type Viewer,
} from '../../src/index.js';
import { seedAdapter } from '../helpers.js';

const part = <T extends Element = HTMLElement>(el: ParleySignIn, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const text = (node: Element | null | undefined) =>
  (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

async function signInFixture(
  adapter: MemoryAdapter | object,
  modes: SignInMode[] = ['guest'],
): Promise<ParleySignIn> {
  const el = await fixture<ParleySignIn>(
    html`<parley-sign-in .adapter=${adapter} .modes=${modes}></parley-sign-in>`,
  );
  await el.updateComplete;
  return el;
}

describe('<parley-sign-in>', () => {
  describe('accessibility', () => {
    it('is accessible with a guest name and with accounts', async () => {
      await expect(await signInFixture(seedAdapter())).to.be.accessible();
      await expect(
        await signInFixture(seedAdapter(), ['login', 'register', 'guest']),
      ).to.be.accessible();
    });
  });

  describe('properties', () => {
    it('offers only a guest name when that is the one way, with no choice to make', async () => {
      const el = await signInFixture(seedAdapter());
      expect(el.shadowRoot!.querySelectorAll('input[type="radio"]').length).to.equal(0);
      expect(!!part(el, 'input[name="name"]')).to.equal(true);
      expect(!!part(el, 'input[name="password"]')).to.equal(false);
      expect(text(part(el, '[part="submit"]'))).to.equal('Continue as guest');
    });

    it('offers the ways it is given, in order, starting with the first', async () => {
      const el = await signInFixture(seedAdapter(), ['login', 'register', 'guest']);
      expect(
        [...el.shadowRoot!.querySelectorAll('[part="choice"]')].map((c) => text(c)),
      ).to.deep.equal(['Log in', 'Register', 'Guest']);
      expect(!!part(el, 'input[name="handle"]') && !!part(el, 'input[name="password"]')).to.equal(
        true,
      );
      el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="radio"]')[1].click();
      await el.updateComplete;
      expect(el.mode).to.equal('register');
      expect(!!part(el, 'input[name="name"]')).to.equal(true);
    });
  });

  describe('events', () => {
    it('signs a guest in through the adapter and fires parley-signed-in', async () => {
      const adapter = seedAdapter();
      const el = await signInFixture(adapter);
      el.focus();
      await waitUntil(
        () => el.shadowRoot!.activeElement === part(el, 'input[name="name"]'),
        'the name field did not take focus',
      );
      part<HTMLInputElement>(el, 'input[name="name"]')!.value = '  Visitor  ';
      const signedIn = oneEvent(el, 'parley-signed-in');
      part<HTMLButtonElement>(el, '[part="submit"]')!.click();
      const { viewer } = (await signedIn).detail as { viewer: Viewer };
      expect(viewer.user?.name).to.equal('Visitor');
      expect((await adapter.getViewer()).user?.name).to.equal('Visitor');
    });

    it('says why signing in failed, keeps the form, and fires parley-error', async () => {
      const adapter = {
        signIn: async () =>
          Promise.reject(
            new ParleyError('invalid', 'Enter the name you want to post under as a guest.', {
              field: 'name',
            }),
          ),
      };
      const el = await signInFixture(adapter);
      part<HTMLInputElement>(el, 'input[name="name"]')!.value = 'x';
      const failed = oneEvent(el, 'parley-error');
      part<HTMLButtonElement>(el, '[part="submit"]')!.click();
      const { operation, error } = (await failed).detail as {
        operation: string;
        error: ParleyError;
      };
      expect(operation).to.equal('sign-in');
      expect(error.code).to.equal('invalid');
      await el.updateComplete;
      expect(text(part(el, '[part="error"]'))).to.equal(
        'Enter the name you want to post under as a guest.',
      );
      expect(part(el, '[part="error"]')!.getAttribute('role')).to.equal('alert');
    });

    it('fires parley-sign-in-cancel on Cancel', async () => {
      const el = await signInFixture(seedAdapter());
      const cancelled = oneEvent(el, 'parley-sign-in-cancel');
      part<HTMLButtonElement>(el, '[part="cancel"]')!.click();
      expect((await cancelled).composed).to.equal(true);
    });
  });
});
