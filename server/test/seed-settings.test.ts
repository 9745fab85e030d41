/**
 * A seed's moderators and origins on several instances of one PostgreSQL database: a seed taken
 * by one instance replaces the data for all of them, so the moderators and origins it sets hold on
 * all of them too, on instances started later as well, and a seed without them puts the
 * configured ones back everywhere. Skipped with a message without PostgreSQL binaries.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ana,
  call,
  contractSeed,
  postgresDatabase,
  postgresMissing,
  sleep,
  spawnServer,
  TEST_ENV,
  type ChildServer,
} from './helpers.js';

const CONFIGURED_ORIGIN = TEST_ENV.PARLEY_ORIGINS;
const SEEDED_ORIGIN = 'https://elsewhere.example';

/** Waits (at most 5 s) until `check` holds; the instances hear each other through NOTIFY. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting until ${what}`);
    await sleep(25);
  }
}

describe("a seed's moderators and origins on two instances", { skip: postgresMissing() }, () => {
  let database: string;
  const servers: ChildServer[] = [];
  let tokens: Record<string, string>;

  before(async () => {
    database = await postgresDatabase();
    for (let i = 0; i < 2; i++) servers.push(await spawnServer({ PARLEY_DATABASE_URL: database }));
  });
  after(() => Promise.all(servers.map((s) => s.stop())));

  const isModerator = async (server: ChildServer, id: string) =>
    (await call(server.url, 'GET', '/v1/viewer', { token: tokens[id] })).body.moderator === true;
  const allows = async (server: ChildServer, origin: string) =>
    (await call(server.url, 'GET', '/v1/viewer', { headers: { Origin: origin } })).headers.get(
      'access-control-allow-origin',
    ) === origin;
  /** Both the seeded settings (true) or both the configured ones (false), on `server`. */
  const seededOn = async (server: ChildServer, seeded: boolean) =>
    (await isModerator(server, ana.id)) === seeded &&
    (await isModerator(server, 'mod')) === !seeded &&
    (await allows(server, SEEDED_ORIGIN)) === seeded &&
    (await allows(server, CONFIGURED_ORIGIN)) === !seeded;

  async function seed(on: ChildServer, extra: Record<string, unknown>) {
    const res = await call(on.url, 'POST', '/v1/_seed', { body: { ...contractSeed(), ...extra } });
    assert.equal(res.status, 200, res.text);
    tokens = res.body.tokens as Record<string, string>;
  }

  it('holds on every instance, and on one started after the seed', async () => {
    const [a, b] = servers;
    await seed(a, { moderators: [ana.id], origins: [SEEDED_ORIGIN] });
    assert.ok(await seededOn(a, true), 'at once on the instance that took the seed');
    await until(() => seededOn(b, true), 'the other instance applies the seed too');
    const later = await spawnServer({ PARLEY_DATABASE_URL: database });
    servers.push(later);
    assert.ok(await seededOn(later, true), 'an instance started later reads them at start-up');
  });

  it('comes back to the configured ones everywhere after a seed without them', async () => {
    const [a, b, later] = servers;
    await seed(b, {});
    assert.ok(await seededOn(b, false));
    await until(() => seededOn(a, false), 'instance A restores the configured ones');
    await until(() => seededOn(later, false), 'so does the later one');
  });
});
