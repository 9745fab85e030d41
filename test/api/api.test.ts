/**
 * Keeps the public API honest: every custom property the styles read is documented (and every
 * documented one is read), every reactive property, CSS part and event of the live elements is in
 * the manifest (scripts/manifest.test.mjs checks the manifest itself: fresh, public members only,
 * everything described), the README lists the whole API, Lit raises no dev-mode warnings, and
 * mounting / unmounting leaves nothing behind.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { CSSResultOrNative, CSSResultGroup, ReactiveElement } from 'lit';
import { ParleyComposer, ParleyPost, ParleyQuote, ParleyThread } from '../../src/index.js';
import * as reading from '../../src/events/events.js';
import * as writing from '../../src/events/writing.js';
import { COMPOSER_PARTS, POST_PARTS, SIGN_IN_PARTS } from '../../src/components/thread/parts.js';
import {
  inShadow,
  mainComposer,
  postIn,
  seedAdapter,
  threadFixture,
  typeInto,
} from '../helpers.js';

interface ManifestDeclaration {
  customElement?: boolean;
  tagName?: string;
  members?: { kind: string; name: string; attribute?: string; description?: string }[];
  attributes?: { name: string }[];
  events?: { name?: string; type?: { text: string } }[];
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

  describe('elements and their manifest', () => {
    it('documents every reactive property of every element, with its attribute', async () => {
      const problems: string[] = [];
      const declarations = await manifestElements();
      expect(declarations.length).to.equal(6);
      for (const el of declarations) {
        const element = customElements.get(el.tagName!) as typeof ReactiveElement | undefined;
        if (!element) {
          problems.push(`<${el.tagName}> is not defined`);
          continue;
        }
        for (const [name, options] of element.elementProperties) {
          if (options.state || typeof name !== 'string') continue;
          const member = el.members?.find((m) => m.kind === 'field' && m.name === name);
          const attribute =
            options.attribute === false
              ? undefined
              : typeof options.attribute === 'string'
                ? options.attribute
                : name.toLowerCase();
          if (!member?.description) problems.push(`${el.tagName}.${name} is not documented`);
          else if (member.attribute !== attribute)
            problems.push(
              `${el.tagName}.${name}: attribute ${attribute}, documented as ${member.attribute}`,
            );
        }
      }
      expect(problems).to.deep.equal([]);
    });

    it('gives every documented event the class it is dispatched as', async () => {
      const problems: string[] = [];
      for (const el of await manifestElements())
        for (const event of el.events ?? []) {
          const cls = ({ ...reading, ...writing } as Record<string, unknown>)[
            event.type?.text ?? ''
          ] as { type?: string } | undefined;
          if (!event.name || cls?.type !== event.name)
            problems.push(`${el.tagName}: ${event.name} typed ${event.type?.text}`);
        }
      expect(problems).to.deep.equal([]);
    });

    it('re-exports every documented part of the post, composer and sign-in form from the thread', async () => {
      const declarations = new Map((await manifestElements()).map((d) => [d.tagName!, d]));
      const missing: string[] = [];
      for (const [tag, prefix, exported] of [
        ['parley-post', 'post', POST_PARTS],
        ['parley-composer', 'composer', COMPOSER_PARTS],
        ['parley-sign-in', 'sign-in', SIGN_IN_PARTS],
      ] as const) {
        const mapped = new Set(exported.split(',').map((m) => m.trim()));
        for (const part of declarations.get(tag)?.cssParts ?? [])
          if (!mapped.has(`${part.name}:${prefix}-${part.name}`))
            missing.push(`${tag} ${part.name}`);
      }
      expect(missing).to.deep.equal([]);
    });

    it('documents every part rendered and event dispatched while readers read, reply, quote, jump and sign in', async () => {
      const declarations = new Map((await manifestElements()).map((d) => [d.tagName!, d]));
      const dispatched = new Set<string>();
      const dispatch = EventTarget.prototype.dispatchEvent;
      EventTarget.prototype.dispatchEvent = function (this: EventTarget, event: Event) {
        if (this instanceof HTMLElement && declarations.has(this.localName))
          dispatched.add(`${this.localName} ${event.type}`);
        return dispatch.call(this, event);
      };
      const rendered = new Set<string>();
      /** Records the parts of every element in `root`'s shadow roots, and their exported parts. */
      const collect = (host: Element) => {
        const shadow = host.shadowRoot;
        if (!shadow) return;
        for (const node of shadow.querySelectorAll('*')) {
          for (const part of node.part) rendered.add(`${host.localName} ${part}`);
          for (const mapping of (node.getAttribute('exportparts') ?? '').split(',')) {
            const inner = mapping.split(':')[0].trim();
            if (inner) rendered.add(`${node.localName} ${inner}`);
          }
          collect(node);
        }
      };
      try {
        const el = await threadFixture(seedAdapter({ as: 'u-dqualls' }));
        collect(el);
        await typeInto(mainComposer(el), 'Hello @Dan');
        await mainComposer(el).submit();
        await el.jumpTo('p2');
        postIn(el, 'p2').reply();
        await el.updateComplete;
        const quote = postIn(el, 'p4').shadowRoot!.querySelector<ParleyQuote>('parley-quote')!;
        await waitUntil(() => quote.shadowRoot?.querySelector('[part="jump"]'));
        quote.showPreview();
        await waitUntil(() => quote.shadowRoot!.querySelector('[part="popover"]:popover-open'));
        collect(el);
        quote.hidePreview();

        const signedOut = await threadFixture(seedAdapter());
        inShadow(signedOut, '[part="login"]').click();
        await waitUntil(() => signedOut.shadowRoot!.querySelector('parley-sign-in'));
        await signedOut.updateComplete;
        collect(signedOut);
      } finally {
        EventTarget.prototype.dispatchEvent = dispatch;
      }
      const documented = (tag: string, kind: 'cssParts' | 'events', name: string) =>
        (declarations.get(tag)?.[kind] ?? []).some((item) => item.name === name);
      const parley = [...rendered].filter((entry) => declarations.has(entry.split(' ')[0]));
      expect(parley.length, 'parts were found').to.be.greaterThan(60);
      expect(
        parley.filter((entry) => !documented(entry.split(' ')[0], 'cssParts', entry.split(' ')[1])),
        'parts without @csspart',
      ).to.deep.equal([]);
      const fired = [...dispatched].filter((entry) => entry.split(' ')[1].startsWith('parley-'));
      expect(fired.length, 'events were seen').to.be.greaterThan(4);
      expect(
        fired.filter((entry) => !documented(entry.split(' ')[0], 'events', entry.split(' ')[1])),
        'events without @fires',
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
