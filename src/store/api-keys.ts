/**
 * API keys and customer tokens, stored as SHA-256 hashes: a secret is shown once, when it is
 * made, and never again. Every check reads this table, so a revoke holds at once in every process.
 */
import type { Db } from './database.js';

/** `customer`: a short-lived token a storefront issued for one customer. */
export type ApiKeyRole = 'admin' | 'storefront' | 'customer';

export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly role: ApiKeyRole;
  readonly customerId: string | null;
  readonly prefix: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  /** The storefront key that issued a customer token. */
  readonly issuedBy: string | null;
  readonly lastUsedAt: Date | null;
}

interface Row {
  id: string; name: string; role: ApiKeyRole; customer_id: string | null; key_prefix: string; created_at: Date;
  expires_at: Date | null; issued_by: string | null; last_used_at: Date | null;
}

const COLUMNS = 'id, name, role, customer_id, key_prefix, created_at, expires_at, issued_by, last_used_at';

const toRecord = (r: Row): ApiKeyRecord => ({
  id: r.id, name: r.name, role: r.role, customerId: r.customer_id, prefix: r.key_prefix, createdAt: r.created_at,
  expiresAt: r.expires_at, issuedBy: r.issued_by, lastUsedAt: r.last_used_at,
});

export async function insertApiKey(db: Db, rec: ApiKeyRecord, keyHash: string): Promise<void> {
  await db.query(
    `INSERT INTO api_keys (id, name, role, customer_id, key_hash, key_prefix, created_at, expires_at, issued_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (key_hash) DO NOTHING`,
    [rec.id, rec.name, rec.role, rec.customerId, keyHash, rec.prefix, rec.createdAt, rec.expiresAt, rec.issuedBy],
  );
}

/**
 * The live key with this hash, noting its use in the same statement: last_used_at moves at most
 * once a minute per key, so a busy key costs no write per request.
 */
export async function useApiKey(db: Db, keyHash: string, now: Date): Promise<ApiKeyRecord | undefined> {
  const res = await db.query<Row>({
    name: 'ordo_use_api_key',
    text: `WITH found AS (
             SELECT ${COLUMNS} FROM api_keys
             WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)
           ), touched AS (
             UPDATE api_keys k SET last_used_at = $2 FROM found
             WHERE k.id = found.id AND (found.last_used_at IS NULL OR found.last_used_at <= $2 - interval '1 minute')
           )
           SELECT ${COLUMNS} FROM found`,
    values: [keyHash, now],
  });
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}

/** Keys not revoked, newest first; customer tokens only while they are valid. */
export async function listApiKeys(db: Db, now: Date): Promise<ApiKeyRecord[]> {
  const res = await db.query<Row>(
    `SELECT ${COLUMNS} FROM api_keys WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $1) ORDER BY created_at DESC, id DESC`,
    [now],
  );
  return res.rows.map(toRecord);
}

export async function findApiKey(db: Db, id: string): Promise<ApiKeyRecord | undefined> {
  const res = await db.query<Row>(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1 AND revoked_at IS NULL`, [id]);
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}

/** Revokes the key; false if there is none live with this id. */
export async function revokeApiKey(db: Db, id: string, now: Date): Promise<boolean> {
  const res = await db.query('UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [id, now]);
  return res.rowCount === 1;
}
