/**
 * Webhooks: the subscriptions an admin manages, their delivery log and re-sends, and (as an
 * event subscriber of the relay) the deliveries themselves, which DeliveryWorker runs.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { checkPatterns, refuse, type WebhookResult, type WebhookSubscription } from '../../domain/webhooks/subscription.js';
import { ROTATION_OVERLAP_HOURS } from '../../domain/webhooks/signature.js';
import { checkUrlForm } from '../../domain/webhooks/target.js';
import { inTransaction } from '../../store/database.js';
import type { StoreDialect } from '../../store/dialect.js';
import { STORE_STREAM } from '../../store/events.js';
import {
  deleteSubscription, deliveryCounts, findDelivery, findSubscription, insertSubscription, listDeliveries, listSubscriptions, parkAll, requeueDelivery,
  requeueFailed, rotateSecret, unparkAll, updateSubscription,
  type DeliveryCounts, type DeliveryRow, type DeliveryStatus, type SubscriptionChange, type SubscriptionRow,
} from '../../store/webhooks.js';
import type { Clock } from '../clock.js';
import type { PlacedEvent } from '../events/event.js';
import type { EventSubscriber, PlacedWith } from '../events/subscriber.js';
import type { IdGenerator } from '../ids.js';
import { DeliveryWorker } from './delivery-worker.js';
import { httpSender, type Sender } from './send.js';
import { webhookSettings, type WebhookOptions, type WebhookSettings } from './settings.js';
import { refusedTarget } from './target-check.js';

export interface NewSubscription {
  readonly url: string;
  readonly events: readonly string[];
  readonly description?: string | null;
}

/** A subscription with its secret: in the answers that make one, and no others. */
export interface SubscriptionWithSecret {
  readonly subscription: WebhookSubscription;
  readonly secret: string;
}

export interface Delivery {
  readonly id: string;
  readonly eventId: string;
  readonly eventType: string;
  /** null for a store-wide event. */
  readonly orderId: string | null;
  readonly sequence: number;
  readonly status: DeliveryStatus;
  /** Attempts in the current round (a redelivery starts one). */
  readonly attempts: number;
  /** When the next attempt is due (not before an earlier retry of its order); null unless pending, and while its subscription is off. */
  readonly nextAttemptAt: Date | null;
  readonly log: DeliveryRow['log'];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface DeliveryPage {
  readonly items: readonly Delivery[];
  /** Pass as `after` for the next (older) page; null at the end. */
  readonly nextCursor: number | null;
}

export interface WebhookServiceDeps {
  readonly pool: pg.Pool;
  readonly clock: Clock;
  readonly dialect: StoreDialect;
  readonly newId: IdGenerator;
  readonly options?: WebhookOptions;
  /** Wakes the relay: a delivery was queued again, or a send freed the next event of its line. */
  readonly wake?: () => void;
  readonly onError?: (err: unknown) => void;
  /** How attempts are sent (default: HTTP with the address rule). */
  readonly sender?: Sender;
}

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

export class WebhookService implements EventSubscriber {
  readonly name = 'webhooks';
  readonly settings: WebhookSettings;
  readonly #worker: DeliveryWorker;
  readonly #sender: Sender;

  constructor(private readonly deps: WebhookServiceDeps) {
    this.settings = webhookSettings(deps.options);
    this.#sender = deps.sender ?? httpSender({ timeoutMs: this.settings.attemptTimeoutMs, allowPrivate: this.settings.allowPrivateTargets, maxSockets: this.settings.concurrency });
    this.#worker = new DeliveryWorker({ ...deps, settings: this.settings, sender: this.#sender });
  }

  // ── The relay's subscriber ──
  fanOut(tx: pg.PoolClient, events: readonly PlacedEvent[], placedWith: PlacedWith): Promise<number> {
    return this.#worker.fanOut(tx, events, placedWith);
  }
  work(): Promise<number> {
    return this.#worker.work();
  }
  settle(): Promise<void> {
    return this.#worker.settle();
  }
  prune(before: Date): Promise<number> {
    return this.#worker.prune(before);
  }

