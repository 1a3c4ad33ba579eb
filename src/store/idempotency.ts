/**
 * Idempotency keys. A request first claims its key; the answer is stored when it is sent.
 * A key sent again with the same request gets that answer back; with another request, a refusal.
 */
import type { Db } from './database.js';

export type Claim =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'replay'; readonly statusCode: number; readonly response: string; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'running' };

/** A request that claimed its key this long ago and never answered died with its process: the key may be claimed again. */
export const ABANDONED_AFTER_SECONDS = 300;

export async function claimIdempotencyKey(db: Db, principal: string, key: string, requestHash: string, now: Date): Promise<Claim> {
  const inserted = await db.query(
    `INSERT INTO idempotency_keys (principal, key, request_hash, state, created_at) VALUES ($1, $2, $3, 'running', $4)
     ON CONFLICT (principal, key) DO NOTHING`,
    [principal, key, requestHash, now],
  );
  if (inserted.rowCount === 1) return { kind: 'claimed' };
  const res = await db.query<{ request_hash: string; state: string; status_code: number | null; response: string | null; headers: Record<string, string> }>(
    'SELECT request_hash, state, status_code, response, headers FROM idempotency_keys WHERE principal = $1 AND key = $2',
    [principal, key],
  );
  const row = res.rows[0];
  if (!row) return claimIdempotencyKey(db, principal, key, requestHash, now); // released meanwhile
  if (row.request_hash !== requestHash) return { kind: 'mismatch' };
  if (row.state !== 'done') {
    // Taken over only if it is still the same abandoned claim (another request may be taking it too).
    const taken = await db.query(
      `UPDATE idempotency_keys SET created_at = $3 WHERE principal = $1 AND key = $2 AND state = 'running' AND created_at <= $3::timestamptz - make_interval(secs => $4)`,
      [principal, key, now, ABANDONED_AFTER_SECONDS],
    );
    return taken.rowCount === 1 ? { kind: 'claimed' } : { kind: 'running' };
  }
  return { kind: 'replay', statusCode: row.status_code!, response: row.response ?? '', headers: row.headers };
}

export async function completeIdempotencyKey(db: Db, principal: string, key: string, statusCode: number, response: string, headers: Readonly<Record<string, string>>): Promise<void> {
  await db.query(`UPDATE idempotency_keys SET state = 'done', status_code = $3, response = $4, headers = $5 WHERE principal = $1 AND key = $2`, [principal, key, statusCode, response, JSON.stringify(headers)]);
}

/** Lets a request that failed for reasons of our own be tried again with the same key. */
export async function releaseIdempotencyKey(db: Db, principal: string, key: string): Promise<void> {
  await db.query(`DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2 AND state = 'running'`, [principal, key]);
}
