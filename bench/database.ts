/**
 * The database a benchmark runs on: a throwaway embedded PostgreSQL in a temp dir, or, with
 * DATABASE_URL, a database of its own on that server. Either way it is gone afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbedded } from '../src/store/embedded.js';

export interface BenchDatabase {
  readonly url: string;
  readonly kind: 'embedded' | 'external';
  /** Stops the embedded server and removes its data, or drops the external database. */
  dispose(): Promise<void>;
}

export async function benchDatabase(): Promise<BenchDatabase> {
  const external = process.env.DATABASE_URL;
  if (external) {
    // A database of our own, so that truncating tables between runs touches nobody's data.
    const name = `ordo_bench_${randomBytes(4).toString('hex')}`;
    await onServer(external, `CREATE DATABASE ${name}`);
    const url = new URL(external);
    url.pathname = `/${name}`;
    return { url: url.toString(), kind: 'external', dispose: () => onServer(external, `DROP DATABASE IF EXISTS ${name}`) };
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordo-bench-'));
  const removeDir = () => rm(dataDir, { recursive: true, force: true });
  try {
    const server = await startEmbedded({ dataDir, persistent: false, database: 'ordo_bench' });
    return {
      url: server.url,
      kind: 'embedded',
      dispose: async () => {
        await server.stop();
        await removeDir();
      },
    };
  } catch (err) {
    await removeDir();
    throw err;
  }
}

async function onServer(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
