import { expect } from '@open-wc/testing';
import {
  codeOfStatus,
  ERROR_CODES,
  isWireCode,
  ParleyError,
  statusOf,
} from '../../src/model/errors.js';

describe('ParleyError', () => {
  it('keeps a ParleyError as it is', () => {
    const error = new ParleyError('forbidden', 'No.');
    expect(ParleyError.from(error) === error).to.equal(true);
  });

  it('maps an abort to aborted', () => {
    const e = ParleyError.from(new DOMException('stop', 'AbortError'));
    expect(e.code).to.equal('aborted');
  });

  it('maps a fetch that got no answer to network, whatever the browser calls it', async () => {
    const real = await fetch('http://127.0.0.1:9/').catch((error: unknown) => error);
    for (const lost of [
      real,
      new TypeError('Failed to fetch'),
      new TypeError('NetworkError when attempting to fetch resource.'),
      new TypeError('Load failed'),
    ]) {
      const e = ParleyError.from(lost);
      expect(e.code, String(lost)).to.equal('network');
      expect(e.cause === lost).to.equal(true);
    }
  });

  it('reports a programming error as internal, with its stack in the console, once', () => {
    const logged: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      let bug: unknown;
      try {
        (undefined as unknown as { posts: unknown[] }).posts.push(1);
      } catch (error) {
        bug = error;
      }
      const e = ParleyError.from(bug);
      ParleyError.from(bug);
      expect(e.code).to.equal('internal');
      expect(e.message).to.not.contain('unavailable');
      expect(e.message).to.not.contain('posts');
      expect(e.diagnostic).to.contain('TypeError');
      expect(logged.length).to.equal(1);
      expect(logged[0]![1] === bug).to.equal(true);
      expect(ParleyError.from(new ReferenceError('x is not defined')).code).to.equal('internal');
    } finally {
      console.error = original;
    }
  });

  it('keeps a JSON parse failure and anything else thrown as unavailable', () => {
    let parse: unknown;
    try {
      JSON.parse('<html>');
    } catch (error) {
      parse = error;
    }
    expect(ParleyError.from(parse).code).to.equal('unavailable');
    expect(ParleyError.from(new Error('Backend said no')).code).to.equal('unavailable');
    expect(ParleyError.from('a string').message).to.equal('a string');
  });
});

describe('the error-code table', () => {
  it('gives every code a unique status or none, and maps statuses back', () => {
    const statuses = Object.values(ERROR_CODES)
      .map((status) => status)
      .filter((s) => s !== null);
    expect(new Set(statuses).size).to.equal(statuses.length);
    for (const code of Object.keys(ERROR_CODES)) {
      if (!isWireCode(code)) continue;
      expect(codeOfStatus(statusOf(code))).to.equal(code);
    }
    expect(codeOfStatus(400)).to.equal('invalid');
    expect(codeOfStatus(413)).to.equal('invalid');
    expect(codeOfStatus(408)).to.equal('network');
    expect(codeOfStatus(502)).to.equal('unavailable');
    expect(isWireCode('network')).to.equal(false);
    expect(isWireCode('internal')).to.equal(false);
    expect(isWireCode('aborted')).to.equal(false);
  });
});
