/** Making and checking API keys. */
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Actor } from '../domain/actor.js';
import { findApiKeyByHash, insertApiKey, type ApiKeyRecord, type ApiKeyRole } from '../store/api-keys.js';
import type { Clock } from './clock.js';
import type { IdGenerator } from './ids.js';

export interface NewApiKey {
  readonly role: ApiKeyRole;
  readonly name: string;
  readonly customerId?: string;
}

export interface IssuedApiKey extends ApiKeyRecord {
  /** The secret itself; shown only in this answer. */
  readonly key: string;
}

export interface Principal {
  readonly keyId: string;
  readonly actor: Actor;
}

const hash = (key: string) => createHash('sha256').update(key).digest('hex');

export const generateKey = (role: ApiKeyRole): string => `ordo_${role === 'admin' ? 'ak' : 'sk'}_${randomBytes(24).toString('base64url')}`;

export class ApiKeyService {
  constructor(private readonly deps: { pool: pg.Pool; clock: Clock; newId: IdGenerator }) {}

  async create(input: NewApiKey, key: string = generateKey(input.role)): Promise<IssuedApiKey> {
    const record: ApiKeyRecord = {
      id: this.deps.newId(),
      name: input.name,
      role: input.role,
      customerId: input.role === 'storefront' ? (input.customerId ?? null) : null,
      prefix: key.slice(0, 12),
      createdAt: this.deps.clock.now(),
    };
    await insertApiKey(this.deps.pool, record, hash(key));
    return { ...record, key };
  }

  /** Registers a key chosen by the operator (ORDO_ADMIN_KEY); registering it again changes nothing. */
  async ensure(key: string, input: NewApiKey): Promise<void> {
    await this.create(input, key);
  }

  async authenticate(key: string): Promise<Principal | undefined> {
    // Looked up by hash: the stored value reveals nothing, and timing tells nothing about the key.
    const record = await findApiKeyByHash(this.deps.pool, hash(key));
    if (!record) return undefined;
    const actor: Actor = record.role === 'admin'
      ? { kind: 'admin', id: `key:${record.id}` }
      : { kind: 'customer', id: `key:${record.id}`, customerId: record.customerId ?? '' };
    return { keyId: record.id, actor };
  }
}
