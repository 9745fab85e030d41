/**
 * Server-sent event streams, one per open `GET /v1/threads/{id}/events`. Committed changes are
 * read back from the storage for `Last-Event-ID` replay and pushed live to every stream of their
 * thread. Reading the replay is asynchronous, so a stream joins the hub first and holds back what
 * it hears (`add`); once the replay is written, `start(through)` sends the held events whose id is
 * above the last one replayed and goes live, dropping any event up to that id heard later (the
 * storage's listener may still be behind the replay). Events arrive in id order, so none is lost between
 * the replay and the live stream, and none is sent twice.
 */
import type { ServerResponse } from 'node:http';
import type { StoredEvent } from './store.js';

/** Per post, the newest event id whose state the replay sent (server/replay.ts). */
export type Covered = ReadonlyMap<string, number>;

/** A stream that buffers more than this has stopped reading: drop it; it can resume by id. */
const MAX_BUFFERED_BYTES = 1 << 20;

export const formatEvent = (event: StoredEvent) =>
  `id: ${event.id}\nevent: ${event.type}\ndata: ${event.data}\n\n`;

/** The post a stored event is about, or null. */
export function postIdOf(data: string): string | null {
  try {
    const value = JSON.parse(data) as { post?: { id?: unknown } };
    return typeof value.post?.id === 'string' ? value.post.id : null;
  } catch {
    return null;
  }
}

/** A stream in the hub: held back until `start`. */
export interface HubStream {
  /**
   * Sends the held events with an id above `through` (the last id replayed), then goes live,
   * still dropping any later-heard event with an id up to `through`, and any event about a post
   * in `covered` up to the id given there (the replay sent a state that includes it).
   */
  start(through: number, covered?: Covered): void;
}

export class EventHub {
  private readonly streams = new Map<string, Set<ServerResponse>>();
  /** Streams that joined but have not started: the events they heard meanwhile. */
  private readonly held = new Map<ServerResponse, StoredEvent[]>();
  /**
   * Per started stream, the last id its replay sent. The storage's listener can still be behind
   * the replay (PostgreSQL hears its events through LISTEN/NOTIFY, after they are readable), so
   * events up to it may arrive after `start`; they are dropped then too.
   */
  private readonly replayed = new Map<ServerResponse, number>();
  /** Per started stream whose replay sent posts' newest states: those posts and ids. */
  private readonly covered = new Map<ServerResponse, { posts: Covered; through: number }>();
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

  /**
   * Adds a stream of `threadId`, holding back its events until `start`; it is removed when the
   * response closes.
   */
  add(threadId: string, res: ServerResponse): HubStream {
    let set = this.streams.get(threadId);
    if (!set) this.streams.set(threadId, (set = new Set()));
    set.add(res);
    this.held.set(res, []);
    res.on('close', () => {
      set.delete(res);
      this.held.delete(res);
      this.replayed.delete(res);
      this.covered.delete(res);
      if (set.size === 0 && this.streams.get(threadId) === set) this.streams.delete(threadId);
    });
    return {
      start: (through, covered) => {
        const held = this.held.get(res);
        if (!held) return;
        this.held.delete(res);
        this.replayed.set(res, through);
        if (covered && covered.size > 0)
          this.covered.set(res, { posts: covered, through: Math.max(...covered.values()) });
        const text = held
          .filter((event) => event.id > through && !this.isCovered(res, event))
          .map(formatEvent)
          .join('');
        if (text) this.write(res, text);
      },
    };
  }

  publish(event: StoredEvent): void {
    const set = this.streams.get(event.threadId);
    if (!set) return;
    const text = formatEvent(event);
    for (const res of set) {
      const held = this.held.get(res);
      if (held) held.push(event);
      else if (event.id > (this.replayed.get(res) ?? 0) && !this.isCovered(res, event))
        this.write(res, text);
    }
  }

  /** Whether the stream's replay already sent a state of the event's post that includes it. */
  private isCovered(res: ServerResponse, event: StoredEvent): boolean {
    const covered = this.covered.get(res);
    if (!covered) return false;
    if (event.id > covered.through) {
      this.covered.delete(res); // every later event is news
      return false;
    }
    const postId = postIdOf(event.data);
    return postId !== null && event.id <= (covered.posts.get(postId) ?? 0);
  }

  /** Ends every stream (shutting down). */
  closeAll(): void {
    clearInterval(this.timer);
    this.held.clear();
    this.replayed.clear();
    this.covered.clear();
    for (const set of this.streams.values()) for (const res of set) res.end();
    this.streams.clear();
  }

  private broadcast(text: string): void {
    for (const set of this.streams.values())
      for (const res of set) if (!this.held.has(res)) this.write(res, text);
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

/**
 * Open event streams per client address and per signed-in user, against their caps
 * (PARLEY_STREAMS_PER_ADDRESS, PARLEY_STREAMS_PER_USER). Counted per instance.
 */
export class StreamQuota {
  private readonly byAddress = new Map<string, number>();
  private readonly byUser = new Map<string, number>();

  constructor(
    private readonly perAddress: number,
    private readonly perUser: number,
  ) {}

  /**
   * Counts one more stream for `address` (and `userId`), or resolves to which cap it would
   * exceed (nothing counted then). The returned release is safe to call more than once.
   */
  take(address: string, userId: string | null): (() => void) | 'address' | 'user' {
    if ((this.byAddress.get(address) ?? 0) >= this.perAddress) return 'address';
    if (userId !== null && (this.byUser.get(userId) ?? 0) >= this.perUser) return 'user';
    bump(this.byAddress, address, 1);
    if (userId !== null) bump(this.byUser, userId, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      bump(this.byAddress, address, -1);
      if (userId !== null) bump(this.byUser, userId, -1);
    };
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n > 0) map.set(key, n);
  else map.delete(key);
}
