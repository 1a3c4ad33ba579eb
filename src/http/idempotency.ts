/**
 * Idempotency-Key on writes: the first request with a key runs and its answer is kept; the
 * same key and request again gets that answer without running anything; the same key with
 * another request is refused. Failures of our own (5xx) free the key for a retry.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { IdempotencyService } from '../engine/idempotency-service.js';
import type { Ordo } from '../engine/ordo.js';
import { httpProblem } from './problems.js';

const claimed = new WeakMap<FastifyRequest, { principal: string; key: string }>();

export function registerIdempotency(app: FastifyInstance, ordo: Ordo): void {
  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' && request.method !== 'PUT' && request.method !== 'PATCH') return;
    // A route whose answer must not be kept (it shows a secret once) runs every time.
    if (key === undefined || !request.principal || request.routeOptions.config.idempotent === false) return;
    if (typeof key !== 'string' || key.length < 1 || key.length > 255) return httpProblem(reply, 400, 'invalid_request', 'Idempotency-Key must be 1 to 255 characters');
    const principal = request.principal.keyId;
    const fingerprint = IdempotencyService.fingerprint(request.method, request.url, request.body);
    const claim = await ordo.idempotency.claim(principal, key, fingerprint);
    switch (claim.kind) {
      case 'claimed':
        claimed.set(request, { principal, key });
        return;
      case 'replay':
        return reply.code(claim.statusCode).headers({ ...claim.headers }).header('idempotent-replayed', 'true').send(claim.response);
      case 'mismatch':
        return httpProblem(reply, 422, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request');
      case 'running':
        return httpProblem(reply.header('retry-after', '1'), 409, 'idempotency_key_in_progress', 'a request with this Idempotency-Key is still running');
      default:
        return claim satisfies never;
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const claim = claimed.get(request);
    if (!claim) return payload;
    claimed.delete(request);
    if (reply.statusCode >= 500) await ordo.idempotency.release(claim.principal, claim.key);
    else {
      const kept = Object.fromEntries(KEPT_HEADERS.flatMap((h) => (reply.getHeader(h) === undefined ? [] : [[h, String(reply.getHeader(h))]])));
      await ordo.idempotency.complete(claim.principal, claim.key, reply.statusCode, typeof payload === 'string' ? payload : String(payload ?? ''), kept);
    }
    return payload;
  });
}

/** The headers of an answer that a replay repeats. */
const KEPT_HEADERS = ['content-type', 'etag', 'location'] as const;
