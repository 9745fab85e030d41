/** One Server-Sent Event. `id` is set only when the event carried an `id:` field of its own. */
export interface SseEvent {
  type: string;
  data: string;
  id?: string;
}

/**
 * The `text/event-stream` format (WHATWG HTML, "Server-sent events"), fed in chunks split
 * anywhere: lines end in CRLF, LF or CR; `:` starts a comment; `data:` lines join with "\n";
 * an event is dispatched at a blank line, and only when it has data. `lastEventId` and `retry`
 * (the server's reconnection delay, in milliseconds) persist from event to event.
 */
export class SseParser {
  lastEventId: string;
  retry?: number;
  private rest = '';
  private afterCR = false;
  private type = '';
  private data: string[] = [];
  private idBuffer: string;
  private hasId = false;

  constructor(lastEventId = '') {
    this.lastEventId = this.idBuffer = lastEventId;
  }

  /** Parses the next chunk of text; returns the events it completed. */
  feed(chunk: string): SseEvent[] {
    if (!chunk) return [];
    // A CR that ended the last chunk may be the first half of a CRLF.
    if (this.afterCR && chunk[0] === '\n') chunk = chunk.slice(1);
    const text = this.rest + chunk;
    this.afterCR = text.endsWith('\r');
    const lines = text.split(/\r\n|\r|\n/);
    this.rest = lines.pop()!;
    const events: SseEvent[] = [];
    for (const line of lines) {
      if (line === '') {
        // Only a complete event moves `lastEventId`: a reconnection asks for what follows it.
        this.lastEventId = this.idBuffer;
        if (this.data.length)
          events.push({
            type: this.type || 'message',
            data: this.data.join('\n'),
            ...(this.hasId ? { id: this.idBuffer } : {}),
          });
        this.type = '';
        this.data = [];
        this.hasId = false;
        continue;
      }
      if (line[0] === ':') continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value[0] === ' ') value = value.slice(1);
      if (field === 'event') this.type = value;
      else if (field === 'data') this.data.push(value);
      else if (field === 'id' && !value.includes('\0')) {
        this.idBuffer = value;
        this.hasId = true;
      } else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
    }
    return events;
  }
}
