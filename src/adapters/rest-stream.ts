/**
 * The live half of `RestAdapter`: the reader of a thread's Server-Sent Events (over `fetch`, so
 * the token goes in the `Authorization` header), which reconnects with `Last-Event-ID`, drops
 * events it has seen, and turns each one into a `ThreadChange`. Loaded on first use: a thread
 * subscribes once its first posts are on screen.
 */
import type { ThreadChange } from '../model/types.js';
import { validatePost, validateThread } from '../model/validate.js';
import { retryable, type Stream } from './rest.js';
import { SseParser } from './sse.js';

/** What the reader needs of its adapter. */
export interface StreamContext {
  /** The thread's event stream. */
  url: string;
  fetch: typeof fetch;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** The token to send, read at each (re)connection. */
  token(): string | null;
  headers(token: string | null, extra: Record<string, string>): Record<string, string>;
  /** The wait before reconnecting after `attempt` failures (the server's `retry:` as base). */
  backoff(attempt: number, base?: number): number;
  /** Until the stream has answered (ms). */
  timeout: number;
  /** Silence after which the stream is reopened (ms; the server sends a keep-alive every 15 s). */
  idleTimeout: number;
  deliver(change: ThreadChange): void;
  setLive(live: boolean): void;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const asPost = (v: unknown) => validatePost(v, 'post');
const asThread = (v: unknown) => validateThread(v, 'thread');

/** A change from the live stream, or `null` for anything that is not one. */
function asChange(data: string): ThreadChange | null {
  try {
    const v: unknown = JSON.parse(data);
    if (!isObject(v)) return null;
    if (v.type === 'post-created' || v.type === 'post-updated' || v.type === 'post-deleted')
      return { type: v.type, post: asPost(v.post) };
    if (v.type === 'thread-updated') return { type: v.type, thread: asThread(v.thread) };
    if (v.type === 'reload') return { type: 'reload' };
  } catch {
    // Not a change Parley knows: servers may send more than it reads.
  }
  return null;
}

/** Reads the thread's event stream until unsubscribed, reconnecting with `Last-Event-ID`. */
export async function follow(stream: Stream, opened: () => void, on: StreamContext): Promise<void> {
  const seen = new Set<string>();
  const stop = stream.stop.signal;
  let lastEventId = '';
  let serverDelay: number | undefined;
  let failures = 0;
  while (!stop.aborted) {
    const controller = new AbortController();
    const abort = () => controller.abort();
    stop.addEventListener('abort', abort);
    let timer = setTimeout(abort, on.timeout);
    let fatal = false;
    try {
      const headers = on.headers(
        on.token(),
        lastEventId
          ? { Accept: 'text/event-stream', 'Last-Event-ID': lastEventId }
          : { Accept: 'text/event-stream' },
      );
      const response = await on.fetch(on.url, {
        headers,
        signal: controller.signal,
        credentials: 'omit',
        cache: 'no-store',
      });
      // Like EventSource, give up on a refusal (no such thread, say); retry anything else.
      fatal = !response.ok && !retryable(response.status);
      if (response.ok && response.body) {
        opened();
        failures = 0;
        on.setLive(true);
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        const parser = new SseParser(lastEventId);
        for (;;) {
          clearTimeout(timer);
          timer = setTimeout(abort, on.idleTimeout);
          const { done, value } = await reader.read();
          if (done) break;
          for (const event of parser.feed(decoder.decode(value, { stream: true }))) {
            if (event.id !== undefined) {
              if (seen.has(event.id)) continue;
              seen.add(event.id);
              if (seen.size > 1000) seen.delete(seen.values().next().value!);
            }
            const change = asChange(event.data);
            if (change) on.deliver(change);
          }
          lastEventId = parser.lastEventId;
          serverDelay = parser.retry ?? serverDelay;
        }
      }
    } catch {
      // The connection dropped, fell silent, or was closed by unsubscribing.
    } finally {
      clearTimeout(timer);
      stop.removeEventListener('abort', abort);
      abort(); // whatever is left of the connection
    }
    opened();
    if (stop.aborted) return;
    on.setLive(false);
    if (fatal) return;
    await on.sleep(on.backoff(failures++, serverDelay), stop);
  }
}
