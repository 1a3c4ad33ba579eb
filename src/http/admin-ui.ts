/**
 * The admin UI at /admin: the single-page app Vite builds into dist/admin, served as files, with
 * every other /admin/* path answered by its index.html so that deep links work. Without a build
 * (tests that never made it, a source checkout before `npm run build:admin`) /admin says how to
 * make one. The routes are hidden from the OpenAPI document: they are not part of the API.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { httpProblem } from './problems.js';

/** dist/admin at the repository's root, from src/http or dist/http alike. */
export const ADMIN_BUILD_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'admin');

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Ordo admin: not built</title></head>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>The admin UI is not built</h1>
<p>Build it with <code>npm run build:admin</code> (<code>npm install</code> and <code>npm start</code> do it for you), then reload this page.</p>
<p>The API itself works: see <a href="/docs">/docs</a>.</p></body></html>`;

const safeDecode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
};

export async function adminUiRoutes(app: FastifyInstance, root: string = ADMIN_BUILD_DIR): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, { root, serve: false, index: false, cacheControl: false });
    const answer = async (request: FastifyRequest, reply: FastifyReply) => {
      const index = path.join(root, 'index.html');
      if (!existsSync(index)) {
        if ((request.headers.accept ?? '').includes('text/html')) return reply.code(404).type('text/html; charset=utf-8').send(NOT_BUILT);
        return httpProblem(reply, 404, 'not_found', 'the admin UI is not built: run npm run build:admin');
      }
      const wanted = safeDecode((request.params as { '*'?: string })['*'] ?? '');
      const file = path.resolve(root, wanted);
      // A file of the build (never outside it); any other path is a page of the app.
      if (wanted && file.startsWith(root + path.sep) && existsSync(file) && statSync(file).isFile()) {
        const hashed = wanted.startsWith('assets/');
        return reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache').sendFile(wanted);
      }
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    };
    scope.get('/admin', { schema: { hide: true } }, answer);
    scope.get('/admin/*', { schema: { hide: true } }, answer);
  });
}
