/**
 * The admin UI speaks the API through types generated from its OpenAPI document
 * (admin/src/api/schema.d.ts). This fails when they are stale: the server's document, built here
 * in-process, must give exactly the committed file. To bring them up to date:
 *   UPDATE_ADMIN_TYPES=1 npx vitest run test/admin/api-types.test.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

const FILE = path.resolve(import.meta.dirname, '../../admin/src/api/schema.d.ts');
const HEADER = '// Generated from the OpenAPI document by test/admin/api-types.test.ts (UPDATE_ADMIN_TYPES=1): do not edit.\n';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('the admin UI types', () => {
  it('match the OpenAPI document the server serves', async () => {
    const doc = t.app.swagger() as unknown as Parameters<typeof openapiTS>[0];
    const generated = HEADER + astToString(await openapiTS(doc, { alphabetize: true }));
    if (process.env.UPDATE_ADMIN_TYPES) await writeFile(FILE, generated);
    const committed = await readFile(FILE, 'utf8').catch(() => '');
    expect(committed === generated, 'admin/src/api/schema.d.ts is stale: run UPDATE_ADMIN_TYPES=1 npx vitest run test/admin/api-types.test.ts').toBe(true);
  });
});
