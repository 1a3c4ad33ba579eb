/**
 * Idempotency-Key handling for writes. A request claims its key, then runs inside the claim's
 * scope: the first order change its command commits also commits the key, with the answer as
 * committed, in the same transaction (OrderService reads the scope). The answer actually sent
 * is stored afterwards; a request that failed on our side before committing anything frees
 * its key for a retry.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { claimIdempotencyKey, commitIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey, type Claim, type StoredAnswer } from '../store/idempotency.js';
import type { Db } from '../store/database.js';
import type { Clock } from './clock.js';
import type { IdGenerator } from './ids.js';
import type { OrderView } from './order-view.js';

/** A claimed key, as the command running under it sees it. */
export interface KeyClaim {
  readonly principal: string;
  readonly key: string;
  readonly token: string;
  /** The answer a replay gives for this order as committed (the caller's shape: status, headers). */
  readonly answer: (order: OrderView) => StoredAnswer;
  /** Set once the command's first change committed the key. */
  committed?: boolean;
}

const scope = new AsyncLocalStorage<KeyClaim>();

export class IdempotencyService {
  constructor(private readonly deps: { pool: pg.Pool; clock: Clock; newId: IdGenerator }) {}

  /** The fingerprint of a request: the same key may only ever be used for the same request. */
  static fingerprint(method: string, url: string, body: unknown): string {
    return createHash('sha256').update(`${method} ${url}\n${JSON.stringify(body ?? null)}`).digest('hex');
  }

  claim(principal: string, key: string, fingerprint: string): Promise<Claim> {
    return claimIdempotencyKey(this.deps.pool, principal, key, fingerprint, this.deps.newId(), this.deps.clock.now());
  }

  /** Runs `work` (a request's handler) under the claim, so that its command commits the key. */
  run<T>(claim: KeyClaim, work: () => T): T {
    return scope.run(claim, work);
  }

  complete(claim: KeyClaim, answer: StoredAnswer): Promise<void> {
    return completeIdempotencyKey(this.deps.pool, claim.principal, claim.key, claim.token, answer);
  }

  release(claim: KeyClaim): Promise<void> {
    return releaseIdempotencyKey(this.deps.pool, claim.principal, claim.key, claim.token);
  }
}

/** The claim of the request this command runs for, if it has one and it has not committed yet. */
export const uncommittedClaim = (): KeyClaim | undefined => {
  const claim = scope.getStore();
  return claim && !claim.committed ? claim : undefined;
};

/** Commits the claim inside the command's transaction; false if the claim was taken over (roll back). */
export async function commitClaim(tx: Db, claim: KeyClaim, orderId: string, view: OrderView): Promise<boolean> {
  return commitIdempotencyKey(tx, claim.principal, claim.key, claim.token, orderId, claim.answer(view));
}
