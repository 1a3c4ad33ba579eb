/** /admin serves the built single-page app: its files, index.html for any other path (deep links), and a clear page without a build. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUiRoutes } from '../../src/http/admin-ui.js';

let dir: string;
let built: FastifyInstance;
let bare: FastifyInstance;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ordo-admin-ui-'));
  await mkdir(path.join(dir, 'build', 'assets'), { recursive: true });
  await writeFile(path.join(dir, 'build', 'index.html'), '<!doctype html><title>admin</title>');
  await writeFile(path.join(dir, 'build', 'assets', 'app-1234.js'), 'console.log(1)');
  await writeFile(path.join(dir, 'secret.txt'), 'not served');
  built = Fastify();
  await adminUiRoutes(built, path.join(dir, 'build'));
  bare = Fastify();
  await adminUiRoutes(bare, path.join(dir, 'missing'));
});
afterAll(async () => {
  await built.close();
  await bare.close();
  await rm(dir, { recursive: true, force: true });
});

describe('/admin', () => {
  it('serves the build\'s files, long-cached when hashed', async () => {
    const res = await built.inject({ url: '/admin/assets/app-1234.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log(1)');
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('answers index.html for the app\'s own paths, so deep links work', async () => {
    for (const url of ['/admin', '/admin/', '/admin/orders/0190a3b2-0000-7000-8000-000000000000', '/admin/workflows?name=xcart']) {
      const res = await built.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('<title>admin</title>');
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('never serves a file outside the build', async () => {
    for (const url of ['/admin/../secret.txt', '/admin/%2e%2e/secret.txt', '/admin/..%2fsecret.txt', '/admin/%E0%A4%A']) {
      const res = await built.inject({ url });
      expect(res.body, url).not.toContain('not served');
    }
  });

  it('says how to build it when there is no build, as a page or as a problem', async () => {
    const page = await bare.inject({ url: '/admin/orders', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('npm run build:admin');
    const problem = await bare.inject({ url: '/admin' });
    expect(problem.statusCode).toBe(404);
    expect(problem.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(problem.json()).toMatchObject({ code: 'not_found', detail: expect.stringContaining('npm run build:admin') });
  });
});
