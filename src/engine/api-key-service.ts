/** Making, checking, listing and revoking API keys and the customer tokens storefronts issue. */
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Actor } from '../domain/actor.js';
import { accept, reject, type Result } from '../domain/result.js';
import { findApiKey, insertApiKey, listApiKeys, revokeApiKey, useApiKey, type ApiKeyRecord, type ApiKeyRole } from '../store/api-keys.js';
import type { Clock } from './clock.js';
import { isUuid, type IdGenerator } from './ids.js';
import { KeyCheck } from './key-check.js';

export type { ApiKeyRecord, ApiKeyRole };

export interface NewApiKey {
  readonly role: Exclude<ApiKeyRole, 'customer'>;
  readonly name: string;
  /** A storefront key bound to one customer (the model before issue 11); without it, it acts for any customer it names. */
  readonly customerId?: string;
}

export interface IssuedApiKey extends ApiKeyRecord {
  /** The secret itself; shown only in this answer. */
  readonly key: string;
}

/**
 * The workflow actor, plus what the engine needs to know of the caller beyond its kind.
 * Storefront keys and customer tokens are both the workflow's `customer`: neither takes staff actions.
 */
export interface Caller extends Actor {
  /** Which credential acts: a storefront key prices its own lines (unless prices are enforced); a token never does. */
  readonly via?: 'storefront' | 'token';
  /** A storefront key for every customer: it acts as the customer of whichever order it touches. */
  readonly anyCustomer?: true;
}

export interface Principal {
  readonly keyId: string;
  readonly role: ApiKeyRole;
  readonly actor: Caller;
}

/** Customer tokens live from a minute to a day; an hour unless asked otherwise. */
export const TOKEN_TTL = { min: 60, max: 86_400, default: 3600 } as const;

const hash = (key: string) => createHash('sha256').update(key).digest('hex');

const PREFIX: Record<ApiKeyRole, string> = { admin: 'ordo_ak_', storefront: 'ordo_sk_', customer: 'ordo_ct_' };
export const generateKey = (role: ApiKeyRole): string => `${PREFIX[role]}${randomBytes(24).toString('base64url')}`;

export const isAnyCustomer = (actor: Actor): boolean => (actor as Caller).anyCustomer === true;
export const viaOf = (actor: Actor): Caller['via'] => (actor as Caller).via;

/** How long a key read stays known to this process (a read also notes the key's use, at most once a minute). */
const KNOWN_MS = 60_000;
/** Keys known at once, at most (the oldest read is forgotten first). */
const KNOWN_MAX = 10_000;

export class ApiKeyService {
  /** Reads of a key not sent yet, by its hash: the checks asked meanwhile share them (see #use). */
  readonly #unsent = new Map<string, Promise<ApiKeyRecord | undefined>>();
  /** Keys read lately, by hash, oldest read first: a write that checks the key itself may start from one (key-check.ts). */
  readonly #known = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly deps: { pool: pg.Pool; clock: Clock; newId: IdGenerator }) {}

  async create(input: NewApiKey, key: string = generateKey(input.role)): Promise<IssuedApiKey> {
    return this.#insert({ role: input.role, name: input.name, customerId: input.role === 'storefront' ? (input.customerId ?? null) : null, expiresAt: null, issuedBy: null }, key);
  }

  /** Registers a key chosen by the operator (ORDO_ADMIN_KEY); registering it again changes nothing. */
  async ensure(key: string, input: NewApiKey): Promise<void> {
    await this.create(input, key);
  }

