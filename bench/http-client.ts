/**
 * A lean HTTP client for the load generator: one undici Pool per server, JSON in and out,
 * and each call's latency kept by call type, so that a report can give p50/p99 per call.
 */
import { Pool } from 'undici';

export class Latencies {
  readonly byCall = new Map<string, number[]>();
  add(call: string, ms: number): void {
    let list = this.byCall.get(call);
    if (!list) this.byCall.set(call, (list = []));
    list.push(ms);
  }
}

export class HttpFailure extends Error {}

export class OrdoClient {
  private readonly pool: Pool;
  private readonly headers: Record<string, string>;

  constructor(base: string, adminKey: string, connections: number, readonly latencies = new Latencies()) {
    this.pool = new Pool(base, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
    this.headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
  }

  /** A JSON call that must answer `expect`; its answer, parsed. */
  async call<T>(call: string, method: 'GET' | 'POST' | 'PUT', path: string, body: unknown, expect: number | readonly number[] = [200, 201]): Promise<{ status: number; json: T }> {
    const started = performance.now();
    const res = await this.pool.request({ method, path, headers: this.headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.body.text();
    this.latencies.add(call, performance.now() - started);
    const allowed = typeof expect === 'number' ? [expect] : expect;
    if (!allowed.includes(res.statusCode)) throw new HttpFailure(`${method} ${path} answered ${res.statusCode}: ${text.slice(0, 300)}`);
    return { status: res.statusCode, json: (text ? JSON.parse(text) : undefined) as T };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
