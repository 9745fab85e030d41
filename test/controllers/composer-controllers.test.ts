/**
 * The composer's controllers on a bare host: each one's behaviour without the composer around it.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { MentionSuggestionsController } from '../../src/controllers/mention-suggestions.js';
import type { Author } from '../../src/index.js';

const dalya: Author = { id: 'u1', name: 'Dalya Qualls', handle: 'dqualls' };
const dan: Author = { id: 'u2', name: 'Dan Hinmon', handle: 'DanHinmon' };
const mira: Author = { id: 'u3', name: 'Mira Ellis', handle: 'mellis' };
const people = [dalya, dan, mira];

/** A text field and the list its `aria-controls` names, rendered from the controller's state. */
class MentionHost extends LitElement {
  readonly mentions = new MentionSuggestionsController(this);
  inputs = 0;
  protected override render() {
    const { suggestions, active } = this.mentions;
    return html`<textarea
        aria-label="Reply"
        aria-controls="list"
        @input=${() => this.inputs++}
      ></textarea>
      <ul id="list" role="listbox" aria-label="People" hidden>
        ${suggestions.map(
          (p, i) =>
            html`<li role="option" aria-selected=${i === active ? 'true' : 'false'}>
              ${p.handle}
            </li>`,
        )}
      </ul>`;
  }
}
customElements.define('bare-mention-host', MentionHost);

async function mentionHost() {
  const host = await fixture<MentionHost>(html`<bare-mention-host></bare-mention-host>`);
  const field = host.shadowRoot!.querySelector('textarea')!;
  const list = host.shadowRoot!.querySelector('ul')!;
  /** Puts `text` in the field with the caret at its end, as typing would, and asks for suggestions. */
  const type = async (text: string) => {
    field.focus();
    field.value = text;
    field.setSelectionRange(text.length, text.length);
    host.mentions.update(field, people);
    await host.updateComplete;
  };
  const shown = () =>
    [...list.querySelectorAll('li')].map(
      (li) => `${li.textContent!.trim()}${li.getAttribute('aria-selected') === 'true' ? '*' : ''}`,
    );
  return { host, field, list, type, shown };
}

const key = (name: string, init: KeyboardEventInit = {}) =>
  new KeyboardEvent('keydown', {
    key: name,
    bubbles: true,
    composed: true,
    cancelable: true,
    ...init,
  });

describe('composer controllers on a bare host', () => {
  describe('MentionSuggestionsController', () => {
    it('offers the people matching the @query at the caret, in the list the field controls', async () => {
      const { host, list, type, shown } = await mentionHost();
      await type('Hello @da');
      expect(shown()).to.deep.equal(['DanHinmon*', 'dqualls']);
      await waitUntil(() => !list.hidden, 'the list did not open');
      expect(list.matches(':popover-open'), 'shown in the top layer').to.equal(true);
      expect(host.mentions.suggestions.map((p) => p.id)).to.deep.equal(['u2', 'u1']);
    });

    it('moves with the arrows (wrapping), and inserts the chosen handle with Enter', async () => {
      const { host, field, list, type, shown } = await mentionHost();
      await type('Hello @da');
      await waitUntil(() => !list.hidden, 'the list did not open');
      const down = key('ArrowDown');
      expect(host.mentions.handleKeydown(down)).to.equal(true);
      expect(down.defaultPrevented).to.equal(true);
      await host.updateComplete;
      expect(shown()).to.deep.equal(['DanHinmon', 'dqualls*']);
      host.mentions.handleKeydown(key('ArrowDown'));
      await host.updateComplete;
      expect(shown(), 'wraps to the first').to.deep.equal(['DanHinmon*', 'dqualls']);
      host.mentions.handleKeydown(key('ArrowUp'));
      const enter = key('Enter');
      expect(host.mentions.handleKeydown(enter)).to.equal(true);
      expect(enter.defaultPrevented).to.equal(true);
      expect(field.value).to.equal('Hello @dqualls ');
      expect(host.inputs, 'the insertion fired input, as typing does').to.be.greaterThan(0);
      await host.updateComplete;
      expect(shown()).to.deep.equal([]);
      expect(list.hidden).to.equal(true);
    });

    it('inserts with Tab, and leaves Ctrl+Enter to the host', async () => {
      const { host, field, type } = await mentionHost();
      await type('@mel');
      const ctrlEnter = key('Enter', { ctrlKey: true });
      expect(host.mentions.handleKeydown(ctrlEnter)).to.equal(false);
      expect(ctrlEnter.defaultPrevented).to.equal(false);
      expect(host.mentions.handleKeydown(key('Tab'))).to.equal(true);
      expect(field.value).to.equal('@mellis ');
    });

    it('closes on Escape without inserting, and keeps that Escape from the host', async () => {
      const { host, field, list, type } = await mentionHost();
      await type('Hi @d');
      await waitUntil(() => !list.hidden, 'the list did not open');
      let reachedHost = false;
      host.addEventListener('keydown', () => (reachedHost = true));
      const escape = key('Escape');
      field.addEventListener('keydown', (e) => host.mentions.handleKeydown(e), { once: true });
      field.dispatchEvent(escape);
      expect(escape.defaultPrevented).to.equal(true);
      expect(reachedHost, 'propagation stopped').to.equal(false);
      expect(field.value).to.equal('Hi @d');
      await host.updateComplete;
      expect(host.mentions.suggestions.length).to.equal(0);
      expect(list.hidden).to.equal(true);
      expect(host.mentions.handleKeydown(key('Escape')), 'nothing open: not taken').to.equal(false);
    });

    it('offers nothing for an @ inside an e-mail address, or when nobody matches', async () => {
      const { host, list, type } = await mentionHost();
      await type('mail me at me@da');
      expect(host.mentions.suggestions.length).to.equal(0);
      await type('@zz');
      expect(host.mentions.suggestions.length).to.equal(0);
      expect(list.hidden).to.equal(true);
      expect(host.mentions.handleKeydown(key('ArrowDown'))).to.equal(false);
    });

    it('closes when the query is gone, and hides the popover when the host leaves', async () => {
      const { host, list, type } = await mentionHost();
      await type('@da');
      await waitUntil(() => !list.hidden, 'the list did not open');
      await type('@da ');
      expect(host.mentions.suggestions.length).to.equal(0);
      expect(list.hidden).to.equal(true);
      await type('@da');
      await waitUntil(() => !list.hidden, 'the list did not reopen');
      host.remove();
      expect(list.hidden).to.equal(true);
      expect(list.matches(':popover-open')).to.equal(false);
    });

    it('inserts a chosen suggestion with focus back in the field', async () => {
      const { host, field, type } = await mentionHost();
      await type('@dq');
      field.blur();
      host.mentions.choose(host.mentions.suggestions[0]);
      expect(field.value).to.equal('@dqualls ');
      expect(host.shadowRoot!.activeElement === field).to.equal(true);
    });
  });
});
