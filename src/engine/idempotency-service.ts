/** Idempotency-Key handling for writes: claim, then store the answer, or release on our own failure. */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey, type Claim } from '../store/idempotency.js';
import type { Clock } from './clock.js';

export class IdempotencyService {
  constructor(private readonly deps: { pool: pg.Pool; clock: Clock }) {}

  /** The fingerprint of a request: the same key may only ever be used for the same request. */
  static fingerprint(method: string, url: string, body: unknown): string {
    return createHash('sha256').update(`${method} ${url}\n${JSON.stringify(body ?? null)}`).digest('hex');
  }

  claim(principal: string, key: string, fingerprint: string): Promise<Claim> {
    return claimIdempotencyKey(this.deps.pool, principal, key, fingerprint, this.deps.clock.now());
  }

  complete(principal: string, key: string, statusCode: number, response: string, headers: Readonly<Record<string, string>>): Promise<void> {
    return completeIdempotencyKey(this.deps.pool, principal, key, statusCode, response, headers);
  }

  release(principal: string, key: string): Promise<void> {
    return releaseIdempotencyKey(this.deps.pool, principal, key);
  }
}
