/**
 * Script injection on every path that shows user content: post bodies, names, handles, avatar
 * URLs, quotes, the Preview tab, the quote popover and a whole thread seeded with hostile posts.
 * Every payload sets `window.__pwned`; nothing may set it, and no dangerous markup may remain.
 */
import { expect, fixture, html, nextFrame, waitUntil } from '@open-wc/testing';
import { sendMouse, resetMouse } from '@web/test-runner-commands';
import {
  inShadow,
  mainComposer,
  postIn,
  seed,
  threadFixture,
  typeInto,
  THREAD_ID,
} from '../helpers.js';
import {
  MemoryAdapter,
  renderMarkdown,
  type Author,
  type ParleyPost,
  type Post,
} from '../../src/index.js';
import type { ParleyComposer } from '../../src/components/composer/composer.component.js';
import type { ParleyQuote } from '../../src/components/quote/quote.component.js';

declare global {
  interface Window {
    __pwned?: unknown;
  }
}

/** A payload that records which vector ran. */
const pwn = (name: string) => `window.__pwned='${name}'`;

/** Hostile post bodies: raw HTML, markdown, autolinks and entity tricks. */
const BODY_VECTORS: [string, string][] = [
  ['an img with onerror', `<img src=x onerror="${pwn('img')}">`],
  ['a script element', `<script>${pwn('script')}</script>`],
  ['a script split across markdown', `<scr<script>ipt>${pwn('split')}</script>`],
  ['a javascript: link', `<a href="javascript:${pwn('a')}">click</a>`],
  ['a mixed-case JaVaScRiPt: link', `<a href="JaVaScRiPt:${pwn('mixed')}">click</a>`],
  [
    'a javascript: link with a tab and entities',
    `<a href="&#106;ava&#x09;script&colon;${pwn('entities')}">click</a>`,
  ],
  [
    'a javascript: link with leading spaces and control characters',
    `<a href="  \u0001javascript:${pwn('ctrl')}">click</a>`,
  ],
  ['a vbscript: link', `<a href="vbscript:msgbox(1)">click</a>`],
  [
    'a data: link',
    `<a href="data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD0xPC9zY3JpcHQ+">click</a>`,
  ],
  [
    'an iframe',
    `<iframe src="javascript:parent.__pwned='iframe'"></iframe><iframe srcdoc="<script>parent.__pwned='srcdoc'</script>"></iframe>`,
  ],
  ['an svg with onload', `<svg onload="${pwn('svg')}"><circle r="1"></circle></svg>`],
  [
    'an svg link and animate',
    `<svg><a xlink:href="javascript:${pwn('svg-a')}"><text y="10">x</text></a><animate onbegin="${pwn('animate')}" attributeName="x" dur="1s"></animate></svg>`,
  ],
  ['math with a link', `<math><mi xlink:href="javascript:${pwn('math')}">x</mi></math>`],
  [
    'a style element',
    `<style>body { background: url("javascript:${pwn('style')}") } * { display: none }</style>`,
  ],
  ['a style attribute', `<p style="background:url(javascript:${pwn('style-attr')})">styled</p>`],
  [
    'a form',
    `<form action="javascript:${pwn('form')}"><input name="q" autofocus onfocus="${pwn('input')}"><button formaction="javascript:${pwn('formaction')}">go</button></form>`,
  ],
  ['a markdown javascript: link', '[x](javascript:alert(1))'],
  [
    'a markdown link with an encoded scheme',
    '[x](&#106;avascript:alert(1)) and [y](java%0ascript:alert(1))',
  ],
  ['a markdown data: link', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
  ['a markdown image breaking out of its attribute', `![a](x" onerror="${pwn('md-img')})`],
  ['a markdown image with a javascript: source', '![a](javascript:alert(1))'],
  [
    'autolinks',
    '<javascript:alert(1)> and <data:text/html,hi> and https://ok.example/path and www.ok.example',
  ],
  [
    'a link title breaking out of its attribute',
    `[x](https://ok.example "a\\" onmouseover=\\"${pwn('title')}")`,
  ],
  [
    'event handlers on harmless tags',
    `<b onmouseover="${pwn('b')}">bold</b><details open ontoggle="${pwn('details')}"><summary>s</summary>d</details><video><source onerror="${pwn('source')}"></video>`,
  ],
  [
    'object, embed, base and meta',
    `<object data="javascript:${pwn('object')}"></object><embed src="javascript:${pwn('embed')}"><base href="javascript:/"><meta http-equiv="refresh" content="0;url=javascript:${pwn('meta')}">`,
  ],
  [
    'mutation XSS through noscript and svg style',
    `<noscript><p title="</noscript><img src=x onerror=${pwn('noscript')}>"></noscript><svg><style><img src=x onerror=${pwn('svg-style')}></style></svg>`,
  ],
  [
    'a link that asks for target _self',
    '<a target="_self" href="https://ok.example/self">self</a> <a target="_top" href="#anchor">top</a>',
  ],
  [
    'an image map (whose areas would escape the link policy)',
    `<map name="m"><area shape="rect" coords="0,0,10,10" href="javascript:${pwn('area')}"><area shape="rect" coords="10,10,20,20" href="https://evil.example/" target="_self"></map><img usemap="#m" src="/x.png">`,
  ],
  [
    'attributes that hijack the component',
    '<a href="https://ok.example" id="base" part="base" slot="x" name="y" class="button primary" tabindex="1" popover>link</a><span class="mention" data-handle="dqualls" data-x="1">@fake</span>',
  ],
  [
    'HTML inside code',
    `\`<img src=x onerror=${pwn('code')}>\`\n\n    <script>${pwn('indented')}</script>`,
  ],
];

/** Every element under `root`, through every open shadow root. */
function deepElements(root: Element | ShadowRoot): Element[] {
  const out: Element[] = [];
  const visit = (node: Element | ShadowRoot) => {
    for (const child of node.querySelectorAll('*')) {
      out.push(child);
      if (child.shadowRoot) visit(child.shadowRoot);
    }
  };
  if (root instanceof Element) {
    out.push(root);
    if (root.shadowRoot) visit(root.shadowRoot);
  }
  visit(root);
  return out;
}

const URL_ATTRIBUTES = [
  'href',
  'src',
  'xlink:href',
  'action',
  'formaction',
  'data',
  'poster',
  'background',
  'ping',
  'cite',
  'srcset',
  'usemap',
];
const FORBIDDEN_TAGS = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'input',
  'base',
  'meta',
  'link',
  'style',
  'svg',
  'math',
  'noscript',
  'template',
  'area',
  'map',
]);

