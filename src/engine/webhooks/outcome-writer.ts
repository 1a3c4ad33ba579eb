/**
 * Writes attempt outcomes together: the outcomes that finish while one write is on its way go
 * in the next, as one statement. A relay sending many deliveries at once then pays one round
 * trip per batch of outcomes rather than one per delivery.
 */
import type pg from 'pg';
import { recordAttempts, type AttemptOutcome } from '../../store/webhooks.js';
import type { Clock } from '../clock.js';

interface Waiting {
  readonly outcome: AttemptOutcome;
  readonly resolve: (written: boolean) => void;
  readonly reject: (err: unknown) => void;
}

const MAX_BATCH = 200;

export class OutcomeWriter {
  #queue: Waiting[] = [];
  #writing = false;

  constructor(private readonly pool: pg.Pool, private readonly clock: Clock) {}

  /** Whether the outcome was written (false: the claim had lost its lease). */
  write(outcome: AttemptOutcome): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ outcome, resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    // Outcomes of sends that end in this same turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, MAX_BATCH);
        try {
          const written = await recordAttempts(this.pool, batch.map((w) => w.outcome), this.clock.now());
          batch.forEach((w, i) => w.resolve(written[i]!));
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.#writing = false;
    }
  }
}
