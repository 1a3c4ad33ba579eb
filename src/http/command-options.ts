/**
 * What an order write's request asks of its command: If-Match (the order version the caller last
 * saw, refused with 412 if it moved on), and the request's key when its write is to check it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { CommandOptions } from '../engine/order-service.js';
import { httpProblem } from './problems.js';

/** The headers every order write takes. */
export const orderWriteHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ description: 'send the same key to retry safely; the first answer comes back' })),
  'if-match': Type.Optional(Type.String({ description: 'the order version you last saw; refused with 412 if it moved on' })),
});

/** If-Match carries the order's version, quoted or not (`3`, `"3"`, `W/"3"`); `*` matches any version. */
export function parseIfMatch(header: string | undefined): number | undefined | 'invalid' {
  if (header === undefined || header.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  return m ? Number(m[1]) : 'invalid';
}

/**
 * The command options the request's If-Match asks for, with the request's key when its write is
 * to check it (`keyCheckedByWrite`); undefined when If-Match was malformed and a 400 was sent.
 */
export function commandOptions(req: FastifyRequest, reply: FastifyReply): CommandOptions | undefined {
  const header = req.headers['if-match'];
  const parsed = parseIfMatch(Array.isArray(header) ? header[0] : header);
  if (parsed === 'invalid') {
    httpProblem(reply, 400, 'invalid_request', 'If-Match must be the order version, e.g. "3"');
    return undefined;
  }
  return { ...(parsed === undefined ? {} : { expectedVersion: parsed }), ...(req.keyCheck ? { key: req.keyCheck } : {}) };
}
