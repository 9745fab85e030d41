// A throwaway PostgreSQL cluster for tests and local runs: a temp directory, `initdb --auth=trust`,
// `pg_ctl start` on 127.0.0.1 with a free port (its socket in the temp directory), a `parley`
// database. `stop()` shuts it down (`-m fast`) and removes the directory.
//
//   import { startPostgres } from './postgres.mjs';
//   const pg = await startPostgres(); // { url, port, dir, ms, stop() }
//
// `node scripts/postgres.mjs` prints the URL and keeps the cluster up until Ctrl-C.
// The server refuses to run as root, so as root every step runs as the `postgres` user
// (`su postgres -s /bin/sh -c …`, as Debian's package sets it up). Binaries come from
// PARLEY_PG_BIN when set (only there), else the newest /usr/lib/postgresql/<version>/bin, else PATH.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding initdb, pg_ctl and createdb, or null when PostgreSQL is not installed. */
export function findPostgres() {
  const has = (dir) =>
    ['initdb', 'pg_ctl', 'createdb'].every((name) => existsSync(join(dir, name)));
  // When set, it is the only place looked at (PARLEY_PG_BIN=none: behave as without PostgreSQL).
  if (process.env.PARLEY_PG_BIN)
    return has(process.env.PARLEY_PG_BIN) ? process.env.PARLEY_PG_BIN : null;
  const candidates = [];
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) candidates.push(join(debian, version, 'bin'));
  }
  candidates.push(...(process.env.PATH ?? '').split(delimiter).filter(Boolean));
  return candidates.find(has) ?? null;
}

/** Why there is no PostgreSQL here, and how to get one: for skip messages. */
export const MISSING_MESSAGE =
  'PostgreSQL binaries (initdb, pg_ctl, createdb) were not found in PARLEY_PG_BIN, /usr/lib/postgresql/*/bin or PATH. ' +
  'Install them (Debian: apt-get install -y --no-install-recommends postgresql) to run the PostgreSQL half of the suite.';

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const quote = (arg) => `'${String(arg).replaceAll("'", "'\\''")}'`;

function run(bin, name, args) {
  const command = join(bin, name);
  const result = asRoot
    ? spawnSync(
        'su',
        ['postgres', '-s', '/bin/sh', '-c', [command, ...args].map(quote).join(' ')],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      )
    : spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) throw result.error;
  if (result.status !== 0)
    throw new Error(
      `${name} ${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`,
    );
  return result.stdout;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

function postgresIds() {
  const id = (flag) =>
    Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid <= 0)
    throw new Error('Running as root, but there is no `postgres` user to run PostgreSQL as.');
  return { uid, gid };
}

/**
 * Starts a cluster and creates the `parley` database. Tuned for tests, not durability: fsync and
 * synchronous commit are off, so never point it at data you want to keep. `{ durable: true }`
 * keeps PostgreSQL's own defaults (fsync, synchronous commit, full-page writes on), for
 * measurements that compare it with SQLite's `synchronous=FULL`.
 */
export async function startPostgres(options = {}) {
  const bin = options.bin ?? findPostgres();
  if (!bin) throw new Error(MISSING_MESSAGE);
  const started = performance.now();
  // Short, so the socket path (DIR/.s.PGSQL.PORT) stays under the 107-byte limit.
  const dir = mkdtempSync(join(tmpdir(), 'parley-pg-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const data = join(dir, 'data');
  let running = false;
  try {
    if (asRoot) {
      const { uid, gid } = postgresIds();
      chownSync(dir, uid, gid);
    }
    run(bin, 'initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
      '--no-sync',
    ]);
    // A free port can be taken between the probe and the start: try a few.
    let port;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const settings =
        `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1` +
        (options.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off');
      try {
        run(bin, 'pg_ctl', [
          '-D',
          data,
          '-o',
          settings,
          '-l',
          join(dir, 'log'),
          '-w',
          '-t',
          '30',
          'start',
        ]);
        running = true;
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    run(bin, 'createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'parley']);
    const stop = () => {
      if (running) {
        running = false;
        process.off('exit', stop);
        try {
          run(bin, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
        } finally {
          remove();
        }
      }
    };
    // A test file that throws or exits early still leaves no cluster behind.
    process.on('exit', stop);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/parley`,
      port,
      dir,
      /** Milliseconds from the call to a ready `parley` database. */
      ms: Math.round(performance.now() - started),
      /** Creates another empty database on the cluster; resolves to its URL. */
      createDatabase: (name) => {
        run(bin, 'createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name]);
        return `postgres://postgres@127.0.0.1:${port}/${name}`;
      },
      stop,
    };
  } catch (error) {
    if (running) {
      try {
        run(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already down.
      }
    }
    remove();
    throw error;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const pg = await startPostgres();
  console.log(`PostgreSQL is up in ${pg.ms} ms: ${pg.url}`);
  console.log(`PARLEY_DATABASE_URL=${pg.url}`);
  console.log('Ctrl-C stops it and removes its data.');
  const shutdown = () => {
    pg.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  setInterval(() => {}, 1 << 30);
}
