import { expect } from '@open-wc/testing';
import { onFirstUse } from '../../src/internal/lazy.js';

describe('onFirstUse', () => {
  it('shares one load among every caller, under way or done', async () => {
    let loads = 0;
    const load = onFirstUse(async () => ++loads);
    const [a, b] = await Promise.all([load(), load()]);
    expect([a, b, await load()]).to.deep.equal([1, 1, 1]);
    expect(loads).to.equal(1);
  });

  it('forgets a load that failed, so the next call tries again', async () => {
    let loads = 0;
    const load = onFirstUse(async () => {
      loads += 1;
      if (loads === 1) throw new Error('offline');
      return 'loaded';
    });
    let failure: unknown;
    await load().catch((error: unknown) => (failure = error));
    expect((failure as Error).message).to.equal('offline');
    expect(await load()).to.equal('loaded');
    expect(await load()).to.equal('loaded');
    expect(loads).to.equal(2);
  });
});
