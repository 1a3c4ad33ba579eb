/**
 * createOrdo: the one place that wires the engine. Give it a database URL (or let it start
 * the embedded PostgreSQL under ./.ordo), a clock and an id generator; get the services.
 */
import path from 'node:path';
import type pg from 'pg';
import { createPool } from '../store/database.js';
import { statementsSetting, storeDialect, type StatementsSetting, type StoreDialect } from '../store/dialect.js';
import { startEmbedded, type EmbeddedServer } from '../store/embedded.js';
import { migrate } from '../store/migrate.js';
import { ApiKeyService } from './api-key-service.js';
import { systemClock, type Clock } from './clock.js';
import { IdempotencyService } from './idempotency-service.js';
import { newId as defaultNewId, type IdGenerator } from './ids.js';
import { CancellationService } from './cancellation-service.js';
import { ReturnService } from './return-service.js';
import { ModificationService } from './modification-service.js';
import { FulfillmentService } from './fulfillment-service.js';
import { OrderReads } from './order-reads.js';
import { OrderService } from './order-service.js';
import { ApprovalService } from './approval-service.js';
import { CompletionService, messagingHandler, type CompletionHandler } from './completion-service.js';
import { NotificationService } from './notifications/notification-service.js';
import { notificationSettings, type NotificationSettings } from './notifications/settings.js';
import { screenByRules, type FraudRules, type Screening } from '../domain/fraud.js';
import type { Order } from '../domain/order.js';
import { PaymentService } from './payment-service.js';
import type { PaymentGateway } from '../gateways/port.js';
import { SimulatedGateway } from '../gateways/simulated.js';
import { StockService } from './stock-service.js';
import { PriceService } from './price-service.js';
import { Sweeper } from './sweeper.js';
import { WorkflowCatalog } from './workflow-catalog.js';
import { EventStream } from './events/event-stream.js';
import { Relay, type RelayOptions } from './events/relay.js';
import type { EventSubscriber } from './events/subscriber.js';
import { Announcer } from './events/wake.js';
import { Metrics } from './metrics.js';
import { registerEngineGauges } from './engine-gauges.js';
import { WebhookService } from './webhooks/webhook-service.js';
import type { WebhookOptions } from './webhooks/settings.js';

/** Whether an error means the database cannot be reached now (503 and Retry-After, not 500): for the HTTP and CLI shells. */
export { isDatabaseUnavailable } from '../store/unavailable.js';

export interface OrdoOptions extends NotificationSettings {
  /** An external PostgreSQL; without it Ordo starts its embedded server. */
  readonly databaseUrl?: string;
  /** Where the embedded server keeps its data (default ./.ordo, or ORDO_DATA_DIR). */
  readonly dataDir?: string;
  /** The embedded server's port (default: a free one, or ORDO_PG_PORT). */
  readonly pgPort?: number;
  /** Apply pending migrations on start (default true). */
  readonly migrate?: boolean;
  readonly poolSize?: number;
  /** Callback secrets per gateway (default: ORDO_GATEWAY_SECRET_<GATEWAY> from the environment). */
  readonly gatewaySecrets?: Readonly<Record<string, string>>;
  /** Fraud screening for workflows with a review (Nexway): the built-in rules, or a screener of your own. */
  readonly fraud?: { readonly rules?: FraudRules; readonly screen?: (order: Order) => Promise<Screening> };
  /** Completion step handlers (deliver, invoice, confirm); the built-in ones succeed unless told to fail, and send the confirmation and cancellation notice through the notifier. */
  readonly completionHandler?: CompletionHandler;
  /** Gateways of your own, or in place of the built-in `simulated` one (same name). */
  readonly gateways?: (pool: pg.Pool) => readonly PaymentGateway[];
  /**
   * The gateways switched on, by name (default: ORDO_GATEWAYS, comma-separated; else the ones
   * given in `gateways`, else `simulated`). The built-in simulated gateway runs only when named here
   * or when nothing else is configured: once a real gateway is given, rehearsal is opt-in.
   */
  readonly enabledGateways?: readonly string[];
  /** Every line takes the price on file, storefront keys' included (default: ORDO_ENFORCE_PRICES=1). */
  readonly enforcePrices?: boolean;
  /** Browser origins allowed to call the API with a customer token (default: ORDO_CORS_ORIGINS, comma-separated; none). */
  readonly corsOrigins?: readonly string[];
  /** Requests per minute per key and per client address on the routes customer tokens use (default: ORDO_RATE_LIMIT, else 300). */
  readonly rateLimitPerMinute?: number;
  readonly clock?: Clock;
  readonly newId?: IdGenerator;
  /** Hears what failed after a change was saved (default: the console); the change itself stands. */
  readonly onError?: (err: unknown) => void;
  /** Races a command may lose before it decides under the order's row lock (default 2; 0 always locks: for tests of that path). */
  readonly optimisticAttempts?: number;
  /**
   * The Citus-safe statements or the plain ones (default: ORDO_STATEMENTS, else `auto`, which
   * takes the Citus forms on a database with the citus extension, or one that does not answer
   * at start). `citus` runs them on plain PostgreSQL too (the tests do).
   */
  readonly statements?: StatementsSetting;
  /** The relay's batch, polling and retention (default retention: ORDO_EVENT_RETENTION_DAYS, else 30 days). */
  readonly relay?: RelayOptions;
  /** Webhook delivery: private targets, retry schedule, concurrency (default: ORDO_ALLOW_PRIVATE_WEBHOOKS, ORDO_WEBHOOK_RETRIES). */
  readonly webhooks?: WebhookOptions;
}

