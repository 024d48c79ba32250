/** An undici dispatcher, as client-node makes one per request (only destroy/close are used). */
type Dispatcher = {destroy?: () => Promise<void>; close?: () => Promise<void>};

/** Long-lived streams (followed logs) per connection: well under HTTP/2's usual 100-stream limit. */
export const STREAMS_PER_CONNECTION = 25;

interface StreamConnection {
  dispatcher: Dispatcher;
  streams: number;
  retired: boolean;
}

/** One stream's place on a connection. */
export interface StreamLease {
  dispatcher: unknown;
  /** The stream ended: its slot is free again (a retired connection closes with its last stream). */
  release(): void;
  /** The stream stalled: no new stream goes on this connection, which closes when its streams have ended. */
  retire(): void;
}

/**
 * The connections followed logs travel on, apart from the one for requests and watches: many
 * streams at once are spread over several connections (an HTTP/2 server limits the streams
 * of one), and a connection that stopped carrying data is retired rather than reused.
 */
export class StreamConnections {
  private readonly connections: StreamConnection[] = [];

  /** A slot for one stream; `fresh` (a dispatcher client-node just made) opens a new connection when every one is full. */
  lease(fresh: unknown): StreamLease {
    let connection = this.connections.find((candidate) => !candidate.retired && candidate.streams < STREAMS_PER_CONNECTION);
    if (connection) void (fresh as Dispatcher).close?.().catch(() => {});
    else {
      connection = {dispatcher: fresh as Dispatcher, streams: 0, retired: false};
      this.connections.push(connection);
    }
    connection.streams++;
    const chosen = connection;
    let released = false;
    return {
      dispatcher: chosen.dispatcher,
      release: () => {
        if (released) return;
        released = true;
        chosen.streams--;
        if (chosen.retired && chosen.streams === 0) void chosen.dispatcher.destroy?.().catch(() => {});
      },
      retire: () => {
        if (chosen.retired) return;
        chosen.retired = true;
        this.connections.splice(this.connections.indexOf(chosen), 1);
      },
    };
  }

  get size(): number {
    return this.connections.length;
  }

  async close(): Promise<void> {
    await Promise.all(this.connections.splice(0).map((connection) => connection.dispatcher.destroy?.().catch(() => {})));
  }
}
