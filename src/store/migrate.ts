/** Versioned SQL migrations (migrations/*.sql), applied under an advisory lock so that several processes may start at once. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));
const MIGRATIONS_TABLE = 'ordo_migrations';

export interface MigrateOptions {
  readonly log?: (msg: string) => void;
  /** Another folder of migrations (tests). */
  readonly dir?: string;
  /** Apply only the next this many (tests: a database as an older Ordo left it). */
  readonly count?: number;
}

export async function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<string[]> {
  const dir = options.dir ?? MIGRATIONS_DIR;
  // Most starts find nothing to do: said by one query, without loading the migration runner
  // (a few hundred milliseconds of module loading on every start).
  if (options.count === undefined && (await upToDate(databaseUrl, dir))) return [];
  const log = options.log ?? (() => {});
  const { runner } = await import('node-pg-migrate');
  const applied = await runner({
    databaseUrl,
    dir,
    direction: 'up',
    migrationsTable: MIGRATIONS_TABLE,
    advisoryLockMode: 'wait',
    // Branches number their migrations ahead of merging: a database that already has a later
    // one (009) must still take an earlier one that arrives afterwards (008). Each migration
    // therefore may not depend on those numbered after it.
    checkOrder: false,
    ...(options.count !== undefined ? { count: options.count } : {}),
    log,
    logger: { debug: () => {}, info: log, warn: log, error: log },
  });
  return applied.map((m) => m.name);
}

/** Whether the database has every migration in `dir` (the runner names each by its file name without extension). */
async function upToDate(databaseUrl: string, dir: string): Promise<boolean> {
  const files = (await readdir(dir)).filter((f) => !f.startsWith('.')).map((f) => path.basename(f, path.extname(f)));
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    const res = await client.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE}`);
    const applied = new Set(res.rows.map((r) => r.name));
    return files.every((f) => applied.has(f));
  } catch {
    return false; // no table yet (a new database), or any doubt: the runner decides
  } finally {
    await client.end().catch(() => {});
  }
}
