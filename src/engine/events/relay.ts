/**
 * The relay: gives committed events their place in the stream, hands them to the subscribers
 * (webhooks, notifications) in the same transaction, and runs each subscriber's work outside any
 * transaction. It runs in every `ordo serve` and alone as `ordo relay`; any number of relays may
 * share a database (one places at a time; subscribers claim their work with row locks).
 * It wakes when this process saved a change, on NOTIFY from other processes, and every `pollMs`.
 */
import type pg from 'pg';
import { inTransaction } from '../../store/database.js';
import { placedFrom, placingOpening, pruneEvents } from '../../store/events.js';
import type { Clock } from '../clock.js';
import { toEnvelope, type PlacedEvent } from './event.js';
import { workDone, type EventSubscriber } from './subscriber.js';
import { listen } from './wake.js';

export interface RelayOptions {
  /** Events placed per transaction. */
  readonly batch?: number;
  /** The polling fallback, for wakes that were lost. */
  readonly pollMs?: number;
  /**
   * How long an idle loop waits after a wake-up before it works (default 20 ms): changes saved
   * meanwhile go in the same transaction, rather than one placing (and one claim per
   * subscriber) per change. Events wait that much longer at most.
   */
  readonly gatherMs?: number;
  /** How long placed events (and finished deliveries and messages) are kept. */
  readonly retentionDays?: number;
}

export interface RelayDeps extends RelayOptions {
  readonly pool: pg.Pool;
  readonly clock: Clock;
  readonly databaseUrl: string;
  readonly subscribers: readonly EventSubscriber[];
  readonly onError?: (err: unknown) => void;
}

