/**
 * Who moderates: PARLEY_MODERATORS, or the `moderators` of the latest seed (tests and demos).
 * Both last exactly as documented, so every test (and, with the same environment, every instance)
 * starts from the same moderators.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ana,
  client,
  contractSeed,
  seedContract,
  startServer,
  type TestServer,
} from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startServer({ PARLEY_MODERATORS: 'mod' });
});
after(() => server.close());

/** Seeds the contract data with `extra` (moderators, say); resolves to a token per user id. */
async function seed(extra: Record<string, unknown> = {}): Promise<Record<string, string>> {
  const res = await client(server.url).post('/v1/_seed', { body: { ...contractSeed(), ...extra } });
  assert.equal(res.status, 200, res.text);
  return res.body.tokens as Record<string, string>;
}

const moderator = async (token: string) =>
  (await client(server.url, token).get('/v1/viewer')).body.moderator as boolean;

describe("a seed's moderators", () => {
  it('replace PARLEY_MODERATORS until the next seed, and a seed without them puts PARLEY_MODERATORS back', async () => {
    let tokens = await seedContract(server.url);
    assert.equal(await moderator(tokens.mod), true, 'PARLEY_MODERATORS');
    assert.equal(await moderator(tokens[ana.id]), false);

    tokens = await seed({ moderators: [ana.id] });
    assert.equal(await moderator(tokens[ana.id]), true, 'the seed names Ana');
    assert.equal(await moderator(tokens.mod), false, 'and replaces PARLEY_MODERATORS');

    tokens = await seed();
    assert.equal(
      await moderator(tokens[ana.id]),
      false,
      'a seed without moderators ends the override',
    );
    assert.equal(await moderator(tokens.mod), true, 'and restores PARLEY_MODERATORS');
  });
});