/** How a URL reads to the browser's scheme check: without spaces or control characters, lower case. */
const scheme = (url: string) => url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();

/** The composer's own `<form part="base">`, the one form Parley renders itself. */
const isComposerForm = (el: Element) => {
  const root = el.getRootNode();
  return (
    el.localName === 'form' &&
    el.getAttribute('part') === 'base' &&
    root instanceof ShadowRoot &&
    root.host.localName === 'parley-composer' &&
    el.parentNode === root
  );
};

/** Everything dangerous left under `root`, described; empty when it is clean. */
function dangerIn(root: Element): string[] {
  const problems: string[] = [];
  for (const el of deepElements(root)) {
    const where = `<${el.localName}>`;
    if (FORBIDDEN_TAGS.has(el.localName) && !isComposerForm(el)) problems.push(`${where} element`);
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) problems.push(`${where} ${name}="${attr.value}"`);
      if (name === 'srcdoc') problems.push(`${where} srcdoc`);
      if (URL_ATTRIBUTES.includes(name) && /^(javascript|data|vbscript):/.test(scheme(attr.value)))
        problems.push(`${where} ${name}="${attr.value}"`);
      if (name === 'style' && /url\(|javascript:|expression\(/i.test(attr.value))
        problems.push(`${where} style="${attr.value}"`);
    }
    if (el.localName === 'a' && el.hasAttribute('target') && el.getAttribute('target') !== '_blank')
      problems.push(`${where} target="${el.getAttribute('target')}"`);
  }
  return problems;
}

/** Whether the browser fetches `img` over the network (other schemes are reported by `dangerIn`). */
const fetched = (img: HTMLImageElement) =>
  !!img.getAttribute('src') && /^https?:$/.test(new URL(img.src, location.href).protocol);

