/** The gauges /metrics reads from the database at each scrape: how far behind background work is. */
import type pg from 'pg';
import { unplacedLag } from '../store/events.js';
import { countTimersBehind } from '../store/timers.js';
import type { Clock } from './clock.js';
import type { Metrics } from './metrics.js';

/** A timer this long past due means the sweeper is behind (it runs every second). */
const OVERDUE_AFTER_SECONDS = 60;

/** What the gauges read beside the database's own tables. */
export interface GaugeSources {
  readonly webhooks: { counts(): Promise<readonly { subscriptionId: string; pending: number; failed: number }[]> };
  readonly notifications: { counts(): Promise<{ pending: number; failed: number }> };
}

export function registerEngineGauges(metrics: Metrics, pool: pg.Pool, clock: Clock, sources: GaugeSources): void {
  metrics.gauge('ordo_outbox_lag_seconds', 'Age of the oldest event not yet relayed (0 when none waits)', () => unplacedLag(pool, clock.now()));
  metrics.gauge('ordo_timers_due', 'Timers due now and not yet fired', async () => (await countTimersBehind(pool, clock.now(), 0)));
  const deliveries = (key: 'pending' | 'failed') => async () =>
    (await sources.webhooks.counts()).map((c) => ({ labels: { subscription: c.subscriptionId }, value: c[key] }));
  metrics.gauge('ordo_webhook_deliveries_pending', 'Webhook deliveries waiting or being sent, per subscription', deliveries('pending'), ['subscription']);
  metrics.gauge('ordo_webhook_deliveries_failed', 'Webhook deliveries given up (kept until pruned), per subscription', deliveries('failed'), ['subscription']);
  metrics.gauge('ordo_notifications_pending', 'Messages waiting or being sent', async () => (await sources.notifications.counts()).pending);
  metrics.gauge('ordo_notifications_failed', 'Messages given up (kept until pruned)', async () => (await sources.notifications.counts()).failed);
  metrics.gauge('ordo_timers_overdue', `Timers due more than ${OVERDUE_AFTER_SECONDS} s ago and not yet fired`, async () => (await countTimersBehind(pool, clock.now(), OVERDUE_AFTER_SECONDS)));
}
