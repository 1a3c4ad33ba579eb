/**
 * `ordo workflow show` prints what the deployment runs (the merchant's settings and status
 * names) when it can reach a database: DATABASE_URL, or a running server's embedded one. Without
 * one, the workflow as shipped, and a line on stderr saying so.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdo } from '../../src/engine/ordo.js';
import { runOrdo, serveOrdo } from '../support/cli.js';
import { freshDatabase } from '../support/database.js';

const settingOf = (json: string, name: string) => (JSON.parse(json) as { settings: Record<string, unknown> }).settings[name];

describe('ordo workflow show with DATABASE_URL', () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    const databaseUrl = await freshDatabase();
    const ordo = await createOrdo({ databaseUrl, migrate: false });
    expect((await ordo.workflows.nameStatus('xcart', 'payment', 'Q', 'Awaiting bank transfer')).ok).toBe(true);
    expect((await ordo.workflows.changeSettings('nutickets', { basketTimeout: '20m' })).ok).toBe(true);
    await ordo.close();
    env = { DATABASE_URL: databaseUrl };
  });

  it("shows the merchant's settings and status names, as JSON, Mermaid and Markdown", async () => {
    const json = await runOrdo(['workflow', 'show', 'nutickets'], env);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    expect(settingOf(json.stdout, 'basketTimeout')).toBe('20m');

    const mermaid = await runOrdo(['workflow', 'show', 'xcart', '--mermaid'], env);
    expect(mermaid.stdout).toContain('payment_Q : Awaiting bank transfer');
    const page = await runOrdo(['workflow', 'show', 'xcart', '--markdown'], env);
    expect(page.stdout).toContain('| `Q` | Awaiting bank transfer |');
  }, 60_000);

  it('shows the workflow as shipped with --shipped', async () => {
    const shipped = await runOrdo(['workflow', 'show', 'nutickets', '--shipped'], env);
    expect(shipped.code).toBe(0);
    expect(settingOf(shipped.stdout, 'basketTimeout')).toBe('10m');
  }, 30_000);
});

describe('ordo workflow show without a database', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordo-workflow-show-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('prints the shipped workflow, says so on stderr, and starts no database', async () => {
    const res = await runOrdo(['workflow', 'show', 'nutickets'], { DATABASE_URL: '', ORDO_DATA_DIR: dataDir });
    expect(res.code).toBe(0);
    expect(settingOf(res.stdout, 'basketTimeout')).toBe('10m');
    expect(res.stderr.trim()).toBe("ordo: no database to read this deployment's changes from (set DATABASE_URL, or start ordo serve): this is 'nutickets' as shipped");
    expect(existsSync(path.join(dataDir, 'pg'))).toBe(false);
  }, 30_000);

  it('refuses an unknown workflow with one plain line', async () => {
    const res = await runOrdo(['workflow', 'show', 'nope'], { DATABASE_URL: '', ORDO_DATA_DIR: dataDir });
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe("ordo: there is no workflow 'nope' (try: standard, xcart, nutickets, nexway, vendure)");
  }, 30_000);

  it("reads a running server's embedded database", async () => {
    const env = { DATABASE_URL: '', ORDO_DATA_DIR: dataDir, ORDO_ADMIN_KEY: 'show-key', ORDO_PG_PORT: '', ORDO_CLOCK: '' };
    const server = await serveOrdo(env);
    try {
      const patched = await fetch(`${server.base}/v1/workflows/nutickets/settings`, {
        method: 'PATCH', headers: { authorization: 'Bearer show-key', 'content-type': 'application/json' }, body: JSON.stringify({ basketTimeout: '25m' }),
      });
      expect(patched.status).toBe(200);
      const res = await runOrdo(['workflow', 'show', 'nutickets'], env);
      expect(res.stderr).toBe('');
      expect(settingOf(res.stdout, 'basketTimeout')).toBe('25m');
    } finally {
      await server.stop();
    }
  }, 90_000);
});