/**
 * Waits until every fetched image under `root` has loaded or failed (lazy ones are asked to load
 * now), so an `onerror` payload would have run, then two frames.
 */
async function settle(root: Element): Promise<void> {
  const pending = deepElements(root)
    .filter(
      (el): el is HTMLImageElement => el instanceof HTMLImageElement && fetched(el) && !el.complete,
    )
    .map((img) => {
      const done = new Promise((resolve) => {
        img.addEventListener('load', resolve, { once: true });
        img.addEventListener('error', resolve, { once: true });
      });
      img.loading = 'eager';
      return done;
    });
  await Promise.all(pending);
  await nextFrame();
  await nextFrame();
}

/** Asserts nothing ran and nothing dangerous is left under `root`. */
async function expectHarmless(root: Element): Promise<void> {
  await settle(root);
  expect(window.__pwned, 'a payload ran').to.equal(undefined);
  expect(dangerIn(root)).to.deep.equal([]);
}

let nextId = 0;
const hostileAuthor: Author = { id: 'u-hostile', name: 'Hostile', handle: 'hostile' };

function makePost(overrides: Partial<Post> = {}): Post {
  nextId += 1;
  return {
    id: `inj-${nextId}`,
    threadId: 't-inj',
    author: hostileAuthor,
    createdAt: '2024-02-01T10:00:00Z',
    body: 'hello',
    ...overrides,
  };
}

async function postFixture(post: Post, quotedPost: Post | null = null): Promise<ParleyPost> {
  const el = await fixture<ParleyPost>(
    html`<parley-post .post=${post} .quotedPost=${quotedPost} .viewer=${post.author} .participants=${new Set(['hostile'])}></parley-post>`,
  );
  await el.updateComplete;
  return el;
}

/** Moves the real mouse over the middle of `el`. */
async function hover(el: Element): Promise<void> {
  el.scrollIntoView({ block: 'center' });
  const box = el.getBoundingClientRect();
  await sendMouse({
    type: 'move',
    position: [Math.round(box.x + box.width / 2), Math.round(box.y + Math.min(box.height / 2, 10))],
  });
}

beforeEach(() => delete window.__pwned);
afterEach(async () => {
  delete window.__pwned;
  await resetMouse();
});