  /**
   * A token for one customer, issued by a storefront key (or an admin's); `ttl` in seconds. A storefront key
   * bound to a customer issues tokens for that customer only.
   */
  async issueCustomerToken(issuer: Principal, customerId: string, ttl: number = TOKEN_TTL.default): Promise<Result<IssuedApiKey>> {
    if (issuer.role === 'customer') return reject('forbidden_for_caller', 'customer tokens are issued by storefront (or admin) keys');
    if (!Number.isInteger(ttl) || ttl < TOKEN_TTL.min || ttl > TOKEN_TTL.max) return reject('validation_failed', `ttl must be whole seconds from ${TOKEN_TTL.min} to ${TOKEN_TTL.max}`);
    if (issuer.actor.customerId && issuer.actor.customerId !== customerId) return reject('forbidden_for_caller', 'this storefront key acts for one customer only');
    const expiresAt = new Date(this.deps.clock.now().getTime() + ttl * 1000);
    return accept(await this.#insert({ role: 'customer', name: `token for ${customerId}`, customerId, expiresAt, issuedBy: issuer.keyId }, generateKey('customer')));
  }

  async authenticate(key: string): Promise<Principal | undefined> {
    // Looked up by hash: the stored value reveals nothing, and timing tells nothing about the key.
    return this.#authenticate(hash(key));
  }

  /** The read behind `authenticate`, which notes the key as known (or forgets it). */
  async #authenticate(keyHash: string): Promise<Principal | undefined> {
    const record = await this.#use(keyHash);
    this.#known.delete(keyHash);
    if (!record) return undefined;
    const principal = principalOf(record);
    if (this.#known.size >= KNOWN_MAX) this.#known.delete(this.#known.keys().next().value!);
    this.#known.set(keyHash, { principal, until: this.deps.clock.now().getTime() + KNOWN_MS });
    return principal;
  }

  /**
   * The key's principal as this process read it within the last minute, with the check a write
   * for it must make (its statement requires the key live, or the key is read before anything
   * is written or answered); undefined when the key must be read now (`authenticate`). A key's
   * role and customer never change, only whether it is live.
   */
  known(key: string): { principal: Principal; check: KeyCheck } | undefined {
    const keyHash = hash(key);
    const known = this.#known.get(keyHash);
    if (!known || known.until <= this.deps.clock.now().getTime()) return undefined;
    const { keyId } = known.principal;
    return { principal: known.principal, check: new KeyCheck(keyId, async () => (await this.#authenticate(keyHash))?.keyId === keyId) };
  }

  /**
   * The checks of one key asked in one turn of the event loop share one read, sent once they are
   * all in: under load many requests with the same key arrive together, and a read is a round
   * trip. Every check a read answers was asked before it was sent, so a key revoked before a
   * request came is refused to it, as by a read of its own.
   */
  #use(keyHash: string): Promise<ApiKeyRecord | undefined> {
    let read = this.#unsent.get(keyHash);
    if (!read) {
      read = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.#unsent.delete(keyHash);
        return useApiKey(this.deps.pool, keyHash, this.deps.clock.now());
      });
      this.#unsent.set(keyHash, read);
    }
    return read;
  }

  list(): Promise<ApiKeyRecord[]> {
    return listApiKeys(this.deps.pool, this.deps.clock.now());
  }

  /** Revokes a key or token; at once everywhere, since every check reads the database (or the write does, key-check.ts). */
  async revoke(id: string): Promise<Result<ApiKeyRecord>> {
    const found = isUuid(id) ? await findApiKey(this.deps.pool, id) : undefined;
    if (!found || !(await revokeApiKey(this.deps.pool, id, this.deps.clock.now()))) return reject('api_key_not_found', `there is no key '${id}'`);
    // Not needed to refuse it (every write and answer for a known key checks it), but no reason to keep it.
    for (const [keyHash, known] of this.#known) if (known.principal.keyId === id) this.#known.delete(keyHash);
    return accept(found);
  }

  /** Revokes a customer token that `issuer` may manage: one it issued, or (an admin) any. */
  async revokeCustomerToken(issuer: Principal, id: string): Promise<Result<ApiKeyRecord>> {
    const found = isUuid(id) ? await findApiKey(this.deps.pool, id) : undefined;
    const mine = found?.role === 'customer' && (issuer.role === 'admin' || found.issuedBy === issuer.keyId);
    if (!mine) return reject('api_key_not_found', `there is no customer token '${id}'`);
    return this.revoke(id);
  }

  async #insert(fields: Pick<ApiKeyRecord, 'role' | 'name' | 'customerId' | 'expiresAt' | 'issuedBy'>, key: string): Promise<IssuedApiKey> {
    const record: ApiKeyRecord = { ...fields, id: this.deps.newId(), prefix: key.slice(0, 12), createdAt: this.deps.clock.now(), lastUsedAt: null };
    await insertApiKey(this.deps.pool, record, hash(key));
    return { ...record, key };
  }
}

function principalOf(record: ApiKeyRecord): Principal {
  const base = { keyId: record.id, role: record.role };
  if (record.role === 'admin') return { ...base, actor: { kind: 'admin', id: `key:${record.id}` } };
  if (record.role === 'customer') return { ...base, actor: { kind: 'customer', id: `token:${record.id}`, customerId: record.customerId ?? '', via: 'token' } };
  // A storefront key bound to a customer keeps its old scope; an unbound one acts for whichever customer it names.
  return { ...base, actor: record.customerId ? { kind: 'customer', id: `key:${record.id}`, customerId: record.customerId, via: 'storefront' } : { kind: 'customer', id: `key:${record.id}`, via: 'storefront', anyCustomer: true } };
}

