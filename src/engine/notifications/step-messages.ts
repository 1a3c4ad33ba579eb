/**
 * Completion steps that are messages (Nexway's confirmation e-mail and cancellation notice):
 * sent at once, outside any transaction, through the same notifier as every message, so the
 * step fails when the message cannot go out (PENDING_WITH_ERROR, CANCELED_WITH_ERROR). The
 * message is stored like any other; the confirmation shares the once-per-order key with the
 * one the stream would make, so it is never sent twice.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { EventFacts } from '../../domain/notifications/event-facts.js';
import { ONCE_PER_ORDER, type WantedMessage } from '../../domain/notifications/messages.js';
import type { Order } from '../../domain/order.js';
import { totalsOf } from '../../domain/totals.js';
import { claimStepNotification, insertNotifications, recordFailure, recordSent } from '../../store/notifications.js';
import type { Clock } from '../clock.js';
import type { WorkflowCatalog } from '../workflow-catalog.js';
import type { MessageMaker } from './message-maker.js';
import type { Notifier } from './notifier.js';
import { attempt, outgoing } from './sending.js';

/** The completion steps that are messages (Nexway), and what they send. */
export type MessageStep = 'confirmation' | 'cancellation_notice';
const STEP_MESSAGES = {
  confirmation: { message: 'order_confirmation', key: ONCE_PER_ORDER, type: 'order.completion_steps' },
  cancellation_notice: { message: 'order_cancelled', key: 'step:cancellation_notice', type: 'order.cancellation_notice' },
} as const;

export class StepMessages {
  constructor(private readonly deps: { pool: pg.Pool; clock: Clock; workflows: WorkflowCatalog; notifier: Notifier; maker: MessageMaker; leaseSeconds: number }) {}

  /**
   * A completion step that is a message (Nexway's confirmation and cancellation notice), sent now
   * through the same notifier, so the step fails when the message cannot go out. Safe to run
   * again: a message that went out is not sent twice. An order without an e-mail has nobody to
   * tell, which is no failure.
   */
  async send(step: MessageStep, order: Order): Promise<'done' | 'failed'> {
    const wf = await this.deps.workflows.get(order.workflow);
    if (!wf) return 'failed';
    const { message, key, type } = STEP_MESSAGES[step];
    const now = this.deps.clock.now();
    const facts: EventFacts = { id: key, type, occurredAt: now.toISOString(), data: { order: { status: order.status, totals: totalsOf(order) } } };
    const wanted: WantedMessage = { message, audience: 'customer', key };
    const made = await this.deps.maker.make(wanted, facts, order, wf, 'step', now);
    if (!made) return 'done';
    if (made.status === 'failed') {
      await insertNotifications(this.deps.pool, [made]);
      return 'failed';
    }
    const token = randomUUID();
    const claim = await claimStepNotification(this.deps.pool, made, now, token, this.deps.leaseSeconds);
    if (claim.state !== 'claimed') return claim.state === 'sent' ? 'done' : 'failed';
    const record = { ...made, id: claim.id };
    const failure = await attempt(() => this.deps.notifier.send(outgoing(record)));
    if (failure === undefined) {
      await recordSent(this.deps.pool, order.id, claim.id, token, this.deps.clock.now());
      return 'done';
    }
    // The workflow retries the step (Nexway's repair), not the relay.
    await recordFailure(this.deps.pool, order.id, claim.id, token, failure, null);
    return 'failed';
  }
}
