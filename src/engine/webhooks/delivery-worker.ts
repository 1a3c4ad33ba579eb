/**
 * The webhooks' side of the relay. The placing statement queues a delivery per event and
 * matching subscription (store/delivery-fan-out.ts); fanOut holds each behind its line's retries.
 * work() claims what is due and at the head of its line (subscription and order) under a lease,
 * commits the claim, and only then sends, several at a time; each outcome is written only if the
 * claim still holds its lease. So:
 *   - a process killed mid-send leaves its deliveries 'sending' until the lease lapses, and
 *     another relay (or this one, restarted) sends them again: at least once, never lost;
 *   - the lease is far longer than an attempt may last, so two attempts never overlap;
 *   - an order's next event is not claimable while an earlier one is pending or sending, and a
 *     failing order only holds back its own line.
 */
import type pg from 'pg';
import { inTransaction } from '../../store/database.js';
import type { StoreDialect } from '../../store/dialect.js';
import { appendStoreEvent, STORE_STREAM } from '../../store/events.js';
import {
  claimDeliveries, clearFailing, disableSubscription, holdBehindRetries, loadClaimed, markFailing, parkAll, pruneDeliveries,
  type AttemptEntry, type AttemptRecord, type ClaimedDelivery,
} from '../../store/webhooks.js';
import { failedTooLong, judgeAttempt } from '../../domain/webhooks/attempt.js';
import { secretsSigningAt } from '../../domain/webhooks/signature.js';
import { webhookHeaders } from './sign.js';
import { withoutCredentials } from '../../domain/webhooks/target.js';
import type { Clock } from '../clock.js';
import type { IdGenerator } from '../ids.js';
import { envelopeOnly, toEnvelope, type PlacedEvent } from '../events/event.js';
import type { EventSubscriber, PlacedWith } from '../events/subscriber.js';
import { OutcomeWriter } from './outcome-writer.js';
import type { Sender } from './send.js';
import type { WebhookSettings } from './settings.js';

export interface DeliveryWorkerDeps {
  readonly pool: pg.Pool;
  readonly clock: Clock;
  readonly dialect: StoreDialect;
  readonly newId: IdGenerator;
  readonly settings: WebhookSettings;
  readonly sender: Sender;
  /** Wakes the relay's loops: a finished send may have freed the next event of its line. */
  readonly wake?: () => void;
  readonly onError?: (err: unknown) => void;
}

export class DeliveryWorker implements EventSubscriber {
  readonly name = 'webhooks';
  /** Sends in flight in this process, by delivery id. */
  readonly #inFlight = new Map<string, Promise<void>>();
  #kick: (() => void) | undefined;
  #working = false;
  /** Sends that ended since work() last counted them. */
  #finished = 0;

  readonly #outcomes: OutcomeWriter;

  constructor(private readonly deps: DeliveryWorkerDeps) {
    this.#outcomes = new OutcomeWriter(deps.pool, deps.clock);
  }

