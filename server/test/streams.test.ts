/** Resource caps with real sockets: event streams per address and per user, the connection ceiling, slow headers. */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../config.js';
import {
  ana,
  ben,
  MAIN_THREAD,
  openEvents,
  seedContract,
  startServer,
  type EventReader,
  type TestServer,
} from './helpers.js';

const servers: TestServer[] = [];
const readers: EventReader[] = [];
const sockets: Socket[] = [];
after(async () => {
  for (const reader of readers) reader.close();
  for (const socket of sockets) socket.destroy();
  for (const server of servers) await server.close();
});

async function serve(env: Record<string, string>): Promise<TestServer> {
  const server = await startServer(env);
  servers.push(server);
  return server;
}

async function stream(
  server: TestServer,
  options: Parameters<typeof openEvents>[2] = {},
): Promise<EventReader> {
  const reader = await openEvents(server.url, MAIN_THREAD, options);
  readers.push(reader);
  if (reader.status !== 200) {
    // A refusal is a short answer: read it whole.
    await reader.until((r) => r.raw().endsWith('}'));
  }
  return reader;
}

/** Opens streams until one is accepted (the server may not have seen a close yet); at most `tries`. */
async function acceptedEventually(server: TestServer, tries = 50): Promise<EventReader> {
  for (let i = 0; i < tries; i++) {
    const reader = await stream(server);
    if (reader.status === 200) return reader;
    reader.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no stream accepted in ${tries} tries`);
}

/** An idle TCP connection to the server, open once connected. */
function idle(server: TestServer): Promise<Socket> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    sockets.push(socket);
    socket.on('error', () => {});
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Writes `text` on a new connection; resolves with everything read until the server closes it. */
async function exchange(server: TestServer, text: string, ms = 15_000): Promise<string> {
  const socket = await idle(server);
  return new Promise((resolve, reject) => {
    let response = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server did not close in ${ms} ms; got: ${response.slice(0, 300)}`));
    }, ms);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (response += chunk));
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(response);
    });
    socket.write(text);
  });
}

describe('event stream caps', () => {
  it('allows PARLEY_STREAMS_PER_ADDRESS streams per address, then answers 429 until one closes', async () => {
    const server = await serve({ PARLEY_STREAMS_PER_ADDRESS: '3' });
    await seedContract(server.url);
    const open = [await stream(server), await stream(server), await stream(server)];
    assert.deepEqual(
      open.map((r) => r.status),
      [200, 200, 200],
    );
    const refused = await stream(server);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers['retry-after'], '30');
    assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
    const problem = JSON.parse(refused.raw());
    assert.equal(problem.code, 'rate-limited');
    assert.match(problem.detail, /3 event streams open.*PARLEY_STREAMS_PER_ADDRESS/);
    open[0].close();
    assert.equal((await acceptedEventually(server)).status, 200, 'a closed stream frees its place');
    assert.equal((await stream(server)).status, 429, 'and only its place');
  });

  it('allows PARLEY_STREAMS_PER_USER streams per signed-in user, whatever the address allows', async () => {
    const server = await serve({ PARLEY_STREAMS_PER_ADDRESS: '10', PARLEY_STREAMS_PER_USER: '2' });
    const tokens = await seedContract(server.url);
    const as = { token: tokens[ana.id] };
    assert.equal((await stream(server, as)).status, 200);
    assert.equal((await stream(server, as)).status, 200);
    const refused = await stream(server, as);
    assert.equal(refused.status, 429);
    assert.match(JSON.parse(refused.raw()).detail, /You have 2 event streams open.*PER_USER/);
    assert.equal((await stream(server, { token: tokens[ben.id] })).status, 200, 'another user');
    assert.equal((await stream(server)).status, 200, 'signed out');
    assert.equal(
      (await stream(server, { token: 'no-such-session' })).status,
      200,
      'a stale token reads as signed out, not as a refusal',
    );
  });

  it('answers a request beyond PARLEY_MAX_CONNECTIONS with 503 and Retry-After, and recovers', async () => {
    const server = await serve({ PARLEY_MAX_CONNECTIONS: '4' });
    const held = [await idle(server), await idle(server), await idle(server), await idle(server)];
    const response = await exchange(server, 'GET /v1/viewer HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.match(response, /^HTTP\/1\.1 503 /);
    assert.match(response, /retry-after: 5/i);
    assert.match(response, /connection: close/i);
    assert.match(response, /"code":"unavailable"/);
    assert.match(response, /as many connections open as it takes/);
    for (const socket of held) socket.destroy();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      const answer = await exchange(
        server,
        'GET /v1/viewer HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      );
      status = Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1] ?? 0);
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(status, 200, 'answered again once connections closed');
  });

  it('closes a connection whose headers do not arrive within PARLEY_HEADERS_TIMEOUT', async () => {
    const server = await serve({ PARLEY_HEADERS_TIMEOUT: '1' });
    const response = await exchange(server, 'GET /v1/viewer HTTP/1.1\r\nHost: x\r\n');
    assert.match(response, /^HTTP\/1\.1 408 /);
  });

  it('has production defaults: 100 streams per address, 20 per user, 10,000 connections, 10 s for headers', () => {
    const config = loadConfig({});
    assert.equal(config.streamsPerAddress, 100);
    assert.equal(config.streamsPerUser, 20);
    assert.equal(config.maxConnections, 10_000);
    assert.equal(config.headersTimeoutSeconds, 10);
  });
});
