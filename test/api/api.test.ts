/**
 * Keeps the public API honest: every custom property the styles read is documented (and every
 * documented one is read), the README lists the whole API, Lit raises no dev-mode warnings, and
 * mounting / unmounting leaves nothing behind.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { CSSResultOrNative, CSSResultGroup } from 'lit';
import { ParleyComposer, ParleyPost, ParleyQuote, ParleyThread } from '../../src/index.js';
import { mainComposer, postIn, seedAdapter, threadFixture, typeInto } from '../helpers.js';

interface ManifestDeclaration {
  customElement?: boolean;
  tagName?: string;
  attributes?: { name: string }[];
  events?: { name: string }[];
  cssParts?: { name: string }[];
  cssProperties?: { name: string }[];
  slots?: { name: string }[];
}

async function manifestElements(): Promise<ManifestDeclaration[]> {
  const manifest = (await (await fetch('/custom-elements.json')).json()) as {
    modules: { declarations?: ManifestDeclaration[] }[];
  };
  return manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement);
}

function cssTextOf(styles: CSSResultGroup | undefined): string {
  if (!styles) return '';
  if (Array.isArray(styles)) return styles.map((s) => cssTextOf(s as CSSResultGroup)).join('\n');
  const one = styles as CSSResultOrNative;
  return 'cssText' in one
    ? String(one.cssText)
    : [...(one as CSSStyleSheet).cssRules].map((r) => r.cssText).join('\n');
}

describe('public API', () => {
  describe('custom properties', () => {
    it('documents every --parley-* property the styles read, and reads every documented one', async () => {
      const css = [ParleyThread, ParleyPost, ParleyComposer, ParleyQuote]
        .map((c) => cssTextOf(c.styles))
        .join('\n');
      const read = new Set([...css.matchAll(/var\(\s*(--parley-[a-z0-9-]+)/g)].map((m) => m[1]));
      const documented = new Set(
        (await manifestElements()).flatMap((d) => (d.cssProperties ?? []).map((p) => p.name)),
      );
      expect(read.size).to.be.greaterThan(20);
      expect(
        [...read].filter((name) => !documented.has(name)),
        'read but not documented',
      ).to.deep.equal([]);
      expect(
        [...documented].filter((name) => !read.has(name)),
        'documented but never read',
      ).to.deep.equal([]);
    });
  });

  describe('README', () => {
    it('lists every element, attribute, event, slot, part and custom property', async () => {
      const readme = await (await fetch('/README.md')).text();
      const missing: string[] = [];
      for (const el of await manifestElements()) {
        const names = [
          `<${el.tagName}>`,
          ...(el.attributes ?? []).map((a) => a.name),
          ...(el.events ?? []).map((e) => e.name).filter(Boolean),
          ...(el.slots ?? []).map((s) => s.name).filter(Boolean),
          ...(el.cssParts ?? []).map((p) => p.name),
          ...(el.cssProperties ?? []).map((p) => p.name),
        ];
        for (const name of names)
          if (!readme.includes(`\`${name}\``)) missing.push(`${el.tagName}: ${name}`);
      }
      expect(missing, 'run `npm run docs`').to.deep.equal([]);
    });
  });

  describe('Lit dev mode', () => {
    let warn: typeof console.warn;
    let warnings: string[];
    beforeEach(() => {
      warnings = [];
      warn = console.warn;
      console.warn = (...args: unknown[]) => {
        const text = args.map(String).join(' ');
        // The one notice Lit always prints in development builds.
        if (!/Lit is in dev mode/.test(text)) warnings.push(text);
      };
    });
    afterEach(() => {
      console.warn = warn;
    });

    it('raises no warnings while a reader reads, replies and jumps', async () => {
      const el = await threadFixture(seedAdapter({ as: 'u-dqualls' }));
      const composer = mainComposer(el);
      await typeInto(composer, 'Hello @Dan');
      await composer.submit();
      await el.jumpTo('p2');
      postIn(el, 'p2').reply();
      await el.updateComplete;
      expect(warnings).to.deep.equal([]);
    });
  });

  describe('mount and unmount', () => {
    it('leaves no document or window listeners and no open popovers behind', async () => {
      const counts = new Map<string, number>();
      const targets = [document, window] as const;
      const originals = targets.map((t) => ({
        add: t.addEventListener,
        remove: t.removeEventListener,
      }));
      targets.forEach((target, i) => {
        const name = i === 0 ? 'document' : 'window';
        target.addEventListener = function (this: EventTarget, type: string, ...rest: unknown[]) {
          counts.set(`${name}:${type}`, (counts.get(`${name}:${type}`) ?? 0) + 1);
          return (originals[i].add as (...a: unknown[]) => void).call(this, type, ...rest);
        } as typeof target.addEventListener;
        target.removeEventListener = function (
          this: EventTarget,
          type: string,
          ...rest: unknown[]
        ) {
          counts.set(`${name}:${type}`, (counts.get(`${name}:${type}`) ?? 0) - 1);
          return (originals[i].remove as (...a: unknown[]) => void).call(this, type, ...rest);
        } as typeof target.removeEventListener;
      });
      try {
        const adapter = seedAdapter({ as: 'u-dqualls' });
        for (let i = 0; i < 8; i++) {
          const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
          const el = document.createElement('parley-thread');
          el.adapter = adapter;
          el.threadId = 'social-media-access';
          wrapper.append(el);
          await waitUntil(() => el.shadowRoot?.querySelector('parley-post[data-post-id="p4"]'));
          // Open the quote popover of p4, then tear everything down while it is open.
          const quote = postIn(el, 'p4').shadowRoot!.querySelector<ParleyQuote>('parley-quote')!;
          await waitUntil(() => quote.shadowRoot?.querySelector('[part="jump"]'));
          quote.showPreview();
          await waitUntil(() => quote.shadowRoot!.querySelector('[part="popover"]:popover-open'));
          wrapper.remove();
        }
      } finally {
        targets.forEach((target, i) => {
          target.addEventListener = originals[i].add;
          target.removeEventListener = originals[i].remove;
        });
      }
      const leaks = [...counts].filter(([, n]) => n > 0).map(([key, n]) => `${key} +${n}`);
      expect(leaks).to.deep.equal([]);
      expect(document.querySelectorAll(':popover-open').length).to.equal(0);
    });
  });
});
