/**
 * What reads the event stream: webhook subscriptions and the notifier. The relay hands each
 * subscriber the events it places, inside the placing transaction, so that the work they call
 * for (a delivery, a message) is queued exactly once, and then lets the subscriber do that work
 * outside any transaction, as often as there is some.
 */
import type pg from 'pg';
import type { PlacedEvent } from './event.js';

export interface EventSubscriber {
  readonly name: string;
  /**
   * Queues what `events` call for, in the transaction that places them (rolled back with it);
   * how many items of work it queued. The relay wakes the subscriber's `work` loop after the
   * placing unless it says 0 (nothing said: woken all the same). `placedWith` says what the
   * placing statement queued itself.
   */
  fanOut(tx: pg.PoolClient, events: readonly PlacedEvent[], placedWith: PlacedWith): Promise<number | void>;
  /**
   * Does work that is due now, outside any transaction: how many items it handled (0: none due),
   * and whether more may be due at once. A plain number means more may be due if it handled any:
   * the relay calls again until a call handles none.
   */
  work(): Promise<number | WorkDone>;
  /** Forgets finished work older than `before` (the retention of the stream). */
  prune?(before: Date): Promise<number>;
  /** Waits for work started by `work()` that is still running (called on stop). */
  settle?(): Promise<void>;
}

/** What the placing statement queued itself, besides giving the events their places; and its COMMIT, for a subscriber's writes. */
export interface PlacedWith {
  /** The webhook deliveries these events call for (store/delivery-fan-out.ts). */
  readonly webhookDeliveries: number;
  /**
   * Sends a statement without parameters with the placing's COMMIT, in its round trip (a
   * subscriber's own writes, when it needs no answer from them); if it fails, nothing commits.
   */
  withCommit(sql: string): void;
}

export interface WorkDone {
  readonly handled: number;
  /** Whether more work may be due now (a claim came back full, or the call queued new work). */
  readonly more: boolean;
}

/** What a `work()` call did, in one shape. */
export const workDone = (done: number | WorkDone): WorkDone => (typeof done === 'number' ? { handled: done, more: done > 0 } : done);
