/** `normalizeExcerpt`: what a quote keeps of the text a reader selected. */
import { expect } from '@open-wc/testing';
import { MAX_QUOTE_LENGTH, normalizeExcerpt } from '../../src/model/quote.js';

/** Whether a string holds half of a surrogate pair on its own. */
const hasLoneSurrogate = (text: string) =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('normalizeExcerpt', () => {
  it('leaves a clean short excerpt as it is', () => {
    expect(normalizeExcerpt('Good question, Dayla.\n\nWhat do you think?')).to.equal(
      'Good question, Dayla.\n\nWhat do you think?',
    );
  });

  it('turns Windows and old Mac line endings into \\n', () => {
    expect(normalizeExcerpt('one\r\ntwo\rthree')).to.equal('one\ntwo\nthree');
  });

  it('trims every line and squeezes runs of spaces, tabs and no-break spaces', () => {
    expect(normalizeExcerpt('  one \t two  \n\u00a0three\u00a0\u00a0four ')).to.equal(
      'one two\nthree four',
    );
  });

  it('keeps at most one blank line in a row, even when the blank lines hold spaces', () => {
    expect(normalizeExcerpt('one\n\n\n\ntwo\n \t \n  \n\u00a0\nthree')).to.equal(
      'one\n\ntwo\n\nthree',
    );
  });

  it('trims blank lines at both ends', () => {
    expect(normalizeExcerpt('\n\n  \n  text  \n\n \n')).to.equal('text');
    expect(normalizeExcerpt(' \n\t ')).to.equal('');
  });

  it(`keeps an excerpt of exactly ${MAX_QUOTE_LENGTH} characters whole`, () => {
    const text = 'x'.repeat(MAX_QUOTE_LENGTH);
    expect(normalizeExcerpt(text)).to.equal(text);
  });

  it('measures the length after cleaning, not before', () => {
    const text = `${'word '.repeat(399)}word`;
    expect(normalizeExcerpt(`   ${text.replace(/ /g, '    ')}   `)).to.equal(text);
  });

  it('cuts a long excerpt at a word, with an ellipsis, within the limit', () => {
    const text = 'word '.repeat(1000);
    const excerpt = normalizeExcerpt(text);
    expect(excerpt.length).to.be.at.most(MAX_QUOTE_LENGTH);
    expect(excerpt.length).to.be.greaterThan(MAX_QUOTE_LENGTH * 0.8);
    expect(excerpt.endsWith('word…')).to.equal(true);
    expect(text.startsWith(excerpt.slice(0, -1))).to.equal(true);
  });

  it('cuts at the last space inside the limit when it is near the end', () => {
    const text = `${'a'.repeat(1700)} ${'b'.repeat(1000)}`;
    expect(normalizeExcerpt(text)).to.equal(`${'a'.repeat(1700)}…`);
  });

  it('cuts mid-word when the last space is far from the end, still within the limit', () => {
    const text = `${'a'.repeat(100)} ${'b'.repeat(3000)}`;
    const excerpt = normalizeExcerpt(text);
    expect(excerpt.length).to.equal(MAX_QUOTE_LENGTH);
    expect(excerpt.endsWith('b…')).to.equal(true);
  });

  it('keeps a long excerpt with no spaces within the limit', () => {
    const excerpt = normalizeExcerpt('x'.repeat(5000));
    expect(excerpt).to.equal(`${'x'.repeat(MAX_QUOTE_LENGTH - 1)}…`);
  });

  it('never splits an emoji in two when cutting', () => {
    for (const text of ['😀'.repeat(1500), `a${'😀'.repeat(1500)}`]) {
      const excerpt = normalizeExcerpt(text);
      expect(excerpt.length).to.be.at.most(MAX_QUOTE_LENGTH);
      expect(excerpt.endsWith('…')).to.equal(true);
      expect(
        hasLoneSurrogate(excerpt),
        `a lone surrogate in an excerpt of ${excerpt.length}`,
      ).to.equal(false);
    }
  });

  it('gives the same excerpt when cleaned twice', () => {
    for (const text of ['  a \r\n\r\n\r\n b ', 'word '.repeat(1000), 'x'.repeat(5000)]) {
      const once = normalizeExcerpt(text);
      expect(normalizeExcerpt(once)).to.equal(once);
    }
  });
});