const DAY_MS = 86_400_000;
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * A wake-up that is not lost when it comes while nobody sleeps. A ring stays unanswered until a
 * step that began after it says it covered it: a save rung while the placer gathered, or while it
 * placed the very events of that save, then calls for no second, empty pass; a ring whose step
 * could not cover it (another relay held the placer's lock) calls for one more.
 */
class Alarm {
  #rings = 0;
  #answered = 0;
  #wake: (() => void) | undefined;

  ring(): void {
    this.#rings++;
    this.#wake?.();
  }

  /** The rings so far: what a step starting now can answer. */
  get rings(): number {
    return this.#rings;
  }

  /** A step that started when `rings` was `upTo` covered those rings. */
  answer(upTo: number): void {
    this.#answered = Math.max(this.#answered, upTo);
  }

  /** Until a ring, or `ms`; at once while a ring is unanswered. */
  sleep(ms: number): Promise<void> {
    if (this.#rings > this.#answered) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}

/** What one pass of a loop did: whether to go again at once, and whether it covered the rings before it. */
interface Pass {
  readonly again: boolean;
  readonly covered: boolean;
}

export class Relay {
  /** Rung by saves (this process's, or another's by NOTIFY): there may be events to place. */
  readonly #placer = new Alarm();
  /** Each subscriber's loop, rung once a placing here queued work for it. */
  readonly #workers = new Map<EventSubscriber, Alarm>();
  /** Subscribers that placings since the last wake-up queued work for. */
  readonly #queued = new Set<EventSubscriber>();
  #stopped = false;
  #running = false;
  #stop: (() => Promise<void>) | undefined;

  constructor(private readonly deps: RelayDeps) {}

  /** Whether this relay's loops run (in `ordo serve` and `ordo relay`). */
  get running(): boolean {
    return this.#running;
  }

  get retentionDays(): number {
    return this.deps.retentionDays ?? 30;
  }

  /** Adds a reader of the stream (before `start`): a library user's own, in-process. */
  subscribe(subscriber: EventSubscriber): void {
    (this.deps.subscribers as EventSubscriber[]).push(subscriber);
  }

  /**
   * A change was saved (here, or in another process that announced it): wakes the placing
   * loop. The subscribers' loops are woken by the placing, not by the save: before its events
   * are placed, a save has queued no work for them, and a claim then would find nothing.
   */
  nudge(): void {
    this.#placer.ring();
  }

  /** Wakes the loops of the subscribers that were queued work (all of them with `all`). */
  #wakeWorkers(all = false): void {
    for (const [subscriber, alarm] of this.#workers) if (all || this.#queued.has(subscriber)) alarm.ring();
    this.#queued.clear();
  }

  /** Places every committed event that has no place yet; how many this call placed. */
  async place(): Promise<number> {
    return (await this.#place()).placed;
  }

  /** How many it placed, and whether it held the placer's lock (else another relay was placing, perhaps before these events committed). */
  async #place(): Promise<{ placed: number; held: boolean }> {
    const batch = this.deps.batch ?? 500;
    let total = 0;
    for (let first = true; ; first = false) {
      const now = this.deps.clock.now();
      const placed = await inTransaction(this.deps.pool, async (tx, opened, closing) => {
        const placing = placedFrom(opened);
        const events: PlacedEvent[] = placing.events.map(toEnvelope);
        const placedWith = { webhookDeliveries: placing.deliveries, withCommit: (sql: string) => void closing.push(sql) };
        const queued: EventSubscriber[] = [];
        if (events.length) for (const s of this.deps.subscribers) if ((await s.fanOut(tx, events, placedWith)) !== 0) queued.push(s);
        return { placed: events.length, queued, held: placing.held };
      }, (client) => placingOpening(client, now, batch));
      // Known once committed: a rolled-back placing queued nothing.
      for (const s of placed.queued) this.#queued.add(s);
      total += placed.placed;
      if (first && !placed.held) return { placed: 0, held: false };
      if (placed.placed < batch) return { placed: total, held: true };
    }
  }

  /** Places and works until nothing is left to do now (retries due later stay): for tests and `ordo relay --once`. */
  async drain(): Promise<void> {
    for (;;) {
      let done = await this.place();
      for (const s of this.deps.subscribers) done += workDone(await s.work()).handled;
      if (done === 0) {
        for (const s of this.deps.subscribers) await s.settle?.();
        return;
      }
    }
  }

  /** Deletes what is older than the retention; how many events went. */
  async prune(): Promise<number> {
    const before = new Date(this.deps.clock.now().getTime() - this.retentionDays * DAY_MS);
    let events = 0;
    for (let n = -1; n !== 0; events += n) n = await pruneEvents(this.deps.pool, before);
    for (const s of this.deps.subscribers) await s.prune?.(before);
    return events;
  }

  /** Stops the loops that start() runs, if they run (Ordo's close calls it). */
  async stop(): Promise<void> {
    await this.#stop?.();
  }

  /** Runs the loops until the returned function (or stop()) is called; it resolves once they stopped. */
  start(): () => Promise<void> {
    this.#stopped = false;
    this.#running = true;
    const onError = this.deps.onError ?? (() => {});
    const stopListening = listen(this.deps.databaseUrl, () => this.nudge(), onError);
    // place() leaves nothing placeable behind, so the placing loop sleeps after every pass;
    // a save committed meanwhile has rung its alarm, and the sleep then ends at once.
    const placing = this.#loop(this.#placer, this.deps.gatherMs ?? 20, async () => {
      const { held } = await this.#place();
      this.#wakeWorkers();
      return { again: false, covered: held };
    });
    const working = this.deps.subscribers.map((s) => {
      const alarm = new Alarm();
      this.#workers.set(s, alarm);
      // Woken by a placing, whose batch is already gathered: no wait. A pass that says more may be
      // due goes again; its claims read what was queued before it began.
      return this.#loop(alarm, 0, async () => ({ again: workDone(await s.work()).more, covered: true })).finally(() => this.#workers.delete(s));
    });
    const pruneNow = () => void this.prune().catch(onError);
    pruneNow();
    const pruning = setInterval(pruneNow, PRUNE_EVERY_MS).unref();
    const stop = async () => {
      if (this.#stop !== stop) return;
      this.#stop = undefined;
      this.#stopped = true;
      clearInterval(pruning);
      this.#placer.ring();
      this.#wakeWorkers(true);
      await Promise.all([placing, ...working]);
      await stopListening();
      for (const s of this.deps.subscribers) await s.settle?.();
      this.#running = false;
    };
    this.#stop = stop;
    return stop;
  }

  /** Runs `step` while it asks to go again, or a ring is unanswered; otherwise sleeps until `alarm` rings (or the poll), then waits `gatherMs`. */
  async #loop(alarm: Alarm, gatherMs: number, step: () => Promise<Pass>): Promise<void> {
    const pollMs = this.deps.pollMs ?? 1000;
    while (!this.#stopped) {
      let again = false;
      const rings = alarm.rings;
      try {
        const pass = await step();
        again = pass.again;
        if (pass.covered) alarm.answer(rings);
      } catch (err) {
        // Not at once again: a database that is away would be asked every gatherMs. The next ring, or the poll.
        alarm.answer(rings);
        (this.deps.onError ?? (() => {}))(err);
      }
      if (!again && !this.#stopped) {
        await alarm.sleep(pollMs);
        if (gatherMs > 0 && !this.#stopped) await new Promise((resolve) => setTimeout(resolve, gatherMs));
      }
    }
  }
}
