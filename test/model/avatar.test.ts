/** Avatars: initials, a colour per person, and which image URLs may reach an `src`. */
import { expect } from '@open-wc/testing';
import { hueOf, initialsOf, safeImageUrl } from '../../src/internal/avatar.js';

describe('initialsOf', () => {
  const cases: [string, string][] = [
    ['Dalya Qualls', 'DQ'],
    ['Angela K. Moore', 'AM'],
    ['angela_k_moore', 'AM'],
    ['jean-luc picard', 'JP'],
    ['Cher', 'C'],
    ['  Dan   Hinmon  ', 'DH'],
    ['élodie durand', 'ÉD'],
    ['😀 Smile', '😀S'],
    ['', '?'],
    ['   ', '?'],
    ['-_.', '?'],
  ];
  for (const [name, initials] of cases) {
    it(`gives ${JSON.stringify(initials)} for ${JSON.stringify(name)}`, () => {
      expect(initialsOf(name)).to.equal(initials);
    });
  }
});

describe('hueOf', () => {
  it('gives a whole number of degrees from 0 to 359', () => {
    for (const id of [
      '',
      'a',
      'u-dqualls',
      'u-danhinmon',
      'guest-p1234567890abcdef',
      '😀',
      'x'.repeat(500),
    ]) {
      const hue = hueOf(id);
      expect(Number.isInteger(hue), `hue of ${id}`).to.equal(true);
      expect(hue).to.be.within(0, 359);
    }
  });

  it('gives a person the same hue every time', () => {
    expect(hueOf('u-dqualls')).to.equal(hueOf('u-dqualls'));
  });

  it('spreads different ids over many hues', () => {
    const hues = new Set(Array.from({ length: 100 }, (_, i) => hueOf(`user-${i}`)));
    expect(hues.size).to.be.greaterThan(50);
    expect(hueOf('u-dqualls')).not.to.equal(hueOf('u-danhinmon'));
  });
});

describe('safeImageUrl', () => {
  it('passes absolute https and http URLs', () => {
    expect(safeImageUrl('https://avatars.example/dan.png')).to.equal(
      'https://avatars.example/dan.png',
    );
    expect(safeImageUrl('http://avatars.example/dan.png?s=64')).to.equal(
      'http://avatars.example/dan.png?s=64',
    );
    expect(safeImageUrl('HTTPS://Avatars.Example/a b.png')).to.equal(
      'https://avatars.example/a%20b.png',
    );
  });

  it('refuses javascript: URLs however they are written', () => {
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      '\tjava\nscript:alert(1)',
    ]) {
      expect(safeImageUrl(url), url).to.equal(undefined);
    }
  });

  it('refuses data:, blob:, file: and other schemes', () => {
    for (const url of [
      'data:image/png;base64,iVBORw0KGgo=',
      'data:image/svg+xml,<svg onload=alert(1)>',
      'blob:https://example.com/1234',
      'file:///etc/passwd',
      'ftp://example.com/a.png',
      'vbscript:msgbox(1)',
    ]) {
      expect(safeImageUrl(url), url).to.equal(undefined);
    }
  });

  it('refuses relative and scheme-relative URLs', () => {
    for (const url of [
      '/avatars/dan.png',
      'avatars/dan.png',
      '../dan.png',
      '?a=1',
      '//evil.example/dan.png',
    ]) {
      expect(safeImageUrl(url), url).to.equal(undefined);
    }
  });

  it('refuses nothing, an empty string and a malformed URL', () => {
    expect(safeImageUrl(undefined)).to.equal(undefined);
    expect(safeImageUrl('')).to.equal(undefined);
    expect(safeImageUrl('https://')).to.equal(undefined);
  });
});
