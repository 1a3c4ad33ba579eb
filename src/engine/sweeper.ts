/**
 * The timer sweeper: claims due timers and fires each through the ordinary command path.
 * Any number of sweepers may run against one database: claims skip each other's rows, and
 * a timer fires only if the order still waits on it, checked against the order's version,
 * so it takes effect exactly once even if two sweepers ever reached it.
 */
import { systemActor } from '../domain/actor.js';
import { claimDueTimers, countDueTimers, dropTimer } from '../store/timers.js';
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

export class Sweeper {
  constructor(private readonly deps: { pool: pg.Pool; clock: Clock; dialect: StoreDialect; orders: OrderService; payments: PaymentService; completions: CompletionService }) {}

  /** Fires everything due now; `onProgress` hears after each timer. */
  async sweep(onProgress?: (done: number) => void, batch = 100): Promise<SweepResult> {
    let fired = 0;
    let stale = 0;
    let failed = 0;
    for (;;) {
      const due = await claimDueTimers(this.deps.pool, this.deps.dialect, this.deps.clock.now(), batch);
      if (due.length === 0) return { fired, stale, failed };
      for (const timer of due) {
        const result = await this.deps.orders.execute(timer.orderId, { type: 'fire_timer', name: timer.name, dueAt: timer.dueAt.toISOString() }, systemActor);
        if (result.ok) fired++;
        else if (result.code === 'timer_not_found' || result.code === 'order_not_found') {
          await dropTimer(this.deps.pool, timer);
          stale++;
        } else failed++;
        onProgress?.(fired + stale + failed);
      }
    }
  }

  /** How many timers are due now (for a progress bar; others may fire some meanwhile). */
  countDue(): Promise<number> {
    return countDueTimers(this.deps.pool, this.deps.clock.now());
  }

  /** Sweeps every `ms` until stopped; one sweep at a time. */
  start(ms = 1000, onError: (err: unknown) => void = () => {}): () => Promise<void> {
    let running: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      // Timers, then gateway calls left unanswered by a crash.
      running = running.then(() => this.sweep()).then(() => this.deps.payments.recover()).then(() => this.deps.completions.recover()).catch(onError);
    }, ms);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  }
}