export interface Ordo {
  readonly orders: OrderService;
  readonly payments: PaymentService;
  readonly fulfillments: FulfillmentService;
  readonly cancellations: CancellationService;
  readonly returns: ReturnService;
  readonly modifications: ModificationService;
  readonly completions: CompletionService;
  readonly approvals: ApprovalService;
  readonly gateways: ReadonlyMap<string, PaymentGateway>;
  readonly stock: StockService;
  readonly sweeper: Sweeper;
  readonly apiKeys: ApiKeyService;
  readonly prices: PriceService;
  /** How this deployment lets callers in: read by the HTTP shell and `ordo serve`. */
  readonly access: AccessSettings;
  readonly idempotency: IdempotencyService;
  /** The event stream to pull (GET /v1/events). */
  readonly events: EventStream;
  /** Customer and staff messages: a subscriber of the event stream (GET /v1/orders/{id}/notifications). */
  readonly notifications: NotificationService;
  /** Places events and runs their subscribers: started by `ordo serve` and `ordo relay`. */
  readonly relay: Relay;
  /** What GET /metrics serves. */
  readonly metrics: Metrics;
  /** Webhook subscriptions, their delivery log and re-sends; a subscriber of the relay. */
  readonly webhooks: WebhookService;
  /** The workflows as this deployment runs them: presets with the merchant's settings and statuses. */
  readonly workflows: WorkflowCatalog;
  /** The back office's reads of many orders: search, stuck orders, per-status counts, tracked SKUs. */
  readonly reads: OrderReads;
  readonly clock: Clock;
  readonly pool: pg.Pool;
  readonly databaseUrl: string;
  /** The statement forms this Ordo uses, settled at start. */
  readonly dialect: StoreDialect;
  /** Whether the database is the embedded one this process started. */
  readonly embedded: boolean;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface AccessSettings {
  readonly enforcePrices: boolean;
  /** The built-in simulated gateway is on: payments are a rehearsal. */
  readonly simulation: boolean;
  readonly corsOrigins: readonly string[];
  readonly rateLimitPerMinute: number;
}

export async function createOrdo(options: OrdoOptions = {}): Promise<Ordo> {
  const statements = options.statements ?? statementsSetting(process.env.ORDO_STATEMENTS);
  const retentionDays = options.relay?.retentionDays ?? retentionFromEnv();
  let server: EmbeddedServer | undefined;
  let databaseUrl = options.databaseUrl;
  if (!databaseUrl) {
    server = await startEmbedded({
      dataDir: options.dataDir ?? path.resolve('.ordo'),
      ...(options.pgPort ? { port: options.pgPort } : {}),
    });
    databaseUrl = server.url;
  }
  try {
    if (options.migrate !== false) await migrate(databaseUrl);
  } catch (err) {
    await server?.stop();
    throw err;
  }
  const pool = createPool(databaseUrl, options.poolSize);
  const dialect = await storeDialect(pool, statements);
  const clock = options.clock ?? systemClock;
  const workflows = new WorkflowCatalog({ pool, clock });
  const deps = { pool, clock, newId: options.newId ?? defaultNewId, workflows, dialect };
  const rules = options.fraud?.rules ?? fraudRulesFromEnv();
  const access = accessFromEnv(options);
  const secret = (name: string) => options.gatewaySecrets?.[name] ?? process.env[`ORDO_GATEWAY_SECRET_${name.toUpperCase()}`];
  const own = options.gateways?.(pool) ?? [];
  const enabled = options.enabledGateways ?? list(process.env.ORDO_GATEWAYS) ?? (own.length ? own.map((g) => g.name) : ['simulated']);
  const all = new Map([new SimulatedGateway(pool, secret('simulated')), ...own].map((g) => [g.name, g]));
  const unknown = enabled.filter((name) => !all.has(name));
  if (unknown.length) {
    await pool.end();
    await server?.stop();
    throw new Error(`ORDO_GATEWAYS names ${unknown.join(', ')}, which this Ordo does not have (it has ${[...all.keys()].join(', ')})`);
  }
  const gateways: ReadonlyMap<string, PaymentGateway> = new Map(enabled.map((name) => [name, all.get(name)!]));
  const prices = new PriceService({ pool, clock, enforcePrices: access.enforcePrices });
  // The event stream's readers; each is added below where it is made.
  const subscribers: EventSubscriber[] = [];
  const relay = new Relay({ pool, clock, databaseUrl, subscribers, ...options.relay, retentionDays, ...(options.onError ? { onError: options.onError } : {}) });
  const announcer = new Announcer(pool);
  // New work for the relay: this process's own, when it runs one; else relays elsewhere, by NOTIFY.
  const wake = () => (relay.running ? relay.nudge() : announcer.announce());
  const webhooks = new WebhookService({ pool, clock, dialect, newId: deps.newId, wake, ...(options.webhooks ? { options: options.webhooks } : {}), ...(options.onError ? { onError: options.onError } : {}) });
  subscribers.push(webhooks);
  const metrics = new Metrics(pool);
  const orders = new OrderService({ ...deps, metrics, prices, onlineGateway: enabled[0] ?? 'simulated', ...(options.onError ? { onError: options.onError } : {}), ...(options.optimisticAttempts !== undefined ? { optimisticAttempts: options.optimisticAttempts } : {}), screen: options.fraud?.screen ?? (async (order) => screenByRules(order, rules)) });
  // A saved change is work for the relay.
  orders.onSaved(async () => {
    wake();
    return false;
  });
  const notifications = new NotificationService({ ...deps, orders, ...notificationSettings(options) });
  subscribers.push(notifications);
  registerEngineGauges(metrics, pool, clock, { webhooks, notifications });
  const completions = new CompletionService({ pool, clock, orders, handler: options.completionHandler ?? messagingHandler((step, order) => notifications.sendStep(step, order)) });
  orders.onSaved((order, wf) => completions.afterSave(order, wf));
  const settings: AccessSettings = { ...access, simulation: gateways.get('simulated') instanceof SimulatedGateway };
  const payments = new PaymentService({ ...deps, metrics, orders, gateways, simulation: settings.simulation, ...(options.onError ? { onError: options.onError } : {}) });
  orders.onSaved((order, wf) => payments.afterSave(order, wf));
  const cancellations = new CancellationService({ orders, payments });
  orders.onSaved((order, wf) => cancellations.afterSave(order, wf));
  return {
    orders,
    payments,
    fulfillments: new FulfillmentService({ ...deps, orders }),
    cancellations,
    returns: new ReturnService({ ...deps, orders, payments }),
    modifications: new ModificationService({ ...deps, orders, payments }),
    completions,
    notifications,
    approvals: new ApprovalService({ orders, payments }),
    gateways,
    stock: new StockService(deps),
    sweeper: new Sweeper({ ...deps, orders, payments, completions }),
    apiKeys: new ApiKeyService(deps),
    prices,
    access: settings,
    idempotency: new IdempotencyService(deps),
    events: new EventStream({ pool, relay }),
    relay,
    metrics,
    webhooks,
    workflows,
    reads: new OrderReads({ pool, clock, workflows }),
    clock,
    pool,
    databaseUrl,
    dialect,
    embedded: server !== undefined,
    ping: async () => (await pool.query('SELECT 1')).rowCount === 1,
    close: async () => {
      // A relay still running here stops first (sends cut short are retried once their claims lapse).
      await Promise.race([relay.stop(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      webhooks.close();
      // A pool whose database is gone or hung must not hold up the shutdown: wait half a second at most.
      await Promise.race([pool.end().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 500).unref())]);
      await server?.stop();
    },
  };
}

/** How many days events are kept: ORDO_EVENT_RETENTION_DAYS, at least 7 (deliveries retry for about 3½ days). */
function retentionFromEnv(): number {
  const raw = process.env.ORDO_EVENT_RETENTION_DAYS;
  if (raw === undefined || raw === '') return 30;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 7) throw new Error(`ORDO_EVENT_RETENTION_DAYS must be a whole number of days >= 7, not '${raw}'`);
  return days;
}

/** The built-in screening rules a merchant sets in the environment: ORDO_FRAUD_AMOUNT_ABOVE, ORDO_FRAUD_EMAIL_DOMAINS (comma-separated). */
function fraudRulesFromEnv(): FraudRules {
  const amount = Number(process.env.ORDO_FRAUD_AMOUNT_ABOVE);
  const domains = (process.env.ORDO_FRAUD_EMAIL_DOMAINS ?? '').split(',').map((d) => d.trim().toLowerCase()).filter(Boolean);
  return { ...(Number.isSafeInteger(amount) && amount > 0 ? { amountAbove: amount } : {}), ...(domains.length ? { emailDomains: domains } : {}) };
}

const list = (value: string | undefined): string[] | undefined => {
  const items = (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  return items.length ? items : undefined;
};

/** The access settings from the options, else the environment. */
function accessFromEnv(options: OrdoOptions): Omit<AccessSettings, 'simulation'> {
  const limit = options.rateLimitPerMinute ?? Number(process.env.ORDO_RATE_LIMIT || 300);
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`ORDO_RATE_LIMIT must be a whole number of requests per minute >= 1, not '${process.env.ORDO_RATE_LIMIT}'`);
  return {
    enforcePrices: options.enforcePrices ?? ['1', 'true'].includes(process.env.ORDO_ENFORCE_PRICES ?? ''),
    corsOrigins: options.corsOrigins ?? list(process.env.ORDO_CORS_ORIGINS) ?? [],
    rateLimitPerMinute: limit,
  };
}
