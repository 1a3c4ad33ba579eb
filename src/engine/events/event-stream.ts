/** GET /v1/events: the stream to pull, in place order, current as of the call. */
import type pg from 'pg';
import { readEvents, type EventFilter } from '../../store/events.js';
import { toEnvelope, type PlacedEvent } from './event.js';
import type { Relay } from './relay.js';

export interface EventPage {
  readonly events: readonly PlacedEvent[];
  /** Where the next call goes on from: the last event's place, or the cursor given when none came. */
  readonly next: number;
}

export class EventStream {
  constructor(private readonly deps: { pool: pg.Pool; relay: Relay }) {}

  async list(filter: EventFilter): Promise<EventPage> {
    // Places what committed since the relay last ran, so a reader never waits for the relay.
    await this.deps.relay.place();
    const events = (await readEvents(this.deps.pool, filter)).map(toEnvelope);
    return { events, next: events.at(-1)?.position ?? filter.after };
  }
}
