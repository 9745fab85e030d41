/**
 * The markdown parser on first use: this page loads the post element alone (not the package's
 * main module, which brings the parser with it), as `dist/parley.js` does. A post with the
 * backend's `html` shows without the parser; one without waits for it, and `updateComplete`
 * covers the wait.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/post/post.js';
import { markdownReady, renderMarkdown } from '../../src/content/markdown.js';
import type { ParleyPost } from '../../src/components/post/post.component.js';
import type { Post } from '../../src/model/types.js';

const author = { id: 'u1', name: 'Ada' };
const post = (id: string, more: Partial<Post>): Post => ({
  id,
  threadId: 'lazy',
  author,
  createdAt: '2026-01-01T00:00:00Z',
  body: '',
  ...more,
});
const bodyOf = (el: ParleyPost) => el.shadowRoot!.querySelector('[part="body"]')!;

describe('the markdown parser, loaded on first use', () => {
  it('is not loaded by a post that came with html, and loads for one without', async () => {
    expect(markdownReady(), 'nothing loaded it yet').to.equal(false);
    expect(() => renderMarkdown('x')).to.throw(/await loadMarkdown\(\) first/);

    const rendered = await fixture<ParleyPost>(
      html`<parley-post .post=${post('h', { body: 'ignored', html: '<p><b>From html</b></p>' })}></parley-post>`,
    );
    expect(bodyOf(rendered).querySelector('b')?.textContent).to.equal('From html');
    expect(markdownReady(), 'html needs no parser').to.equal(false);

    const parsed = await fixture<ParleyPost>(
      html`<parley-post .post=${post('m', { body: '**From markdown**' })}></parley-post>`,
    );
    // updateComplete (which fixture awaits) waited for the parser and the render after it.
    expect(markdownReady()).to.equal(true);
    expect(bodyOf(parsed).querySelector('strong')?.textContent).to.equal('From markdown');
    expect(renderMarkdown('_x_')).to.equal('<p><em>x</em></p>\n');
  });
});
