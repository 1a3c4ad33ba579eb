/**
 * Idempotency-Key on writes: the first request with a key runs and its answer is kept; the
 * same key and request again gets that answer without running anything; the same key with
 * another request is refused. The order change a request commits commits its key too, in
 * the same transaction, with the answer as committed: a request killed after its commit is
 * answered that, never run again. Failures of our own (5xx) before any commit free the key.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { IdempotencyService, type KeyClaim } from '../engine/idempotency-service.js';
import type { OrderView } from '../engine/order-view.js';
import type { Ordo } from '../engine/ordo.js';
import { httpProblem } from './problems.js';

const claimed = new WeakMap<FastifyRequest, KeyClaim>();

export function registerIdempotency(app: FastifyInstance, ordo: Ordo): void {
  // Callback style: the handler must run inside the claim's scope, which `done` called within it gives.
  app.addHook('preHandler', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' && request.method !== 'PUT' && request.method !== 'PATCH') return done();
    // A route whose answer must not be kept (it shows a secret once) runs every time.
    if (key === undefined || !request.principal || request.routeOptions.config.idempotent === false) return done();
    if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
      // Answered here: the chain stops, the handler never runs (calling done would run it).
      httpProblem(reply, 400, 'invalid_request', 'Idempotency-Key must be 1 to 255 characters');
      return;
    }
    const principal = request.principal.keyId;
    const fingerprint = IdempotencyService.fingerprint(request.method, request.url, request.body);
    ordo.idempotency.claim(principal, key, fingerprint).then((claim) => {
      switch (claim.kind) {
        case 'claimed': {
          const status = request.routeOptions.config.successStatus ?? 200;
          const kept: KeyClaim = { principal, key, token: claim.token, answer: (order: OrderView) => orderAnswer(order, status) };
          claimed.set(request, kept);
          return ordo.idempotency.run(kept, () => done());
        }
        case 'replay':
          reply.code(claim.statusCode).headers({ ...claim.headers }).header('idempotent-replayed', 'true').send(claim.response);
          return;
        case 'mismatch':
          httpProblem(reply, 422, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request');
          return;
        case 'running':
          httpProblem(reply.header('retry-after', '1'), 409, 'idempotency_key_in_progress', 'a request with this Idempotency-Key is still running');
          return;
        default:
          return claim satisfies never;
      }
    }, (err: unknown) => done(err as Error));
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const claim = claimed.get(request);
    if (!claim) return payload;
    claimed.delete(request);
    if (reply.statusCode >= 500) await ordo.idempotency.release(claim);
    else {
      const kept = Object.fromEntries(KEPT_HEADERS.flatMap((h) => (reply.getHeader(h) === undefined ? [] : [[h, String(reply.getHeader(h))]])));
      await ordo.idempotency.complete(claim, { statusCode: reply.statusCode, response: typeof payload === 'string' ? payload : String(payload ?? ''), headers: kept });
    }
    return payload;
  });
}

/** The headers of an answer that a replay repeats. */
const KEPT_HEADERS = ['content-type', 'etag', 'location'] as const;

/** An order answer as the order routes send it (sendOrder): what a replay gives when the request died after its commit. */
const orderAnswer = (order: OrderView, statusCode: number) => ({
  statusCode,
  response: JSON.stringify(order),
  headers: { 'content-type': 'application/json; charset=utf-8', etag: `"${order.version}"` },
});
