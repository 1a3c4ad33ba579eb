/**
 * What `/metrics` serves (Prometheus text): counters and histograms the engine and the HTTP
 * shell update as they go, and gauges read from the database when scraped. Each Ordo has a
 * registry of its own, so two in one process (tests, a relay beside a server) never mix.
 */
import client from 'prom-client';
import type pg from 'pg';

/** A gauge whose values are read when scraped: one number, or one per label set. */
export type GaugeReading = number | readonly { readonly labels: Readonly<Record<string, string>>; readonly value: number }[];

export class Metrics {
  readonly registry = new client.Registry();

  readonly #commands = new client.Counter({
    name: 'ordo_commands_total',
    help: 'Order commands by type and result (ok, or the refusal code)',
    labelNames: ['type', 'result'] as const,
    registers: [this.registry],
  });

  readonly #http = new client.Histogram({
    name: 'ordo_http_request_duration_seconds',
    help: 'HTTP request latency by route and status class',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly #gateway = new client.Histogram({
    name: 'ordo_gateway_call_duration_seconds',
    help: 'Payment gateway call latency by gateway, operation and outcome',
    labelNames: ['gateway', 'operation', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor(pool: pg.Pool) {
    const poolGauge = (name: string, help: string, read: () => number) =>
      new client.Gauge({ name, help, registers: [this.registry], collect() { this.set(read()); } });
    poolGauge('ordo_db_pool_connections', 'Connections the pool holds', () => pool.totalCount);
    poolGauge('ordo_db_pool_idle', 'Connections in the pool not in use', () => pool.idleCount);
    poolGauge('ordo_db_pool_waiting', 'Queries waiting for a connection', () => pool.waitingCount);
  }

  command(type: string, result: string): void {
    this.#commands.inc({ type, result });
  }

  request(method: string, route: string, status: number, seconds: number): void {
    this.#http.observe({ method, route, status: `${Math.floor(status / 100)}xx` }, seconds);
  }

  /** Starts timing a gateway call; call the result with its outcome when it answered (or 'error'). */
  gatewayCall(gateway: string, operation: string): (outcome: string) => void {
    const end = this.#gateway.startTimer({ gateway, operation });
    return (outcome) => void end({ outcome });
  }

  /** A gauge read from the database (or elsewhere) at each scrape. */
  gauge(name: string, help: string, read: () => Promise<GaugeReading>, labelNames: readonly string[] = []): void {
    new client.Gauge({
      name, help, labelNames, registers: [this.registry],
      async collect() {
        const value = await read();
        this.reset();
        if (typeof value === 'number') this.set(value);
        else for (const v of value) this.set(v.labels, v.value);
      },
    });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
