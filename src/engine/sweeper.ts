/**
 * The timer sweeper: claims due timers and fires each through the ordinary command path (a
 * batch's firings written together where they cannot be refused: see `executeBatch`).
 * Any number of sweepers may run against one database: claims skip each other's rows, and
 * a timer fires only if the order still waits on it, checked against the order's version,
 * so it takes effect exactly once even if two sweepers ever reached it.
 */
import { systemActor } from '../domain/actor.js';
import { claimDueTimers, countDueTimers, dropTimer, type DueTimer } from '../store/timers.js';
import { findOrdersForCommand, type OrderForCommand } from '../store/orders.js';
import type { Result } from '../domain/result.js';
import { foldStatusCounts } from '../store/order-counts.js';
import { inParallel } from './in-parallel.js';
import type { StoreDialect } from '../store/dialect.js';
import type pg from 'pg';
import type { Clock } from './clock.js';
import type { OrderService } from './order-service.js';
import type { PaymentService } from './payment-service.js';
import type { CompletionService } from './completion-service.js';

export interface SweepResult {
  readonly fired: number;
  /** Index rows whose order no longer waits on them (it moved on, or reset the timer). */
  readonly stale: number;
  /** Timers whose firing was refused this time (say, stock ran out); retried when the claim lapses. */
  readonly failed: number;
}

/**
 * Orders fired at once by one sweeper: enough to keep PostgreSQL busy, few enough to leave
 * most of a pool of 10 connections to the requests a server answers meanwhile.
 */
const SWEEP_CONCURRENCY = 4;

/** A batch's timers by order, each order's in due order: one order's timers never race each other. */
function byOrder(due: readonly DueTimer[]): DueTimer[][] {
  const groups = new Map<string, DueTimer[]>();
  for (const t of due) groups.set(t.orderId, [...(groups.get(t.orderId) ?? []), t]);
  return [...groups.values()];
}

const fireTimer = (timer: DueTimer) => ({ type: 'fire_timer', name: timer.name, dueAt: timer.dueAt.toISOString() }) as const;

export class Sweeper {
  constructor(private readonly deps: { pool: pg.Pool; clock: Clock; dialect: StoreDialect; orders: OrderService; payments: PaymentService; completions: CompletionService }) {}

  /**
   * Fires everything due now; `onProgress` hears after each timer. A claimed batch's orders are
   * read in one round trip and each order's first timer fired on it, the saves written together
   * where they can be; the rest go `concurrency` orders at a time (each order's own timers one
   * after another). So a backlog is worked off at the database's pace rather than one round trip
   * and one commit at a time.
   */
  async sweep(onProgress?: (done: number) => void, batch = 500, concurrency = SWEEP_CONCURRENCY): Promise<SweepResult> {
    const counts = { fired: 0, stale: 0, failed: 0 };
    const tally = (outcome: keyof SweepResult) => {
      counts[outcome]++;
      onProgress?.(counts.fired + counts.stale + counts.failed);
    };
    const claim = async () => {
      const due = await claimDueTimers(this.deps.pool, this.deps.dialect, this.deps.clock.now(), batch);
      const groups = byOrder(due);
      return { groups, read: due.length === 0 ? new Map<string, OrderForCommand>() : await findOrdersForCommand(this.deps.pool, groups.map((g) => g[0]!.orderId)) };
    };
    let next = claim();
    try {
      for (;;) {
        const { groups, read } = await next;
        if (groups.length === 0) return counts;
        // The next batch is claimed and read while this one is fired. An order in both (a later
        // timer of it came due meanwhile) is read again by the version check, like any race.
        next = claim();
        // Each order's first timer, on the order as read: fired together, written in one statement where they can be.
        const firsts = groups.filter((g) => read.has(g[0]!.orderId)).map((g) => g[0]!);
        const fired = await this.deps.orders.executeBatch(firsts.map((t) => ({ read: read.get(t.orderId)!, command: fireTimer(t) })), systemActor, concurrency);
        for (const [i, result] of fired.entries()) tally(await this.outcome(firsts[i]!, result));
        // The rest (an order's later timers, and those whose order was not found) one at a time per order.
        await inParallel(groups, concurrency, async (timers) => {
          for (const timer of read.has(timers[0]!.orderId) ? timers.slice(1) : timers) {
            tally(await this.outcome(timer, await this.deps.orders.executeRead(timer.orderId, fireTimer(timer), systemActor)));
          }
        });
      }
    } finally {
      // A claim left behind by a failure: its timers are claimed again once its lease lapses.
      next.catch(() => {});
    }
  }

  /** What became of a timer's firing; a timer its order no longer waits on leaves the index. */
  private async outcome(timer: DueTimer, result: Result<unknown>): Promise<keyof SweepResult> {
    if (result.ok) return 'fired';
    if (result.code === 'timer_not_found' || result.code === 'order_not_found') {
      await dropTimer(this.deps.pool, timer);
      return 'stale';
    }
    return 'failed';
  }

  /** How many timers are due now (for a progress bar; others may fire some meanwhile). */
  countDue(): Promise<number> {
    return countDueTimers(this.deps.pool, this.deps.clock.now());
  }

  /** Sweeps every `ms` until stopped; one sweep at a time. */
  start(ms = 1000, onError: (err: unknown) => void = () => {}): () => Promise<void> {
    let running: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      // Timers, then gateway calls left unanswered by a crash, then the status counts' deltas (kept small for reads).
      running = running.then(() => this.sweep()).then(() => this.deps.payments.recover()).then(() => this.deps.completions.recover())
        .then(() => foldStatusCounts(this.deps.pool)).catch(onError);
    }, ms);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  }
}
