/** What the HTTP layer knows about a request beyond Fastify's own fields. */
import type { Principal } from '../engine/api-key-service.js';
import type { KeyCheck } from '../engine/key-check.js';

/**
 * Who may call a route: anyone; any valid key or customer token; storefront and admin keys
 * (never a customer token); or admin keys only.
 */
export type Access = 'public' | 'authenticated' | 'storefront' | 'admin';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    /** The key as this process knew it, not read again for this request (routes with `keyCheckedByWrite`). */
    keyCheck?: KeyCheck;
  }
  interface FastifyContextConfig {
    access?: Access;
    /** false: the route ignores Idempotency-Key (its answer must not be stored). */
    idempotent?: boolean;
    /** The status of a successful answer when it is not 200 (201 for what a POST creates); a replay after a crash answers with it. */
    successStatus?: number;
    /**
     * The route's only write is an order command that passes the request's key on (`commandOptions`):
     * a key this process read lately is checked by that write's statement, not read again first.
     */
    keyCheckedByWrite?: boolean;
  }
}
