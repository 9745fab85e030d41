/** A thread's live updates as a server-sent event stream, resumable by `Last-Event-ID`. */
import type { ServerResponse } from 'node:http';
import { Type } from '@sinclair/typebox';
import { ApiError, count, invalid } from '../problem.js';
import { planReplay, reloadEvent, replayEvents } from '../replay.js';
import { use } from './doc.js';
import { route, type Caller, type Deps, type RouteSpec } from './route.js';

/** Seconds a replaying stream may take to drain a page before it is dropped. */
export const DRAIN_SECONDS = 30;

/**
 * Writes to an event stream and waits until the text has left the process (the response
 * drained); resolves to false once the stream is gone, so a replay stops reading.
 */
function writeStream(res: ServerResponse, text: string): Promise<boolean> {
  if (res.writableEnded || res.destroyed) return Promise.resolve(false);
  if (res.write(text)) return Promise.resolve(true);
  return new Promise((resolve) => {
    // A client that stops reading mid-replay is dropped; it can resume by id.
    const timer = setTimeout(() => res.destroy(), DRAIN_SECONDS * 1000);
    const done = () => {
      clearTimeout(timer);
      res.off('drain', done);
      res.off('close', done);
      resolve(!res.destroyed && !res.writableEnded);
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export function eventRoutes({ config, storage, hub, quota, log, callerOf }: Deps): RouteSpec[] {
  return [
    // Anyone may read; the caller is looked up (leniently, inside) only to count the stream
    // against their account as well as their address (PARLEY_STREAMS_PER_*).
    route({
      method: 'GET',
      path: '/v1/threads/:threadId/events',
      doc: {
        tags: ['events'],
        operationId: 'threadEvents',
        summary: 'Live changes of a thread, as server-sent events',
        description:
          'Each change is one event: `id: <id>`, `event: <type>`, `data: <ThreadChange JSON>`. Ids increase over the whole server. With `Last-Event-ID` (header) or `lastEventId` (query), the changes of the thread after that id are sent first, then live ones: nothing missed, nothing repeated. The replay never carries text since edited away or deleted: a post\'s first event in the replay comes at its place carrying the post as it is now (its tombstone when deleted), and its later events in the replay are left out; a `post-created` stays `post-created`, any other takes the type of the post\'s newest change. A client more than `PARLEY_REPLAY_LIMIT` events (500) behind, or whose id is no longer in the server\'s history (older than the events kept, replaced by a seed, or newer than the newest), gets one `reload` event (data `{"type":"reload"}`, id the newest event id) instead, and should load the thread afresh; live events follow. Without an id, the stream starts with a block holding only `id: <newest id>` (no data: no event fires, but a reconnecting EventSource resumes from there). A `: keep-alive` comment comes every 15 seconds. A stream counts against its client address (at most `PARLEY_STREAMS_PER_ADDRESS`, 100) and, with a valid `Authorization` token, its user (`PARLEY_STREAMS_PER_USER`, 20); one more is `429 rate-limited` with `Retry-After`. An invalid or expired token is read as signed out here, never refused.',
        parameters: [
          use('parameters/threadId'),
          {
            name: 'Last-Event-ID',
            in: 'header',
            description: 'Resume after this event id.',
            schema: {
              type: 'string',
              pattern: '^[0-9]+$',
            },
          },
        ],
        responses: {
          '200': {
            description: "An event stream; each event's data is a ThreadChange",
            content: {
              'text/event-stream': {
                schema: {
                  type: 'string',
                  description:
                    'Server-sent events whose `data` lines are ThreadChange JSON documents (see components.schemas.ThreadChange).',
                },
              },
            },
          },
          '404': use('responses/NotFound'),
          // Too many streams from this address or account (the stream caps).
          '429': use('responses/RateLimited'),
        },
      },
      auth: 'none',
      query: Type.Object({
        lastEventId: Type.Optional(
          Type.String({
            description: 'Resume after this event id, where headers cannot be set.',
            pattern: '^[0-9]+$',
            errorMessage: 'must be the id of an event this server sent.',
          }),
        ),
      }),
      handler: async (ctx) => {
        const thread = await storage.requireThread(ctx.params.threadId);
        const raw = ctx.req.headers['last-event-id'] ?? ctx.query.lastEventId;
        let lastId: number | null = null;
        if (typeof raw === 'string' && raw.trim() !== '') {
          if (!/^\d{1,15}$/.test(raw.trim()))
            throw invalid('lastEventId', 'must be the id of an event this server sent.');
          lastId = Number(raw.trim());
        }
        const { req, res } = ctx;
        if (req.method === 'HEAD')
          return { status: 200, headers: { 'Content-Type': 'text/event-stream; charset=utf-8' } };
        // A stream counts against its address and, with a token that is good, its user. A stale
        // token is no reason to refuse live updates that anyone may read.
        let caller: Caller | null = null;
        try {
          caller = await callerOf(ctx);
        } catch (error) {
          if (!(error instanceof ApiError) || error.code !== 'unauthorized') throw error;
        }
        const release = quota.take(ctx.address, caller?.user.id ?? null);
        if (typeof release === 'string') {
          const [who, cap, name] =
            release === 'address'
              ? ['This address has', config.streamsPerAddress, 'STREAMS_PER_ADDRESS']
              : ['You have', config.streamsPerUser, 'STREAMS_PER_USER'];
          throw new ApiError(
            'rate-limited',
            `${who} ${count(cap)} event streams open, the most allowed (PARLEY_${name}); close one (another tab?) and try again.`,
            { retryAfter: 30 },
          );
        }
        res.on('close', release);
        req.socket.setTimeout(0);
        req.socket.setNoDelay(true);
        res.writeHead(200, {
          'Content-Type': 'text/event-stream; charset=utf-8',
          'Cache-Control': 'no-cache, no-transform',
          Connection: 'keep-alive',
          'X-Accel-Buffering': 'no',
        });
        // Join the live stream first, holding back what it hears, then read the replay up to the
        // head as it was: every event committed after that is held back (or heard later), every
        // one up to it is in the replay, and the held ones up to the head are dropped. None lost,
        // none twice; nothing edited away or deleted, and at most PARLEY_REPLAY_LIMIT events
        // (replay.ts).
        const stream = hub.add(thread.id, res);
        const covered = new Map<string, number>();
        let through: number;
        try {
          const plan = await planReplay(storage, thread.id, lastId, config.replayLimit);
          through = plan.through;
          if (!(await writeStream(res, 'retry: 2000\n\n'))) return 'stream';
          if (plan.kind === 'prime') {
            // The point to resume from, without an event.
            if (!(await writeStream(res, `id: ${through}\n\n`))) return 'stream';
          } else if (plan.kind === 'reload') {
            if (!(await writeStream(res, reloadEvent(through)))) return 'stream';
          } else {
            for await (const text of replayEvents(storage, thread.id, plan.after, through, covered))
              if (!(await writeStream(res, text))) return 'stream';
          }
        } catch (error) {
          log(`[parley] GET ${ctx.req.url}: replay failed: ${(error as Error).message}`);
          res.destroy();
          return 'stream';
        }
        stream.start(through, covered);
        return 'stream';
      },
    }),
  ];
}
