/**
 * Themes hold up in every state a reader sees: axe reports no violation inside the widget in
 * light, dark, and auto with a dark system, also when the host page set light-theme colour tokens
 * on `<parley-thread>` (which must never reach the dark theme), and a site's `-dark` tokens are
 * what the dark theme shows.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import type { ParleyThread } from '../../src/index.js';
import { dark, light } from '../../src/styles/tokens.js';
import { inShadow, postIn, seedAdapter, threadFixture, clearHostCss, hostCss } from '../helpers.js';
import { quoteOf, states } from './fixtures.js';

interface AxeResult {
  violations: {
    id: string;
    impact: string;
    nodes: { target: unknown[]; failureSummary?: string }[];
  }[];
}
interface Axe {
  run(context: Element, options: object): Promise<AxeResult>;
}

async function axe(): Promise<Axe> {
  const w = window as Window & { axe?: Axe };
  if (!w.axe) await import('axe-core/axe.min.js' as string);
  return w.axe!;
}

/** One line per axe violation inside `el` (`rule: target — why`), empty when there is none. */
async function violationsIn(el: Element): Promise<string[]> {
  const { violations } = await (await axe()).run(el, { resultTypes: ['violations'] });
  return violations.flatMap((v) =>
    v.nodes.map(
      (n) =>
        `${v.id} (${v.impact}): ${JSON.stringify(n.target)} — ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 220)}`,
    ),
  );
}

/** `parley-thread { … }` setting the light values of `names` (all colour tokens by default). */
function lightTokens(
  names: (keyof typeof light)[] = (Object.keys(light) as (keyof typeof light)[]).filter((n) =>
    n.startsWith('color-'),
  ),
): string {
  return `parley-thread {\n${names.map((name) => `  --parley-${name}: ${light[name]};`).join('\n')}\n}`;
}

/** What a site sets for its brand, on the element itself, for its light pages. */
const HOST_BRAND = lightTokens([
  'color-accent',
  'color-accent-contrast',
  'color-accent-soft',
  'color-focus',
  'color-mention',
  'color-highlight',
  'color-quote-border',
  'color-danger',
]);
/** A site that re-declares the whole light palette. */
const HOST_PALETTE = `${lightTokens()}\nparley-thread { --parley-shadow: ${light.shadow}; }`;

interface ThemeCase {
  theme: 'light' | 'dark' | 'auto';
  scheme?: 'dark';
  hostTokens?: string;
}
const themes: Record<string, ThemeCase> = {
  light: { theme: 'light' },
  dark: { theme: 'dark' },
  'auto with a dark system': { theme: 'auto', scheme: 'dark' },
  "light with the host's brand colours": { theme: 'light', hostTokens: HOST_BRAND },
  "dark with the host's light brand colours": { theme: 'dark', hostTokens: HOST_BRAND },
  "auto with a dark system and the host's light brand colours": {
    theme: 'auto',
    scheme: 'dark',
    hostTokens: HOST_BRAND,
  },
  "dark with the host's whole light palette": { theme: 'dark', hostTokens: HOST_PALETTE },
};

