/**
 * The markdown path's URL rules and image policy, checked the way the browser reads them: each
 * case is rendered into the document and the resolved `.href` / `.src` of every link and image is
 * what is asserted, not the markup. (Assertions compare strings and booleans, never elements.)
 */
import { expect, fixture, html, nextFrame } from '@open-wc/testing';
import DOMPurify from 'dompurify';
import { ParleyError } from '../../src/model/errors.js';
import {
  LINK_REL,
  parseImagePolicy,
  renderMarkdown,
  renderPost,
  type ImagePolicy,
} from '../../src/content/markdown.js';
import '../../src/content/markdown-ready.js';

/**
 * Renders `source` into a fresh element in the document; a `hidden` one resolves URLs just the same
 * but does not fetch its lazy images.
 */
async function rendered(
  source: string,
  options?: Parameters<typeof renderMarkdown>[1],
  hidden = false,
): Promise<HTMLDivElement> {
  const host = await fixture<HTMLDivElement>(html`<div ?hidden=${hidden}></div>`);
  host.innerHTML = renderMarkdown(source, options);
  return host;
}

/** Each link as `text -> resolved href`. */
const linksIn = (root: Element) =>
  [...root.querySelectorAll('a')].map(
    (a) => `${a.textContent} -> ${a.hasAttribute('href') ? a.href : '(none)'}`,
  );

/** Each image's resolved `src` (or `(none)`). */
const imagesIn = (root: Element) =>
  [...root.querySelectorAll('img')].map((img) => (img.hasAttribute('src') ? img.src : '(none)'));

/** How the URL parser reads the start of a URL: without ASCII whitespace and control characters. */
const compact = (url: string) => url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();

/** Decodes HTML character references the way an attribute value is read. */
const decoded = (text: string) => {
  const t = document.createElement('textarea');
  t.innerHTML = text;
  return t.value;
};

/**
 * URLs that must never leave this origin. Each is tried as a markdown link, a markdown image, an
 * HTML link and an HTML image.
 */
const HOSTILE_URLS: [string, string][] = [
  ['a protocol-relative URL', '//evil.example/a'],
  ['a protocol-relative URL with leading spaces', '   //evil.example/a'],
  ['slash backslash', '/\\evil.example/a'],
  ['two backslashes', '\\\\evil.example/a'],
  ['slash backslash slash', '/\\/evil.example/a'],
  ['backslash slash', '\\/evil.example/a'],
  ['slash backslash backslash', '/\\\\evil.example/a'],
  ['a slash, a tab and a slash', '/\t/evil.example/a'],
  ['a slash, a newline and a backslash', '/\n\\evil.example/a'],
  ['a slash, a carriage return and a slash', '/\r/evil.example/a'],
  ['a control character between the slashes', '/\u0001/evil.example/a'],
  ['a leading control character', '\u0001//evil.example/a'],
  ['a no-break space between the slashes', '/\u00a0/evil.example/a'],
  ['an encoded backslash', '/%5Cevil.example/a'],
  ['encoded slashes', '%2F%2Fevil.example/a'],
  ['an encoded slash and backslash', '%2F%5Cevil.example/a'],
  ['hex entities for slash and backslash', '&#x2F;&#x5C;evil.example/a'],
  ['decimal entities for two backslashes', '&#92;&#92;evil.example/a'],
  ['a slash and a decimal entity backslash', '/&#92;evil.example/a'],
  ['named entities for slashes', '&sol;&bsol;evil.example/a'],
  ['an entity tab between the slashes', '/&#9;/evil.example/a'],
  ['a javascript: URL with a tab', 'java\tscript:alert(1)'],
  ['a javascript: URL with an entity newline', 'java&#10;script:alert(1)'],
  ['an upper-case JAVASCRIPT: URL with leading spaces', '  JAVASCRIPT:alert(1)'],
  ['a data: URL', 'data:text/html,<b>x</b>'],
  ['an upper-case DATA: image', 'DATA:image/png;base64,iVBORw0KGgo='],
  ['a vbscript: URL', 'vbscript:msgbox(1)'],
  ['a file: URL', 'file:///etc/passwd'],
  ['an ftp: URL', 'ftp://evil.example/a'],
  ['a blob: URL', 'blob:https://evil.example/1'],
  ['a bare relative path', 'evil.example/a'],
  ['a dot and a backslash', '.\\evil.example'],
];