  #record(c: ClaimedDelivery, token: string, rec: AttemptRecord): Promise<boolean> {
    return this.#outcomes.write({ key: c.key, token, rec });
  }

  async fanOut(tx: pg.PoolClient, events: readonly PlacedEvent[], placedWith: PlacedWith): Promise<number> {
    // The placing statement queued the deliveries (store/delivery-fan-out.ts); a new one waits behind its line's retries.
    const queued = placedWith.webhookDeliveries;
    if (queued === 0) return 0;
    await holdBehindRetries(tx, [...new Set(events.map((e) => e.orderId ?? STORE_STREAM))]);
    // Ends a wait in work() (a relay's loop, running beside the placing one): the placing
    // transaction commits right after this, and the relay's wake-up follows the commit.
    this.#kick?.();
    return queued;
  }

  /**
   * Claims and launches what is due. With nothing due while sends are in
   * flight, it waits for one of them to end (each is bounded by the attempt's timeout), since that
   * may free the next event of its line, or for new events. Finished sends count as handled, so
   * it returns 0 only when nothing was due and nothing ran.
   */
  async work(): Promise<number> {
    this.#working = true;
    let handled = 0;
    try {
      for (;;) {
        const launched = await this.#claimAndLaunch();
        // A finished send counts as work done: its outcome may have written an event (webhook.disabled) to place.
        handled += launched + this.#finished;
        this.#finished = 0;
        if (launched > 0 || this.#inFlight.size === 0) return handled;
        const woke = await Promise.race([
          ...[...this.#inFlight.values()].map((p) => p.then(() => 'sent' as const)),
          new Promise<'kicked'>((resolve) => (this.#kick = () => resolve('kicked'))),
        ]);
        this.#kick = undefined;
        // New events that were not committed yet: the relay's own wake-up brings us back.
        if (woke === 'kicked') {
          const launchedNow = await this.#claimAndLaunch();
          handled += launchedNow;
          if (launchedNow === 0) return handled;
        }
      }
    } finally {
      this.#working = false;
    }
  }

  async settle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight.values());
  }

  async prune(before: Date): Promise<number> {
    let total = 0;
    for (let n = -1; n !== 0; total += n) n = await pruneDeliveries(this.deps.pool, before);
    return total;
  }

  async #claimAndLaunch(): Promise<number> {
    const { settings, clock } = this.deps;
    // Claims come in batches: with more than half the slots busy, wait for some to free first.
    while (this.#inFlight.size > settings.concurrency / 2) await Promise.race(this.#inFlight.values());
    const now = clock.now();
    const token = this.deps.newId();
    const keys = await claimDeliveries(this.deps.pool, this.deps.dialect, {
      now, token, limit: settings.concurrency - this.#inFlight.size,
      leaseUntil: new Date(now.getTime() + settings.leaseSeconds * 1000), busy: [...this.#inFlight.keys()],
    });
    if (keys.length === 0) return 0;
    const claimed = await loadClaimed(this.deps.pool, keys);
    for (const c of claimed) {
      const sending = this.#deliver(c, token)
        .catch((err: unknown) => this.deps.onError?.(err))
        .finally(() => {
          this.#inFlight.delete(c.key.id);
          this.#finished++;
          if (!this.#working) this.deps.wake?.();
        });
      this.#inFlight.set(c.key.id, sending);
    }
    return claimed.length;
  }

  async #deliver(c: ClaimedDelivery, token: string): Promise<void> {
    const { clock, sender, settings, pool } = this.deps;
    const startedAt = clock.now();
    if (!c.event) {
      const entry: AttemptEntry = { at: startedAt.toISOString(), status: null, durationMs: 0, error: 'the event was pruned before it could be sent', response: null };
      await this.#record(c, token, { status: 'failed', nextAttemptAt: null, entry });
      return;
    }
    const body = JSON.stringify(envelopeOnly(toEnvelope(c.event)));
    // The signed timestamp is the wall clock's: receivers compare it with theirs to refuse replays,
    // whatever time a rehearsal's clock shows.
    const headers = webhookHeaders(secretsSigningAt(c, startedAt), c.event.id, new Date(), body);
    const sent = await sender.send(c.url, headers, body);
    const now = clock.now();
    const verdict = judgeAttempt(sent, c.attempts + 1, settings.retrySchedule, now, settings.random());
    const entry: AttemptEntry = { at: startedAt.toISOString(), status: sent.status, durationMs: sent.durationMs, error: sent.error, response: sent.response };
    switch (verdict.kind) {
      case 'delivered':
        if (await this.#record(c, token, { status: 'delivered', nextAttemptAt: null, entry }) && c.failingSince) await clearFailing(pool, c.subscriptionId);
        return;
      case 'retry':
        if (await this.#record(c, token, { status: 'pending', nextAttemptAt: verdict.at, entry })) await this.#failing(c, now);
        return;
      case 'failed':
        if (await this.#record(c, token, { status: 'failed', nextAttemptAt: null, entry })) await this.#failing(c, now);
        return;
      case 'gone':
        if (await this.#record(c, token, { status: 'failed', nextAttemptAt: null, entry })) await this.#disable(c, 'gone', now);
        return;
      default:
        verdict satisfies never;
    }
  }

  /** Notes the failure; a subscription failing, with no success, for days is switched off. */
  async #failing(c: ClaimedDelivery, now: Date): Promise<void> {
    const since = c.failingSince ?? (await markFailing(this.deps.pool, c.subscriptionId, now)) ?? null;
    if (failedTooLong(since, now)) await this.#disable(c, 'failing', now);
  }

  /** Switches the subscription off and says so on the stream (store-wide), once. */
  async #disable(c: ClaimedDelivery, reason: 'gone' | 'failing', now: Date): Promise<void> {
    await inTransaction(this.deps.pool, async (tx) => {
      if (!(await disableSubscription(tx, c.subscriptionId, reason, now))) return;
      await parkAll(tx, c.subscriptionId);
      await appendStoreEvent(tx, this.deps.newId(), 'webhook.disabled', { webhookId: c.subscriptionId, url: withoutCredentials(c.url), reason }, now);
    });
  }
}