const rgb = (hex: string) => {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${n >> 16}, ${(n >> 8) & 255}, ${n & 255})`;
};

beforeEach(() => setViewport({ width: 1000, height: 900 }));
afterEach(async () => {
  clearHostCss();
  await emulateMedia({ colorScheme: 'light' });
});

for (const [themeName, { theme, scheme, hostTokens }] of Object.entries(themes)) {
  describe(`axe, ${themeName}`, () => {
    for (const [stateName, build] of Object.entries(states)) {
      it(`finds nothing with ${stateName}`, async () => {
        if (scheme) await emulateMedia({ colorScheme: scheme });
        if (hostTokens) hostCss(hostTokens);
        const el = await build({ theme });
        const expectedBg = theme === 'light' ? light['color-bg'] : dark['color-bg'];
        expect(getComputedStyle(el).backgroundColor, 'the theme applies').to.equal(rgb(expectedBg));
        const highlighted = stateName.startsWith('a jump done');
        expect((await violationsIn(el)).join('\n')).to.equal('');
        if (highlighted)
          expect(postIn(el, 'p2').highlighted, 'the highlight was still on while axe ran').to.equal(
            true,
          );
      });
    }
  });
}

describe('colour tokens a site sets', () => {
  /** The colours of a thread's accent-coloured things. */
  async function accents(el: ParleyThread) {
    const quote = await quoteOf(el, 'p4');
    const composer = el.shadowRoot!.querySelector('parley-composer.main')!;
    await waitUntil(() => composer.shadowRoot!.querySelector('[part="submit"]'), 'not signed in');
    return {
      jump: getComputedStyle(inShadow(quote, '[part="jump"]')).color,
      submit: getComputedStyle(inShadow(composer, '[part="submit"]')).backgroundColor,
      background: getComputedStyle(el).backgroundColor,
      text: getComputedStyle(inShadow(postIn(el, 'p4'), '[part="body"]')).color,
    };
  }

  it("never reach the dark theme from the element or an ancestor: Parley's dark values show", async () => {
    hostCss(
      `:root { --parley-color-accent: #c00000; --parley-color-bg: #fffff0; } parley-thread { --parley-color-accent: #b4461b; --parley-color-text: #222222; }`,
    );
    const el = await threadFixture(seedAdapter({ as: 'jellis' }), { theme: 'dark' });
    expect(await accents(el)).to.deep.equal({
      jump: rgb(dark['color-accent']),
      submit: rgb(dark['color-accent']),
      background: rgb(dark['color-bg']),
      text: rgb(dark['color-text']),
    });
  });

  it('still colour the light theme', async () => {
    hostCss(`parley-thread { --parley-color-accent: #b4461b; --parley-color-bg: #fffaf2; }`);
    const el = await threadFixture(seedAdapter({ as: 'jellis' }), { theme: 'light' });
    expect(await accents(el)).to.deep.equal({
      jump: 'rgb(180, 70, 27)',
      submit: 'rgb(180, 70, 27)',
      background: 'rgb(255, 250, 242)',
      text: rgb(light['color-text']),
    });
  });

  it('colour the dark theme through their -dark names, and only the dark theme', async () => {
    hostCss(
      `parley-thread { --parley-color-accent: #b4461b; --parley-color-accent-dark: #ff9a6a; --parley-color-bg-dark: #221a15; --parley-color-text-dark: #f3e6d8; }`,
    );
    const darkEl = await threadFixture(seedAdapter({ as: 'jellis' }), { theme: 'dark' });
    expect(await accents(darkEl)).to.deep.equal({
      jump: 'rgb(255, 154, 106)',
      submit: 'rgb(255, 154, 106)',
      background: 'rgb(34, 26, 21)',
      text: 'rgb(243, 230, 216)',
    });
    await emulateMedia({ colorScheme: 'dark' });
    const autoEl = await threadFixture(seedAdapter({ as: 'jellis' }), { theme: 'auto' });
    expect((await accents(autoEl)).jump).to.equal('rgb(255, 154, 106)');
    await emulateMedia({ colorScheme: 'light' });
    expect((await accents(autoEl)).jump).to.equal('rgb(180, 70, 27)');
    const lightEl = await threadFixture(seedAdapter({ as: 'jellis' }), { theme: 'light' });
    expect((await accents(lightEl)).background).to.equal('rgb(255, 255, 255)');
  });

  it('gives a dark thread dark form controls, and a light one light controls on a dark page', async () => {
    hostCss(':root { color-scheme: dark; }');
    const lightEl = await threadFixture(seedAdapter({ as: 'jellis' }), { theme: 'light' });
    const darkEl = await threadFixture(seedAdapter({ as: 'jellis' }), { theme: 'dark' });
    const field = (el: ParleyThread) =>
      el.shadowRoot!.querySelector('parley-composer.main')!.shadowRoot!.querySelector('textarea')!;
    expect([
      getComputedStyle(field(lightEl)).colorScheme,
      getComputedStyle(field(darkEl)).colorScheme,
    ]).to.deep.equal(['light', 'dark']);
  });
});
