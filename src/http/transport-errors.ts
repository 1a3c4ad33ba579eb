/**
 * Errors answered before any route runs: what Node's HTTP parser refuses (headers or a
 * request line over maxHeaderSize, a malformed request, a timeout) and what Fastify's router
 * refuses (an over-long path parameter, bad percent-encoding). Their default answers are
 * plain JSON in each library's own shape; here they are problem+json like every other answer.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { httpProblem, problem, type HttpProblemCode } from './problems.js';

/** The largest request line plus headers, in bytes; Node answers 431 past it. Node's default, stated. */
export const MAX_HEADER_SIZE = 16 * 1024;

/** Fastify's `frameworkErrors`: refusals made by the router, before a route is chosen. */
export function frameworkProblem(err: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') return httpProblem(reply, 414, 'uri_too_long', 'a path parameter is longer than 100 characters');
  if (err.code === 'FST_ERR_BAD_URL') return httpProblem(reply, 400, 'invalid_request', 'the path is not valid percent-encoded UTF-8');
  const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  return httpProblem(reply, status, 'invalid_request', 'the request could not be routed');
}

const clientProblem = (code: string | undefined): [number, HttpProblemCode, string] => {
  if (code === 'HPE_HEADER_OVERFLOW') return [431, 'headers_too_large', `the request line and headers are over ${MAX_HEADER_SIZE} bytes (a long query string counts)`];
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'request_timeout', 'the request took too long to arrive'];
  return [400, 'invalid_request', 'the request is not well-formed HTTP'];
};

/** Fastify's `clientErrorHandler` (the server's 'clientError' event): no request exists, so the answer is written on the socket. */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  // A response already under way on this connection cannot be followed by another one.
  const underWay = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (socket.writable && !underWay) {
    const [status, code, detail] = clientProblem(err.code);
    const body = JSON.stringify(problem(status, code, detail));
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}