describe('script injection', () => {
  describe('the checks themselves', () => {
    it('notice a payload that runs and markup that is dangerous', async () => {
      const host = await fixture<HTMLDivElement>(html`<div></div>`);
      const root = host.attachShadow({ mode: 'open' });
      root.innerHTML = `<p><img src="/no-such-image-for-injection-tests.png" onerror="${pwn('self-test')}"><a href=" JAVASCRIPT:void 0">x</a></p>`;
      await settle(host);
      expect(window.__pwned).to.equal('self-test');
      expect(dangerIn(host)).to.have.length(2);
    });
  });

  describe('post body', () => {
    for (const [name, body] of BODY_VECTORS) {
      it(`renders ${name} without running or keeping anything dangerous`, async () => {
        const el = await postFixture(makePost({ body }));
        await expectHarmless(el);
        for (const node of deepElements(inShadow(el, '[part="body"]'))) {
          if (
            node.localName === 'a' &&
            node.hasAttribute('href') &&
            !node.getAttribute('href')!.startsWith('#')
          ) {
            expect(node.getAttribute('rel'), node.outerHTML).to.equal(
              'nofollow ugc noopener noreferrer',
            );
            expect(node.getAttribute('target'), node.outerHTML).to.equal('_blank');
          }
        }
      });
    }

    it('rewrites target=_self to a new tab and drops other targets on in-page links', async () => {
      const el = await postFixture(
        makePost({
          body: '<a target="_self" href="https://ok.example/self">self</a> <a target="_top" href="#anchor">top</a>',
        }),
      );
      const [external, anchor] = inShadow(el, '[part="body"]').querySelectorAll('a');
      expect(external.getAttribute('target')).to.equal('_blank');
      expect(external.getAttribute('rel')).to.equal('nofollow ugc noopener noreferrer');
      expect(anchor.hasAttribute('target')).to.equal(false);
    });

    it('keeps the text of a stripped javascript: link and the safe autolinks', async () => {
      const el = await postFixture(
        makePost({ body: '[click me](javascript:alert(1)) and https://ok.example/path' }),
      );
      const body = inShadow(el, '[part="body"]');
      expect(body.textContent).to.contain('click me');
      const hrefs = [...body.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'));
      expect(hrefs).to.deep.equal(['https://ok.example/path']);
    });

    it('keeps https, mailto, in-page and relative URLs but not protocol-relative or backslash ones', async () => {
      const el = await postFixture(
        makePost({
          body:
            '[a](https://ok.example/a) [b](mailto:x@ok.example) [c](#post-1) [d](/docs) [e](./e) [f](../f) [g](//evil.example/g) ![h](//evil.example/h.png) ' +
            '<a href="/\\evil.example/i">i</a> <a href="\\\\evil.example/j">j</a> <a href="&#x2F;&#x5C;evil.example/k">k</a> <img alt="l" src="/\\evil.example/l.png">',
        }),
      );
      const body = inShadow(el, '[part="body"]');
      expect([...body.querySelectorAll('a')].map((a) => a.getAttribute('href'))).to.deep.equal([
        'https://ok.example/a',
        'mailto:x@ok.example',
        '#post-1',
        '/docs',
        './e',
        '../f',
      ]);
      // The refused links are gone; their text stays.
      expect(
        ['g', 'i', 'j', 'k'].map((text) => body.textContent!.includes(` ${text} `)),
      ).to.deep.equal([true, true, true, true]);
      expect([...body.querySelectorAll('img')].map((img) => img.hasAttribute('src'))).to.deep.equal(
        [false, false],
      );
    });

    it('shows HTML inside code as text', async () => {
      const el = await postFixture(makePost({ body: '`<img src=x onerror=alert(1)>`' }));
      expect(inShadow(el, '[part="body"] code').textContent).to.equal(
        '<img src=x onerror=alert(1)>',
      );
    });

    it('keeps only Parley’s own mention markup, not classes or data attributes from the author', async () => {
      const el = await postFixture(
        makePost({
          body: '<span class="mention" data-handle="hostile">@fake</span> <b class="button" data-x="1">b</b> @hostile',
        }),
      );
      const body = inShadow(el, '[part="body"]');
      expect(body.querySelectorAll('[data-x], .button').length).to.equal(0);
      const mentions = [...body.querySelectorAll('span.mention')];
      expect(mentions.map((m) => m.textContent)).to.include('@hostile');
    });

    it('does not let an author dress up other text as a participant mention', async () => {
      const el = await postFixture(
        makePost({
          body: '<span class="mention" data-handle="hostile">Official staff answer</span> and @hostile',
        }),
      );
      const body = inShadow(el, '[part="body"]');
      expect([...body.querySelectorAll('span.mention')].map((m) => m.textContent)).to.deep.equal([
        '@hostile',
      ]);
      expect([...body.querySelectorAll('[data-known]')].map((m) => m.textContent)).to.deep.equal([
        '@hostile',
      ]);
      expect(body.textContent).to.contain('Official staff answer');
    });

    it('allows no element ids, names or parts that could collide with the component’s own', async () => {
      const el = await postFixture(
        makePost({ body: '<p id="author" name="x" part="base" slot="login">spoof</p>' }),
      );
      const p = inShadow(el, '[part="body"] p');
      expect(p.hasAttribute('id')).to.equal(false);
      expect(p.hasAttribute('part')).to.equal(false);
      expect(p.hasAttribute('slot')).to.equal(false);
      expect(el.shadowRoot!.querySelectorAll('#author').length).to.equal(1);
      expect(el.shadowRoot!.querySelectorAll('[part="base"]').length).to.equal(1);
    });

    it('renders the same vectors harmlessly through renderMarkdown', async () => {
      const host = await fixture<HTMLDivElement>(html`<div></div>`);
      host.innerHTML = BODY_VECTORS.map(([, body]) => renderMarkdown(body)).join('\n');
      await expectHarmless(host);
    });
  });

  describe('author name and handle', () => {
    it('renders a hostile name and handle as text', async () => {
      const name = `<img src=x onerror="${pwn('name')}">`;
      const handle = `"><script>${pwn('handle')}</script>`;
      const el = await postFixture(makePost({ author: { id: 'u-h', name, handle } }));
      expect(inShadow(el, '[part="author"]').textContent).to.equal(name);
      expect(inShadow(el, '[part="author"]').childElementCount).to.equal(0);
      expect(inShadow(el, '[part="handle"]').textContent).to.equal(`@${handle}`);
      expect(inShadow(el, '[part="handle"]').childElementCount).to.equal(0);
      expect(inShadow(el, '[part="actions"]').getAttribute('aria-label')).to.equal(
        `Actions for the post by ${name}`,
      );
      await expectHarmless(el);
    });
  });

  describe('avatar URL', () => {
    const urls: [string, string][] = [
      ['javascript:', `javascript:${pwn('avatar')}`],
      ['data:text/html', `data:text/html,<script>${pwn('avatar-data')}</script>`],
      [
        'data:image/svg+xml',
        `data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="${pwn('avatar-svg')}"/>`,
      ],
      ['mixed-case JAVASCRIPT: with spaces', ` JAVASCRIPT:${pwn('avatar-case')}`],
      ['vbscript:', 'vbscript:msgbox(1)'],
      ['blob:', 'blob:https://ok.example/1234'],
    ];
    for (const [name, url] of urls) {
      it(`shows initials for a ${name} avatar URL`, async () => {
        const el = await postFixture(makePost({ author: { ...hostileAuthor, avatarUrl: url } }));
        const avatar = inShadow(el, '[part="avatar"]');
        expect(avatar.querySelector('img') !== null, 'img is rendered').to.equal(false);
        expect(avatar.textContent!.trim()).to.equal('H');
        await expectHarmless(el);
      });
    }

    it('cannot break out of the src attribute with a quote', async () => {
      const el = await postFixture(
        makePost({ author: { ...hostileAuthor, avatarUrl: `" onerror="${pwn('avatar-attr')}` } }),
      );
      const img = el.shadowRoot!.querySelector('[part="avatar"] img');
      if (img) {
        expect(img.getAttributeNames().sort()).to.deep.equal([
          'alt',
          'loading',
          'referrerpolicy',
          'src',
        ]);
        expect(new URL(img.getAttribute('src')!).protocol).to.match(/^https?:$/);
      }
      await expectHarmless(el);
      // The image cannot load, so the initials show.
      await waitUntil(
        () => !el.shadowRoot!.querySelector('[part="avatar"] img'),
        'the broken avatar stayed',
      );
      expect(window.__pwned).to.equal(undefined);
    });
  });

  describe('quote text', () => {
    it('renders a hostile excerpt as text in the post’s quote', async () => {
      const quoted = makePost({ body: 'original' });
      const text = `<img src=x onerror="${pwn('quote')}"><script>${pwn('quote-script')}</script>`;
      const el = await postFixture(makePost({ quote: { postId: quoted.id, text } }), quoted);
      const quote = inShadow<ParleyQuote>(el, 'parley-quote');
      await quote.updateComplete;
      const excerpt = inShadow(quote, '[part="excerpt"]');
      expect(excerpt.textContent).to.equal(text);
      expect(excerpt.childElementCount).to.equal(0);
      await expectHarmless(el);
    });

    it('renders a hostile excerpt and author as text in the composer', async () => {
      const text = `<img src=x onerror="${pwn('attached')}">`;
      const el = await fixture<ParleyComposer>(html`<parley-composer
        .viewer=${hostileAuthor}
        .quote=${{ postId: 'x', text, author: { id: 'u-q', name: `<b onclick="${pwn('q-name')}">n</b>` } }}
      ></parley-composer>`);
      const attached = inShadow(el, '[part="attached-quote"]');
      expect(attached.querySelector('.excerpt')!.textContent).to.equal(text);
      expect(attached.querySelector('strong')!.textContent).to.equal(
        `Quoting <b onclick="${pwn('q-name')}">n</b>`,
      );
      await expectHarmless(el);
    });
  });

  describe('preview tab', () => {
    it('previews every body vector without running or keeping anything dangerous', async () => {
      const el = await fixture<ParleyComposer>(
        html`<parley-composer .viewer=${hostileAuthor} no-draft></parley-composer>`,
      );
      await typeInto(el, BODY_VECTORS.map(([, body]) => body).join('\n\n'));
      const previewTab = [
        ...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="tab"]'),
      ].find((t) => t.textContent!.trim() === 'Preview')!;
      previewTab.click();
      await el.updateComplete;
      expect(inShadow(el, '[part="preview"]').textContent).to.contain('click');
      await expectHarmless(el);
    });
  });

  describe('quote popover', () => {
    it('shows a hostile quoted post harmlessly when Jump is focused and when the quote is hovered', async () => {
      const hostileBody = BODY_VECTORS.map(([, body]) => body).join('\n\n');
      const quoted = makePost({
        body: hostileBody,
        author: { id: 'u-q', name: `<img src=x onerror="${pwn('popover-name')}">`, handle: 'q' },
      });
      const el = await fixture<ParleyQuote>(
        html`<parley-quote .quote=${{ postId: quoted.id, text: 'excerpt' }} .post=${quoted}></parley-quote>`,
      );
      const popover = inShadow(el, '[part="popover"]');

      inShadow<HTMLButtonElement>(el, '[part="jump"]').focus();
      await el.updateComplete;
      expect(popover.hidden).to.equal(false);
      expect(popover.querySelector('.name')!.textContent).to.equal(quoted.author.name);
      expect(popover.querySelector('.content')!.textContent).to.contain('click');
      await expectHarmless(el);

      inShadow<HTMLButtonElement>(el, '[part="jump"]').blur();
      await el.updateComplete;
      expect(popover.hidden).to.equal(true);
      await hover(inShadow(el, '[part="base"]'));
      await waitUntil(() => !popover.hidden, 'hovering did not open the popover');
      await hover(popover);
      await expectHarmless(el);
      expect(popover.hidden).to.equal(false);
    });
  });

  describe('<parley-thread> on a MemoryAdapter with hostile posts', () => {
    function hostileAdapter(): MemoryAdapter {
      const data = seed();
      data.threads[0].title = `<img src=x onerror="${pwn('title')}">Social Media Access`;
      const evil: Author = {
        id: 'u-evil',
        name: `<img src=x onerror="${pwn('name')}">Eve`,
        handle: 'eve_evil',
        avatarUrl: `javascript:${pwn('avatar')}`,
      };
      const mallory: Author = {
        id: 'u-mallory',
        name: `"><svg onload="${pwn('name2')}">`,
        handle: 'mallory.m',
        avatarUrl: `data:text/html,<script>${pwn('avatar-data')}</script>`,
      };
      const trudy: Author = {
        id: 'u-trudy',
        name: `Trudy <script>${pwn('name3')}</script>`,
        handle: 'trudy-t',
        avatarUrl: `" onerror="${pwn('avatar-attr')}`,
      };
      const hostile = BODY_VECTORS.map(([, body]) => body);
      const posts: Post[] = [
        {
          id: 'h1',
          threadId: THREAD_ID,
          author: evil,
          createdAt: '2019-02-01T10:00:00Z',
          body: hostile.slice(0, 10).join('\n\n'),
        },
        {
          id: 'h2',
          threadId: THREAD_ID,
          author: mallory,
          createdAt: '2019-02-01T11:00:00Z',
          parentId: 'h1',
          quote: {
            postId: 'h1',
            text: `<img src=x onerror="${pwn('quote')}"><script>${pwn('quote2')}</script>`,
          },
          body: `@eve_evil ${hostile.slice(10, 20).join('\n\n')}`,
        },
        {
          id: 'h3',
          threadId: THREAD_ID,
          author: trudy,
          createdAt: '2019-02-01T12:00:00Z',
          parentId: 'h2',
          quote: { postId: 'h2', text: `[x](javascript:${pwn('quote-md')})` },
          body: hostile.slice(20).join('\n\n'),
        },
        {
          id: 'h4',
          threadId: THREAD_ID,
          author: evil,
          createdAt: '2019-02-01T13:00:00Z',
          parentId: 'h3',
          quote: {
            postId: 'p2',
            text: `<iframe srcdoc="<script>parent.${pwn('quote-iframe')}</script>">`,
          },
          body: '<a target=_self href="https://ok.example">self</a>',
        },
      ];
      data.users.push(evil, mallory, trudy);
      return new MemoryAdapter({
        ...data,
        posts: [...data.posts, ...posts],
        viewer: { user: evil },
      });
    }

    it('renders, hovers and focuses everything without running a payload', async () => {
      const el = await threadFixture(hostileAdapter(), { maxDepth: 2 });
      await waitUntil(
        () => el.shadowRoot!.querySelector('parley-post[data-post-id="h4"]'),
        'the hostile posts did not render',
      );
      expect(inShadow(el, '[part="title"]').textContent).to.contain('<img src=x onerror=');
      expect(inShadow(postIn(el, 'h1'), '[part="author"]').textContent).to.equal(
        `<img src=x onerror="${pwn('name')}">Eve`,
      );
      for (const id of ['h1', 'h2', 'h3', 'h4']) await postIn(el, id).updateComplete;
      await expectHarmless(el);

      // Hover every quote until its popover shows the quoted post.
      for (const id of ['h2', 'h3', 'h4']) {
        const quote = inShadow<ParleyQuote>(postIn(el, id), 'parley-quote');
        await waitUntil(
          () => quote.shadowRoot!.querySelector('[part="jump"]'),
          `the quote in ${id} did not resolve`,
        );
        await hover(inShadow(quote, '[part="base"]'));
        await waitUntil(
          () => !inShadow(quote, '[part="popover"]').hidden,
          `the popover of ${id} did not open`,
        );
        await expectHarmless(el);
        await resetMouse();
        await waitUntil(
          () => inShadow(quote, '[part="popover"]').hidden,
          `the popover of ${id} did not close`,
        );
      }

      // Focus everything that can take focus.
      for (const target of deepElements(el).filter(
        (n): n is HTMLElement =>
          n instanceof HTMLElement && n.matches('button, a[href], textarea, [tabindex]'),
      )) {
        target.focus();
        await nextFrame();
      }
      await expectHarmless(el);

      // Reply to and quote the hostile post: its name reaches a label, its text the composer.
      const h1 = postIn(el, 'h1');
      inShadow<HTMLButtonElement>(h1, '[data-action="reply"]').click();
      await waitUntil(
        () => el.shadowRoot!.querySelector('.reply-box parley-composer'),
        'no reply box opened',
      );
      const replyBox = el.shadowRoot!.querySelector<ParleyComposer>('.reply-box parley-composer')!;
      await replyBox.updateComplete;
      expect(inShadow(replyBox, 'textarea').getAttribute('aria-label')).to.equal(
        `Reply to <img src=x onerror="${pwn('name')}">Eve`,
      );
      inShadow<HTMLButtonElement>(h1, '[data-action="quote"]').click();
      const composer = mainComposer(el);
      await waitUntil(
        () => composer.shadowRoot!.querySelector('[part="attached-quote"]'),
        'the quote was not attached',
      );
      expect(inShadow(composer, '[part="attached-quote"] strong').textContent).to.equal(
        'Quoting @eve_evil',
      );

      // And preview it.
      await typeInto(composer, BODY_VECTORS.map(([, body]) => body).join('\n\n'));
      [...composer.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="tab"]')]
        .find((t) => t.textContent!.trim() === 'Preview')!
        .click();
      await composer.updateComplete;
      await expectHarmless(el);
    });

    it('publishes a hostile reply that renders harmlessly', async () => {
      const el = await threadFixture(hostileAdapter());
      const composer = mainComposer(el);
      const body = BODY_VECTORS.map(([, b]) => b).join('\n\n');
      await typeInto(composer, body);
      const created = new Promise<Post>((resolve) =>
        el.addEventListener('parley-post-created', (e) => resolve(e.detail.post), { once: true }),
      );
      inShadow<HTMLButtonElement>(composer, '[part="submit"]').click();
      const post = await created;
      await waitUntil(
        () => el.shadowRoot!.querySelector(`parley-post[data-post-id="${post.id}"]`),
        'the reply was not shown',
      );
      await postIn(el, post.id).updateComplete;
      await expectHarmless(el);
    });
  });
});
