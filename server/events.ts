/**
 * Server-sent event streams, one per open `GET /v1/threads/{id}/events`. Committed changes are
 * read back from the `events` table for `Last-Event-ID` replay and pushed live to every stream
 * of their thread. Replay and subscription happen in the same synchronous step, so no event can
 * fall between them, and none is sent twice.
 */
import type { ServerResponse } from 'node:http';
import type { StoredEvent } from './store.js';

/** A stream that buffers more than this has stopped reading: drop it; it can resume by id. */
const MAX_BUFFERED_BYTES = 1 << 20;

export const formatEvent = (event: StoredEvent) => `id: ${event.id}\nevent: ${event.type}\ndata: ${event.data}\n\n`;

export class EventHub {
  private readonly streams = new Map<string, Set<ServerResponse>>();
  private readonly timer: NodeJS.Timeout;

  constructor(keepAliveSeconds: number) {
    this.timer = setInterval(() => this.broadcast(': keep-alive\n\n'), keepAliveSeconds * 1000);
    this.timer.unref();
  }

  /** Number of open streams (all threads). */
  get size(): number {
    let n = 0;
    for (const set of this.streams.values()) n += set.size;
    return n;
  }

  /** Adds a stream of `threadId`; it is removed when the response closes. */
  add(threadId: string, res: ServerResponse): void {
    let set = this.streams.get(threadId);
    if (!set) this.streams.set(threadId, (set = new Set()));
    set.add(res);
    res.on('close', () => {
      set.delete(res);
      if (set.size === 0 && this.streams.get(threadId) === set) this.streams.delete(threadId);
    });
  }

  publish(event: StoredEvent): void {
    const set = this.streams.get(event.threadId);
    if (!set) return;
    const text = formatEvent(event);
    for (const res of set) this.write(res, text);
  }

  /** Ends every stream (shutting down). */
  closeAll(): void {
    clearInterval(this.timer);
    for (const set of this.streams.values()) for (const res of set) res.end();
    this.streams.clear();
  }

  private broadcast(text: string): void {
    for (const set of this.streams.values()) for (const res of set) this.write(res, text);
  }

  private write(res: ServerResponse, text: string): void {
    if (res.writableEnded || res.destroyed) return;
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      res.destroy();
      return;
    }
    res.write(text);
  }
}
