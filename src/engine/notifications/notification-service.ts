/**
 * Customer and staff messages, a subscriber of the event stream. In the relay's placing
 * transaction it works out which messages each event calls for, renders them and queues them
 * (once per order, event, message and recipient: a fan-out done twice adds nothing); where
 * nothing leaves (the stored notifier), it stores them sent. Outside any transaction it claims
 * due messages under a lease, sends them through the notifier a few at a time, and records each
 * outcome if it still holds the lease; failures are retried on the webhooks' schedule, then
 * marked failed. A process killed mid-send leaves a lease that lapses, and the message is sent
 * again (with the same Message-ID).
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Actor } from '../../domain/actor.js';
import { messagesFor, NOTIFYING_TYPES } from '../../domain/notifications/messages-for.js';
import type { Order } from '../../domain/order.js';
import { accept, type Result } from '../../domain/result.js';
import type { StoreDialect } from '../../store/dialect.js';
import {
  claimDueNotifications, notificationsInsert, notificationCounts, orderNotifications,
  pruneNotifications, recordAllSent, recordFailure, type NewNotification, type NotificationRecord,
} from '../../store/notifications.js';
import { findOrdersForCommand } from '../../store/orders.js';
import type { Clock } from '../clock.js';
import type { PlacedEvent } from '../events/event.js';
import type { EventSubscriber, PlacedWith, WorkDone } from '../events/subscriber.js';
import type { IdGenerator } from '../ids.js';
import { Turns } from '../turns.js';
import { inParallel } from '../in-parallel.js';
import type { HistoryEntryView } from '../order-view.js';
import type { Loaded, OrderService } from '../order-service.js';
import type { WorkflowCatalog } from '../workflow-catalog.js';
import { LinkReminders } from './link-reminders.js';
import { MessageMaker } from './message-maker.js';
import { historyEntryOf, notificationView, weave, type NotificationView } from './notification-view.js';
import type { Notifier } from './notifier.js';
import { retryDelayMs, RETRY_SCHEDULE_SECONDS } from './retry-schedule.js';
import { attempt, outgoing } from './sending.js';
import { StepMessages, type MessageStep } from './step-messages.js';
import { Templates } from './templates.js';

export interface NotificationOptions {
  /** Where staff messages go (ORDO_STAFF_EMAIL); without it none are made. */
  readonly staffEmail?: string;
  /** Seconds between attempts after each failure; the message fails after the last. */
  readonly retrySchedule?: readonly number[];
  /** Messages sent at once by one relay. */
  readonly concurrency?: number;
  /** How long a sender holds a message before another may take it (longer than a send may last). */
  readonly leaseSeconds?: number;
  /** Another templates folder (tests). */
  readonly templatesDir?: string;
}

export interface NotificationServiceDeps extends NotificationOptions {
  readonly pool: pg.Pool;
  readonly clock: Clock;
  readonly newId: IdGenerator;
  readonly dialect: StoreDialect;
  readonly workflows: WorkflowCatalog;
  readonly orders: OrderService;
  readonly notifier: Notifier;
}

export class NotificationService implements EventSubscriber {
  readonly name = 'notifications';
  readonly #maker: MessageMaker;
  readonly #reminders: LinkReminders;
  readonly #steps: StepMessages;

  constructor(private readonly deps: NotificationServiceDeps) {
    this.#maker = new MessageMaker({ templates: new Templates(deps.templatesDir), newId: deps.newId, staffEmail: deps.staffEmail });
    this.#reminders = new LinkReminders({ pool: deps.pool, clock: deps.clock, maker: this.#maker, workflowOf: (name) => deps.workflows.get(name) });
    this.#steps = new StepMessages({ ...deps, maker: this.#maker, leaseSeconds: this.#leaseSeconds });
  }

  get notifier(): string {
    return this.deps.notifier.name;
  }

  async fanOut(tx: pg.PoolClient, events: readonly PlacedEvent[], placedWith: PlacedWith): Promise<number> {
    const candidates = events.filter((e) => e.orderId !== null && NOTIFYING_TYPES.has(e.type));
    if (candidates.length === 0) return 0;
    const orders = await this.#ordersOf(tx, candidates);
    const now = this.deps.clock.now();
    const rows: NewNotification[] = [];
    // A placing may carry hundreds of messages, at about 0.1 ms each: rendered in slices.
    const turns = new Turns();
    for (const event of candidates) {
      const found = orders.get(event.orderId!);
      if (!found) continue;
      const { order, wf } = found;
      for (const wanted of messagesFor(event, order, wf)) {
        await turns.share();
        const row = await this.#maker.make(wanted, event, order, wf, 'event', now);
        if (row) rows.push(this.deps.notifier.storesOnly && row.status === 'pending' ? { ...row, status: 'sent' } : row);
      }
    }
    // Queued with the placing's COMMIT: no round trip of its own.
    if (rows.length) placedWith.withCommit(await notificationsInsert(tx, rows));
    // Only a message waiting to be sent is work for the loop: stored sent or failed, it needs no
    // claim. (One made already, by a fan-out done before, wakes the loop for nothing: harmless.)
    return rows.filter((r) => r.status === 'pending').length;
  }

