import type { FastifyReply } from 'fastify';
import type { Result } from '../domain/result.js';
import type { OrderView } from '../engine/order-view.js';
import { rejectionProblem } from './problems.js';

/** An order answer carries its version as the ETag, ready for the next If-Match. */
export function sendOrder(reply: FastifyReply, result: Result<OrderView>, status = 200) {
  if (!result.ok) return rejectionProblem(reply, result);
  return reply.code(status).header('etag', `"${result.value.version}"`).send(result.value);
}
