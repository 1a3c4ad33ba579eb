/**
 * Wakes relays in other processes when events were written: NOTIFY on a channel, heard by a
 * LISTEN connection. The NOTIFY goes out after the command committed, on its own statement, and
 * at most one per 10 ms per process: a NOTIFY inside the command's transaction would take
 * PostgreSQL's global notify lock at every commit. Relays also poll, so a lost wake only delays.
 */
import pg from 'pg';

export const EVENTS_CHANNEL = 'ordo_events';

/**
 * The least time between two NOTIFYs of one process. A busy process (a sweeper firing a backlog,
 * a server under load) saves many changes a millisecond apart; the relay gathers for 20 ms after
 * a wake-up anyway, so one NOTIFY per gap wakes it as well as one per change would.
 */
const ANNOUNCE_GAP_MS = 10;

export class Announcer {
  #busy = false;
  #again = false;

  constructor(private readonly pool: pg.Pool, private readonly gapMs = ANNOUNCE_GAP_MS) {}

  /** Tells other processes that events are waiting; calls while one is sent, or within the gap after it, become one more. */
  announce(): void {
    if (this.#busy) {
      this.#again = true;
      return;
    }
    this.#busy = true;
    this.pool.query(`SELECT pg_notify('${EVENTS_CHANNEL}', '')`).catch(() => {}).finally(() => {
      setTimeout(() => {
        this.#busy = false;
        if (this.#again) {
          this.#again = false;
          this.announce();
        }
      }, this.gapMs).unref();
    });
  }
}

/**
 * Listens on a connection of its own, reconnecting after a loss (the relay polls meanwhile).
 * Returns a function that stops listening.
 */
export function listen(databaseUrl: string, onWake: () => void, onError: (err: unknown) => void = () => {}): () => Promise<void> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: databaseUrl, keepAlive: true });
    c.on('notification', onWake);
    c.on('error', (err) => {
      onError(err);
      lost(c);
    });
    c.on('end', () => lost(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${EVENTS_CHANNEL}`);
      if (stopped) return void c.end().catch(() => {});
      client = c;
      onWake(); // whatever was written while not listening
    } catch (err) {
      onError(err);
      lost(c);
    }
  };
  const lost = (c: pg.Client) => {
    if (client === c) client = undefined;
    c.end().catch(() => {});
    if (!stopped && !retry) retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, 1000).unref();
  };
  void connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}