  // ── Subscriptions ──
  async create(input: NewSubscription): Promise<WebhookResult<SubscriptionWithSecret>> {
    const refused = checkPatterns(input.events) ?? (await this.#checkUrl(input.url));
    if (refused) return refused;
    const secret = newSecret();
    const row = await insertSubscription(this.deps.pool, {
      id: this.deps.newId(), url: input.url, events: [...new Set(input.events)], description: input.description ?? null, secret, created_at: this.deps.clock.now(),
    });
    return { ok: true, value: { subscription: toSubscription(row), secret } };
  }

  async list(): Promise<WebhookSubscription[]> {
    return (await listSubscriptions(this.deps.pool)).map(toSubscription);
  }

  async get(id: string): Promise<WebhookResult<WebhookSubscription>> {
    const row = await findSubscription(this.deps.pool, id);
    return row ? { ok: true, value: toSubscription(row) } : notFound(id);
  }

  async update(id: string, change: SubscriptionChange): Promise<WebhookResult<WebhookSubscription>> {
    const refused = (change.events ? checkPatterns(change.events) : undefined) ?? (change.url !== undefined ? await this.#checkUrl(change.url) : undefined);
    if (refused) return refused;
    const now = this.deps.clock.now();
    const row = await inTransaction(this.deps.pool, async (tx) => {
      const updated = await updateSubscription(tx, id, { ...change, ...(change.events ? { events: [...new Set(change.events)] } : {}) }, now);
      // Switched off, its deliveries wait out of the relays' way; switched on, they are due again.
      if (updated && change.enabled === false) await parkAll(tx, id);
      if (updated && change.enabled === true) await unparkAll(tx, id, now);
      return updated;
    });
    if (row && change.enabled) this.deps.wake?.();
    return row ? { ok: true, value: toSubscription(row) } : notFound(id);
  }

  async remove(id: string): Promise<WebhookResult<true>> {
    return (await deleteSubscription(this.deps.pool, id)) ? { ok: true, value: true } : notFound(id);
  }

  /** A new secret; the one it replaces keeps signing beside it for a day. */
  async rotateSecret(id: string): Promise<WebhookResult<SubscriptionWithSecret>> {
    const now = this.deps.clock.now();
    const secret = newSecret();
    const row = await rotateSecret(this.deps.pool, id, secret, new Date(now.getTime() + ROTATION_OVERLAP_HOURS * 3_600_000), now);
    return row ? { ok: true, value: { subscription: toSubscription(row), secret } } : notFound(id);
  }

  // ── The delivery log ──
  async deliveries(id: string, filter: { status?: DeliveryStatus; limit: number; after?: number }): Promise<WebhookResult<DeliveryPage>> {
    if (!(await findSubscription(this.deps.pool, id))) return notFound(id);
    const rows = await listDeliveries(this.deps.pool, id, { limit: filter.limit, ...(filter.status ? { status: filter.status } : {}), ...(filter.after !== undefined ? { before: filter.after } : {}) });
    return { ok: true, value: { items: rows.map(toDelivery), nextCursor: rows.length === filter.limit ? rows.at(-1)!.position : null } };
  }

  /** Sends one delivery again, now, with a new round of retries. */
  async redeliver(id: string, deliveryId: string): Promise<WebhookResult<Delivery>> {
    const found = await findDelivery(this.deps.pool, id, deliveryId);
    if (!found) return refuse('delivery_not_found', `webhook ${id} has no delivery ${deliveryId}`);
    const row = await requeueDelivery(this.deps.pool, id, deliveryId, this.deps.clock.now());
    if (!row) return refuse('delivery_in_progress', 'the delivery is being sent right now; ask again once this attempt ended');
    this.deps.wake?.();
    return { ok: true, value: toDelivery(row) };
  }

  /** Sends again every failed delivery of events since `since`; how many. */
  async recover(id: string, since: Date): Promise<WebhookResult<{ requeued: number }>> {
    if (!(await findSubscription(this.deps.pool, id))) return notFound(id);
    const requeued = await requeueFailed(this.deps.pool, id, since, this.deps.clock.now());
    if (requeued > 0) this.deps.wake?.();
    return { ok: true, value: { requeued } };
  }

  /** Deliveries waiting and given up, per subscription: for /metrics. */
  counts(): Promise<DeliveryCounts[]> {
    return deliveryCounts(this.deps.pool);
  }

  /** Closes kept-alive connections to endpoints. */
  close(): void {
    this.#sender.close();
  }

  async #checkUrl(raw: string) {
    const form = checkUrlForm(raw);
    if (!form.ok) return refuse('invalid_webhook_url', form.reason);
    const inside = await refusedTarget(form.url, this.settings.allowPrivateTargets);
    return inside ? refuse('webhook_target_refused', `the webhook may not point there: ${inside}`) : undefined;
  }
}

const notFound = (id: string) => refuse('webhook_not_found', `no webhook ${id}`);

const toSubscription = (r: SubscriptionRow): WebhookSubscription => ({
  id: r.id, url: r.url, events: r.events, description: r.description, enabled: r.enabled, disabledReason: r.disabled_reason,
  failingSince: r.failing_since, previousSecretUntil: r.previous_secret_until, createdAt: r.created_at, updatedAt: r.updated_at,
});

const toDelivery = (r: DeliveryRow): Delivery => ({
  id: r.id, eventId: r.event_id, eventType: r.event_type, orderId: r.order_id === STORE_STREAM ? null : r.order_id, sequence: r.sequence,
  status: r.status, attempts: r.attempts, nextAttemptAt: r.status === 'pending' && r.next_attempt_at instanceof Date ? r.next_attempt_at : null, log: r.log, createdAt: r.created_at, updatedAt: r.updated_at,
});