/** The four ways a URL gets into a post. */
function forms(url: string): string[] {
  const inMarkdown = url.replace(/\t/g, '%09').replace(/\n/g, '%0A').replace(/\r/g, '%0D');
  return [
    `[link](${inMarkdown})`,
    `![image](${inMarkdown})`,
    `<a href="${url}">html link</a>`,
    `<img alt="html image" src="${url}">`,
  ];
}

/**
 * Every URL the browser resolved under `root` that is neither on this origin nor an https:,
 * http: or mailto: URL whose scheme `literal` spells out.
 */
function escapes(root: Element, literal: string): string[] {
  const urls = [
    ...[...root.querySelectorAll('a[href]')].map((a) => (a as HTMLAnchorElement).href),
    ...[...root.querySelectorAll('img[src]')].map((img) => (img as HTMLImageElement).src),
  ];
  return urls.filter((resolved) => {
    const url = new URL(resolved);
    if (url.origin === location.origin) return false;
    return !(
      ['https:', 'http:', 'mailto:'].includes(url.protocol) &&
      compact(decoded(literal)).startsWith(url.protocol)
    );
  });
}

describe('markdown', () => {
  describe('link and image URLs', () => {
    for (const [name, url] of HOSTILE_URLS) {
      it(`keeps ${name} (${JSON.stringify(url)}) on this origin`, async () => {
        // Hidden, so the test server is not asked for the same-origin paths (`/%5Cevil.example/a`).
        const host = await rendered(forms(url).join('\n\n'), undefined, true);
        expect(escapes(host, url), host.innerHTML).to.deep.equal([]);
        const hosts = [
          ...host.querySelectorAll<HTMLAnchorElement | HTMLImageElement>('a[href], img[src]'),
        ].map((el) => new URL(el instanceof HTMLAnchorElement ? el.href : el.src).hostname);
        expect(hosts, host.innerHTML).not.to.include('evil.example');
      });
    }

    it('removes a link whose URL fails but keeps its text', async () => {
      const host = await rendered(
        '[first](//evil.example) and <a href="&#x2F;&#x5C;evil.example">second</a> and [third](javascript:alert(1))',
      );
      expect(host.querySelectorAll('a').length).to.equal(0);
      expect(host.textContent!.trim()).to.equal('first and second and third');
    });

    it('drops the source of an image whose URL fails, so it makes no request', async () => {
      const host = await rendered('<img alt="kept alt" src="/\\evil.example/i.png">');
      expect(imagesIn(host)).to.deep.equal(['(none)']);
      expect(host.querySelector('img')!.alt).to.equal('kept alt');
    });

    it('keeps paths on this site, fragments and queries as written', async () => {
      const host = await rendered(
        '[a](/docs) [b](./b) [c](../c) [d](#post-1) [e](?page=2) [f](/a//b) ![g](/g.png) ![h](./h.png)',
      );
      expect([...host.querySelectorAll('a')].map((a) => a.getAttribute('href'))).to.deep.equal([
        '/docs',
        './b',
        '../c',
        '#post-1',
        '?page=2',
        '/a//b',
      ]);
      expect(
        [...host.querySelectorAll('a')].every((a) => new URL(a.href).origin === location.origin),
      ).to.equal(true);
      expect(imagesIn(host)).to.deep.equal([
        new URL('/g.png', location.href).href,
        new URL('./h.png', location.href).href,
      ]);
    });

    it('keeps https:, http: and mailto: URLs the author wrote out, in any case', async () => {
      const host = await rendered(
        '[a](https://ok.example/a) [b](HTTP://ok.example/b) [c](mailto:x@ok.example) <a href="HtTpS://ok.example/d">d</a> https://ok.example/e ![f](HTTPS://ok.example/f.png)',
      );
      expect(linksIn(host)).to.deep.equal([
        'a -> https://ok.example/a',
        'b -> http://ok.example/b',
        'c -> mailto:x@ok.example',
        'd -> https://ok.example/d',
        'https://ok.example/e -> https://ok.example/e',
      ]);
      expect(imagesIn(host)).to.deep.equal(['https://ok.example/f.png']);
    });

    it('opens links in a new tab with rel, but not links to a fragment', async () => {
      const host = await rendered(
        '[out](https://ok.example/) [mail](mailto:x@ok.example) [site](/docs) [here](#post-1)',
      );
      const [out, mail, site, here] = [...host.querySelectorAll('a')];
      expect([out, mail, site].map((a) => `${a.target} ${a.rel}`)).to.deep.equal(
        Array(3).fill(`_blank ${LINK_REL}`),
      );
      expect(here.hasAttribute('target')).to.equal(false);
      expect(here.hasAttribute('rel')).to.equal(false);
    });

    it('loads images lazily, asynchronously and without a referrer', async () => {
      const host = await rendered(
        '![a](https://ok.example/a.png) <img src="/b.png" alt="b" loading="eager" referrerpolicy="unsafe-url">',
      );
      expect(
        [...host.querySelectorAll('img')].map(
          (img) => `${img.loading} ${img.decoding} ${img.referrerPolicy}`,
        ),
      ).to.deep.equal(Array(2).fill('lazy async no-referrer'));
    });

    it('strips background images from tables and cells', async () => {
      const host = await rendered(
        '<table background="https://evil.example/t.png"><tr><td background="https://evil.example/c.png">x</td></tr></table>',
      );
      expect(host.querySelectorAll('[background]').length).to.equal(0);
      expect(host.textContent!.trim()).to.equal('x');
    });

    it('keeps the table alignment and list start that markdown writes', async () => {
      const host = await rendered('| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n3. three\n4. four');
      expect(
        [...host.querySelectorAll('th, td')].map((cell) => cell.getAttribute('align')),
      ).to.deep.equal(['center', 'right', 'center', 'right']);
      expect(host.querySelector('ol')!.start).to.equal(3);
    });
  });

  describe('parseImagePolicy', () => {
    const valid: [string | null | undefined, ImagePolicy][] = [
      [undefined, { mode: 'load' }],
      [null, { mode: 'load' }],
      ['', { mode: 'load' }],
      ['   ', { mode: 'load' }],
      ['off', { mode: 'off' }],
      [' OFF ', { mode: 'off' }],
      [
        'https://img.example/proxy?url={url}',
        { mode: 'proxy', template: 'https://img.example/proxy?url={url}' },
      ],
      [' HTTP://img.example/{url} ', { mode: 'proxy', template: 'HTTP://img.example/{url}' }],
      ['/image-proxy?u={url}&w=800', { mode: 'proxy', template: '/image-proxy?u={url}&w=800' }],
    ];
    for (const [attribute, policy] of valid) {
      it(`reads ${JSON.stringify(attribute)} as ${JSON.stringify(policy)}`, () => {
        expect(parseImagePolicy(attribute)).to.deep.equal(policy);
      });
    }

    const invalid = [
      'on',
      'none',
      'https://img.example/proxy',
      'https://img.example/proxy?url={URL}',
      '//img.example/{url}',
      '/\\img.example/{url}',
      '\\\\img.example/{url}',
      'https://{url}/',
      'https://img.{url}.example/',
      'https://img.example:{url}/',
      'javascript:{url}',
      'data:text/html,{url}',
      'mailto:{url}',
      'ftp://img.example/{url}',
      'proxy/{url}',
      './proxy/{url}',
      'https://img.example/ proxy/{url}',
      'java\tscript:{url}',
    ];
    for (const attribute of invalid) {
      it(`refuses ${JSON.stringify(attribute)} with a message for the site owner`, () => {
        let error: unknown;
        try {
          parseImagePolicy(attribute);
        } catch (e) {
          error = e;
        }
        expect(error instanceof ParleyError, String(error)).to.equal(true);
        const { code, field, message } = error as ParleyError;
        expect({ code, field }).to.deep.equal({ code: 'invalid', field: 'image-proxy' });
        for (const part of ['image-proxy', '"off"', '{url}', 'https://'])
          expect(message).to.contain(part);
      });
    }
  });

  describe('image policy', () => {
    const remote = 'https://img.example/cat.png?size=big&x=1';
    const post = `![cat](${remote}) ![](https://img.example/no-alt.png) ![local](/local.png) ![relative](./relative.png)`;
    const local = [
      new URL('/local.png', location.href).href,
      new URL('./relative.png', location.href).href,
    ];

    it('loads remote images by default', async () => {
      const host = await rendered(post);
      expect(imagesIn(host)).to.deep.equal([remote, 'https://img.example/no-alt.png', ...local]);
      expect(imagesIn(await rendered(post, { images: { mode: 'load' } }))).to.deep.equal(
        imagesIn(host),
      );
    });

    it('turns remote images into links with off, and keeps images on this site', async () => {
      const host = await rendered(post, { images: { mode: 'off' } });
      expect(imagesIn(host)).to.deep.equal(local);
      expect(linksIn(host)).to.deep.equal([
        `cat -> ${remote}`,
        'Image -> https://img.example/no-alt.png',
      ]);
      expect([...host.querySelectorAll('a')].map((a) => `${a.target} ${a.rel}`)).to.deep.equal(
        Array(2).fill(`_blank ${LINK_REL}`),
      );
    });

    it('labels an image without alt text with the label it is given', async () => {
      const host = await rendered('![](https://img.example/x.png)', {
        images: { mode: 'off' },
        imageLabel: 'Bild',
      });
      expect(linksIn(host)).to.deep.equal(['Bild -> https://img.example/x.png']);
    });

    it('keeps the title of an image on its link', async () => {
      const host = await rendered('![cat](https://img.example/cat.png "A cat")', {
        images: { mode: 'off' },
      });
      expect(host.querySelector('a')!.title).to.equal('A cat');
    });

    it('shows the alt text of a remote image inside a link, without nesting links', async () => {
      const host = await rendered(
        '[![cat](https://img.example/cat.png)](https://ok.example/page)',
        { images: { mode: 'off' } },
      );
      expect(imagesIn(host)).to.deep.equal([]);
      expect(linksIn(host)).to.deep.equal(['cat -> https://ok.example/page']);
    });

    it('routes remote images through the proxy, encoding their absolute URL', async () => {
      const template = 'https://proxy.example/img?url={url}&w=800';
      const host = await rendered(post, { images: { mode: 'proxy', template } });
      expect(imagesIn(host)).to.deep.equal([
        `https://proxy.example/img?url=${encodeURIComponent(remote)}&w=800`,
        `https://proxy.example/img?url=${encodeURIComponent('https://img.example/no-alt.png')}&w=800`,
        ...local,
      ]);
      expect(host.querySelectorAll('a').length).to.equal(0);
    });

    it('routes remote images through a proxy on this site', async () => {
      const host = await rendered(`![cat](${remote})`, {
        images: parseImagePolicy('/image-proxy?u={url}'),
      });
      expect(imagesIn(host)).to.deep.equal([
        new URL(`/image-proxy?u=${encodeURIComponent(remote)}`, location.href).href,
      ]);
    });

    it('shows links instead when a hand-built proxy template is not allowed', async () => {
      const host = await rendered(`![cat](${remote})`, {
        images: { mode: 'proxy', template: '//evil.example/{url}' },
      });
      expect(imagesIn(host)).to.deep.equal([]);
      expect(linksIn(host)).to.deep.equal([`cat -> ${remote}`]);
    });

    it('never proxies or hides a hostile image source: it has none', async () => {
      for (const images of [
        { mode: 'off' },
        { mode: 'proxy', template: 'https://proxy.example/{url}' },
      ] as ImagePolicy[]) {
        const host = await rendered(
          '<img alt="x" src="/\\evil.example/x.png"> ![y](javascript:alert(1))',
          { images },
        );
        expect(imagesIn(host)).to.deep.equal(['(none)', '(none)']);
        expect(host.querySelectorAll('a').length).to.equal(0);
      }
    });

    it('caches a post once per image policy, so threads with different policies never mix', async () => {
      const p = {
        id: 'p-cache',
        threadId: 't-cache',
        body: `![cat](${remote}) ![](https://img.example/no-alt.png) ![](/local.png)`,
        createdAt: '2024-01-01T00:00:00Z',
      };
      const policies: ImagePolicy[] = [
        { mode: 'load' },
        { mode: 'off' },
        { mode: 'proxy', template: 'https://a.example/{url}' },
        { mode: 'proxy', template: 'https://b.example/{url}' },
      ];
      const first = policies.map((images) => renderPost(p, { images }));
      const again = [...policies]
        .reverse()
        .map((images) => renderPost(p, { images }))
        .reverse();
      // The same fragment each time (it is cached), one per policy.
      for (const [i, fragment] of again.entries()) expect(fragment).to.equal(first[i]);
      expect(new Set(first).size).to.equal(policies.length);
      expect(renderPost(p)).to.equal(first[0]);
      const htmlOf = (fragment: DocumentFragment | undefined) => {
        const holder = document.createElement('div');
        holder.append(fragment!.cloneNode(true));
        return holder.innerHTML;
      };
      const html = first.map(htmlOf);
      expect(html.map((body) => body.includes('src="https://img.example/'))).to.deep.equal([
        true,
        false,
        false,
        false,
      ]);
      expect(html[2]).to.contain('https://a.example/');
      expect(html[3]).to.contain('https://b.example/');
      expect(renderPost(p, { images: { mode: 'off' }, imageLabel: 'Bild' })).not.to.equal(first[1]);
    });
  });

  describe('requests', () => {
    // The test server's own port on 127.0.0.1 is another origin than the page's localhost.
    const remoteBase = `http://127.0.0.1:${location.port}/test/content`;

    /** The resource timing entries whose URL contains `marker`, after the page has had time to fetch. */
    async function requestsFor(marker: string): Promise<string[]> {
      for (let i = 0; i < 10; i += 1) await nextFrame();
      await new Promise((resolve) => setTimeout(resolve, 200));
      return performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .filter((name) => name.includes(marker));
    }

    /** Resolves when every image under `root` has loaded or failed. */
    const settled = (root: Element) =>
      Promise.all(
        [...root.querySelectorAll('img')].map(
          (img) =>
            new Promise((resolve) =>
              img.complete
                ? resolve(null)
                : (img.addEventListener('load', resolve), img.addEventListener('error', resolve)),
            ),
        ),
      );

    before(() => performance.setResourceTimingBufferSize(10000));

    it('sees the request a loaded remote image makes (the check works)', async () => {
      const host = await rendered(`![probe](${remoteBase}/probe-load.png)`);
      await settled(host);
      expect(await requestsFor('probe-load')).to.deep.equal([`${remoteBase}/probe-load.png`]);
    });

    it('makes no request to the image host with off', async () => {
      const host = await rendered(
        `![probe](${remoteBase}/probe-off.png) ![](${remoteBase}/probe-off-2.png)`,
        { images: { mode: 'off' } },
      );
      expect(host.querySelectorAll('a').length).to.equal(2);
      expect(await requestsFor('probe-off')).to.deep.equal([]);
    });

    it('asks only the proxy with proxy', async () => {
      const host = await rendered(`![probe](${remoteBase}/probe-proxy.png)`, {
        images: { mode: 'proxy', template: '/test/content/proxied.png?u={url}' },
      });
      await settled(host);
      expect(await requestsFor('probe-proxy')).to.deep.equal([
        new URL(
          `/test/content/proxied.png?u=${encodeURIComponent(`${remoteBase}/probe-proxy.png`)}`,
          location.href,
        ).href,
      ]);
    });

    it('makes no request while rendering to a string', async () => {
      renderMarkdown(`![probe](${remoteBase}/probe-string.png)`);
      renderMarkdown(`![probe](${remoteBase}/probe-string.png)`, {
        images: { mode: 'proxy', template: `${remoteBase}/probe-string-proxy?u={url}` },
      });
      expect(await requestsFor('probe-string')).to.deep.equal([]);
    });
  });

  describe('sanitiser', () => {
    const hostile =
      '<style>p{}</style><p id="x" style="color:red" class="mention" onclick="alert(1)">' +
      '<a href="javascript:alert(1)">link</a> <span class="mention" data-handle="ana">@ana</span>' +
      ' <img src="https://images.example/a.png" srcset="https://evil.example/b.png 2x"></p>';
    const clean =
      '<p>link <span class="mention" data-handle="ana">@ana</span>' +
      ' <img src="https://images.example/a.png" loading="lazy" decoding="async"' +
      ' referrerpolicy="no-referrer"></p>';

    it('applies the same rules and hooks on every render, however many', () => {
      expect(renderMarkdown(hostile)).to.equal(clean);
      for (let i = 0; i < 200; i++)
        renderMarkdown(`Post ${i} with [a link](https://example.com/${i})`);
      expect(renderMarkdown(hostile)).to.equal(clean);
      expect(renderMarkdown('[out](https://example.com/)')).to.equal(
        `<p><a href="https://example.com/" target="_blank" rel="${LINK_REL}">out</a></p>\n`,
      );
    });

    it("keeps its rules when the page configures its own DOMPurify, and leaves the page's alone", () => {
      DOMPurify.setConfig({ ADD_TAGS: ['style'], ADD_ATTR: ['style', 'onclick'] });
      try {
        expect(renderMarkdown(hostile)).to.equal(clean);
        expect(DOMPurify.sanitize('<p style="color:red">x</p>')).to.equal(
          '<p style="color:red">x</p>',
        );
        expect(DOMPurify.sanitize('<a href="https://example.com/">x</a>')).to.equal(
          '<a href="https://example.com/">x</a>',
        );
      } finally {
        DOMPurify.clearConfig();
      }
    });
  });
});
