/**
 * `npm run server`: the Parley reference server. Configuration comes from `PARLEY_*` variables
 * and `--flags` (`npm run server -- --help`). In demo mode (`npm run server:demo`) it seeds the
 * demo discussion into an empty database; without it, it disables demo accounts it finds.
 */
import { createParleyServer } from './app.js';
import { hashPassword } from './auth.js';
import { ConfigError, DEMO_SSO_SECRET, loadConfig, usage, type Config } from './config.js';
import { DEMO_PASSWORD, demoAccounts, demoSeed } from './demo.js';
import { SqliteStorage } from './storage/sqlite.js';
import { PostgresStorage } from './storage/postgres.js';
import { restoreAccounts } from './store.js';

// Whoever reads the log (a pipe, a collector) may go away: the server keeps serving without it.
// Any other failure of the streams stays fatal.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(usage());
  process.exit(0);
}

let config: Config;
try {
  config = loadConfig(process.env, argv);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`parley-server: ${error.message}`);
  process.exit(2);
}

/** The database, for messages: the SQLite path, or the PostgreSQL URL without its password. */
const database = config.databaseUrl
  ? config.databaseUrl.replace(/^(postgres(?:ql)?:\/\/[^:@/]*):[^@/]*@/, '$1:***@')
  : config.db;

/** Gives the demo accounts disabled earlier their password back; resolves to their handles. */
async function restoreDemoAccounts(ids: string[], passwordHash: string): Promise<string[]> {
  const storage = server.storage;
  if (storage instanceof SqliteStorage) return restoreAccounts(storage.store, ids, passwordHash);
  if (storage instanceof PostgresStorage) {
    const { rows } = await storage.pool.query<{ handle: string }>(
      "UPDATE users SET kind = 'account', password_hash = $1 WHERE id = ANY($2) AND kind = 'seed' AND handle IS NOT NULL RETURNING handle",
      [passwordHash, ids],
    );
    return rows.map((row) => row.handle);
  }
  return [];
}

let server: Awaited<ReturnType<typeof createParleyServer>>;
try {
  server = await createParleyServer(config);
} catch (error) {
  console.error(`parley-server: cannot open the database ${database}: ${(error as Error).message}`);
  process.exit(1);
}
if (config.demo && !(await server.storage.hasThreads())) {
  await server.seed(await demoSeed());
  console.log(
    `Seeded the demo discussion; its members log in with the password "${DEMO_PASSWORD}".`,
  );
} else if (config.demo) {
  // Back in demo mode on a database whose demo accounts were disabled (switching in development).
  const restored = await restoreDemoAccounts(
    (await demoAccounts()).map((account) => account.id),
    await hashPassword(DEMO_PASSWORD),
  );
  if (restored.length > 0)
    console.warn(
      `parley-server: demo mode: restored the ${restored.length} demo accounts (${restored.join(', ')}), password "${DEMO_PASSWORD}".`,
    );
} else {
  // A database that once ran the demo holds accounts whose password is published: lock them.
  const disabled = await server.storage.disableAccounts(
    (await demoAccounts()).map((account) => account.id),
  );
  if (disabled.length > 0) {
    console.warn(
      `parley-server: demo mode is off: disabled the ${disabled.length} demo accounts (${disabled.join(', ')}), whose password is published, ` +
        'and ended their sessions; their posts stay.',
    );
  }
}

let url: string;
try {
  url = await server.listen();
} catch (error) {
  const code = (error as { code?: string }).code;
  console.error(
    `parley-server: cannot listen on ${config.host}:${config.port}: ${code === 'EADDRINUSE' ? 'the port is in use (set PARLEY_PORT)' : (error as Error).message}`,
  );
  await server.close();
  process.exit(1);
}
// Tests and scripts read this line to find the server.
console.log(`Parley server listening on ${url} (database ${database})`);
const on = (value: boolean) => (value ? 'on' : 'off');
console.log(
  `  origins: ${config.origins === '*' ? '* (any)' : config.origins.join(', ') || '(none)'}; single sign-on: ${on(config.ssoSecret !== null)}; ` +
    `accounts: ${on(config.accounts)}; guests: ${on(config.guests)}; moderators: ${config.moderators.length}` +
    (config.allowSeed ? '; POST /v1/_seed is ON (it replaces all data)' : ''),
);
if (config.ssoSecret === DEMO_SSO_SECRET) {
  console.warn(
    '  WARNING: demo mode: single sign-on accepts the public demo key, so anyone can sign in as anyone. Never deploy with PARLEY_DEMO=on.',
  );
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => process.exit(0));
  });
}
