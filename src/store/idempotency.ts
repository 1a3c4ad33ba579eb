/**
 * Idempotency keys. A request claims its key under a token of its own. A command it runs
 * commits the key (`committed`, with the answer as committed) in the command's own
 * transaction; the answer actually sent replaces it (`done`). A key sent again with the same
 * request gets the stored answer; with another request, a refusal. Only a claim that never
 * committed may be taken over, and only after it was abandoned: the taker gets a new token,
 * and the old request can no longer commit under its own.
 */
import type { Db } from './database.js';

export type Claim =
  | { readonly kind: 'claimed'; readonly token: string }
  | { readonly kind: 'replay'; readonly statusCode: number; readonly response: string; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'running' };

/** The answer a key keeps: what a replay sends. */
export interface StoredAnswer {
  readonly statusCode: number;
  readonly response: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** A request that claimed its key this long ago and committed nothing died with its process: the key may be claimed again. */
export const ABANDONED_AFTER_SECONDS = 300;

export async function claimIdempotencyKey(db: Db, principal: string, key: string, requestHash: string, token: string, now: Date): Promise<Claim> {
  const inserted = await db.query({
    name: 'ordo_claim_key',
    text: `INSERT INTO idempotency_keys (principal, key, request_hash, state, token, created_at) VALUES ($1, $2, $3, 'running', $4, $5)
     ON CONFLICT (principal, key) DO NOTHING`,
    values: [principal, key, requestHash, token, now],
  });
  if (inserted.rowCount === 1) return { kind: 'claimed', token };
  const res = await db.query<{ request_hash: string; state: string; status_code: number | null; response: string | null; headers: Record<string, string> }>(
    'SELECT request_hash, state, status_code, response, headers FROM idempotency_keys WHERE principal = $1 AND key = $2',
    [principal, key],
  );
  const row = res.rows[0];
  if (!row) return claimIdempotencyKey(db, principal, key, requestHash, token, now); // released meanwhile
  if (row.request_hash !== requestHash) return { kind: 'mismatch' };
  if (row.state === 'running') {
    // Taken over only if it is still the same abandoned claim (another request may be taking it too).
    const taken = await db.query(
      `UPDATE idempotency_keys SET created_at = $3, token = $5 WHERE principal = $1 AND key = $2 AND state = 'running' AND created_at <= $3::timestamptz - make_interval(secs => $4)`,
      [principal, key, now, ABANDONED_AFTER_SECONDS, token],
    );
    return taken.rowCount === 1 ? { kind: 'claimed', token } : { kind: 'running' };
  }
  return { kind: 'replay', statusCode: row.status_code!, response: row.response ?? '', headers: row.headers };
}

/**
 * Marks the key's command as committed, with its answer; runs inside the command's transaction.
 * False when the claim is no longer this request's (taken over): the command must then roll back.
 */
export async function commitIdempotencyKey(tx: Db, principal: string, key: string, token: string, orderId: string, answer: StoredAnswer): Promise<boolean> {
  const res = await tx.query({
    name: 'ordo_commit_key',
    text: `UPDATE idempotency_keys SET state = 'committed', order_id = $4, status_code = $5, response = $6, headers = $7
      WHERE principal = $1 AND key = $2 AND token = $3 AND state = 'running'`,
    values: [principal, key, token, orderId, answer.statusCode, answer.response, JSON.stringify(answer.headers)],
  });
  return res.rowCount === 1;
}

/** Keeps the answer that was sent, if the claim is still this request's. */
export async function completeIdempotencyKey(db: Db, principal: string, key: string, token: string, answer: StoredAnswer): Promise<void> {
  await db.query(
    `UPDATE idempotency_keys SET state = 'done', status_code = $4, response = $5, headers = $6 WHERE principal = $1 AND key = $2 AND token = $3 AND state IN ('running', 'committed')`,
    [principal, key, token, answer.statusCode, answer.response, JSON.stringify(answer.headers)],
  );
}

/** Lets a request that failed for reasons of our own be tried again with the same key, unless its command committed. */
export async function releaseIdempotencyKey(db: Db, principal: string, key: string, token: string): Promise<void> {
  await db.query(`DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2 AND token = $3 AND state = 'running'`, [principal, key, token]);
}