  /**
   * Each event's order with its workflow, at least as new as the event: as this process answered
   * it when it is, and the others read, in one round trip (an order changed by another process
   * since, or by a batch).
   */
  async #ordersOf(tx: pg.PoolClient, events: readonly PlacedEvent[]): Promise<Map<string, Loaded>> {
    const newest = new Map<string, number>();
    for (const e of events) {
      const version = (e.data.order as { version?: unknown } | undefined)?.version;
      newest.set(e.orderId!, Math.max(newest.get(e.orderId!) ?? 0, typeof version === 'number' ? version : Infinity));
    }
    const orders = new Map<string, Loaded>();
    for (const [id, version] of newest) {
      const kept = this.deps.orders.answeredSince(id, version);
      if (kept) orders.set(id, kept);
    }
    const unread = [...newest.keys()].filter((id) => !orders.has(id));
    if (unread.length === 0) return orders;
    for (const [id, found] of await findOrdersForCommand(tx, unread)) {
      const wf = this.deps.workflows.resolve(found.order.workflow, found.customization);
      if (wf) orders.set(id, { order: found.order, wf });
    }
    return orders;
  }

  async work(): Promise<WorkDone> {
    const reminded = await this.#reminders.queue();
    const token = randomUUID();
    const limit = this.#concurrency * 2;
    const claimed = await claimDueNotifications(this.deps.pool, this.deps.dialect, this.deps.clock.now(), limit, token, this.#leaseSeconds);
    // The sends of one claim are recorded together: one write for the batch, not one per message.
    const sent: NotificationRecord[] = [];
    await inParallel(claimed, this.#concurrency, async (n) => {
      if (await this.#deliver(n, token)) sent.push(n);
    });
    await recordAllSent(this.deps.pool, this.deps.dialect, sent, token, this.deps.clock.now());
    // A claim that came back short took every message due when it ran (the reminders just queued
    // too); a message queued since is rung for by the placing that queued it.
    return { handled: reminded + claimed.length, more: claimed.length === limit };
  }

  async prune(before: Date): Promise<number> {
    let total = 0;
    for (let n = -1; n !== 0; total += n) n = await pruneNotifications(this.deps.pool, before);
    return total;
  }

  /** A completion step that is a message (Nexway's confirmation and cancellation notice), sent now (step-messages.ts). */
  sendStep(step: MessageStep, order: Order): Promise<'done' | 'failed'> {
    return this.#steps.send(step, order);
  }

  /** An order's messages (GET /v1/orders/{id}/notifications): any to staff, only its own to a customer. */
  async list(orderId: string, actor: Actor): Promise<Result<readonly NotificationView[]>> {
    const visible = await this.#visible(orderId, actor);
    return visible.ok ? accept(visible.value.map(notificationView)) : visible;
  }

  /**
   * The order's history as this caller may read it, with the messages sent or given up on woven
   * in (`notification.sent`, `notification.failed`): they are part of the order's story.
   */
  async history(orderId: string, actor: Actor): Promise<Result<HistoryEntryView[]>> {
    const history = await this.deps.orders.history(orderId, actor);
    return history.ok ? accept(await this.#withMessages(orderId, history.value, actor)) : history;
  }

  async #withMessages(orderId: string, history: readonly HistoryEntryView[], actor: Actor): Promise<HistoryEntryView[]> {
    const entries = forCaller(await orderNotifications(this.deps.pool, orderId), actor)
      .flatMap((n) => historyEntryOf(n) ?? [])
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    return weave(history, entries);
  }

  /** Messages waiting to go out and messages given up on (for /metrics). */
  counts(): Promise<{ pending: number; failed: number }> {
    return notificationCounts(this.deps.pool);
  }

  async #visible(orderId: string, actor: Actor): Promise<Result<NotificationRecord[]>> {
    // The order's own read decides who may see it (a customer sees only its own orders).
    const order = await this.deps.orders.get(orderId, actor);
    if (!order.ok) return order;
    return accept(forCaller(await orderNotifications(this.deps.pool, orderId), actor));
  }

  /** Sends one message; true if it went (the caller records it), else its failure is recorded now. */
  async #deliver(n: NotificationRecord, token: string): Promise<boolean> {
    const failure = await attempt(() => this.deps.notifier.send(outgoing(n)));
    if (failure === undefined) return true;
    const delay = retryDelayMs(n.attempts, this.deps.retrySchedule ?? RETRY_SCHEDULE_SECONDS);
    const retryAt = delay === undefined ? null : new Date(this.deps.clock.now().getTime() + delay);
    await recordFailure(this.deps.pool, n.orderId, n.id, token, failure, retryAt);
    return false;
  }

  get #concurrency(): number {
    return this.deps.concurrency ?? 4;
  }

  get #leaseSeconds(): number {
    return this.deps.leaseSeconds ?? 120;
  }
}

/** Staff messages are the merchant's business: a customer sees only those sent to the customer. */
const forCaller = (all: NotificationRecord[], actor: Actor) => (actor.kind === 'customer' ? all.filter((n) => n.audience === 'customer') : all);
