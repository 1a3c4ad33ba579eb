/** API keys, stored as SHA-256 hashes: a key is shown once, when it is made, and never again. */
import type { Db } from './database.js';

export type ApiKeyRole = 'admin' | 'storefront';

export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly role: ApiKeyRole;
  readonly customerId: string | null;
  readonly prefix: string;
  readonly createdAt: Date;
}

interface Row { id: string; name: string; role: ApiKeyRole; customer_id: string | null; key_prefix: string; created_at: Date }

const toRecord = (r: Row): ApiKeyRecord => ({ id: r.id, name: r.name, role: r.role, customerId: r.customer_id, prefix: r.key_prefix, createdAt: r.created_at });

export async function insertApiKey(db: Db, rec: ApiKeyRecord, keyHash: string): Promise<void> {
  await db.query(
    `INSERT INTO api_keys (id, name, role, customer_id, key_hash, key_prefix, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (key_hash) DO NOTHING`,
    [rec.id, rec.name, rec.role, rec.customerId, keyHash, rec.prefix, rec.createdAt],
  );
}

export async function findApiKeyByHash(db: Db, keyHash: string): Promise<ApiKeyRecord | undefined> {
  const res = await db.query<Row>({
    name: 'ordo_find_api_key',
    text: 'SELECT id, name, role, customer_id, key_prefix, created_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
    values: [keyHash],
  });
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}
