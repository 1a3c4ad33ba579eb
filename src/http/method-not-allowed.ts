/**
 * 405 for a path that exists under other methods. Fastify's router only knows "no route", so
 * the routes are recorded as they are added, and a miss is checked against their paths.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { httpProblem } from './problems.js';

interface PathMethods {
  readonly pattern: RegExp;
  readonly methods: Set<string>;
}

/** `/v1/orders/:id` -> a regexp over the raw path: a parameter is one segment, `*` the rest. */
const patternOf = (url: string) =>
  new RegExp(`^${url.split('/').map((seg) => (seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`);

/** Must be called before the routes are added. */
export function registerMethodNotAllowed(app: FastifyInstance): void {
  const paths = new Map<string, PathMethods>();
  app.addHook('onRoute', (route) => {
    const entry = paths.get(route.url) ?? { pattern: patternOf(route.url), methods: new Set<string>() };
    for (const m of [route.method].flat()) entry.methods.add(m);
    // Fastify answers HEAD for every GET route.
    if (entry.methods.has('GET')) entry.methods.add('HEAD');
    paths.set(route.url, entry);
  });
  const allowedFor = (rawPath: string) => {
    const allowed = new Set<string>();
    for (const { pattern, methods } of paths.values()) if (pattern.test(rawPath)) for (const m of methods) allowed.add(m);
    return [...allowed].sort();
  };
  // onRequest, before the body is read: a wrong method is answered whatever the body holds.
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.is404) return;
    const path = request.url.split('?')[0] ?? '';
    const allowed = allowedFor(path);
    if (allowed.length === 0) return;
    return httpProblem(reply.header('allow', allowed.join(', ')), 405, 'method_not_allowed', `${request.method} is not allowed on ${path}; use ${allowed.join(', ')}`);
  });
}
