/** Versioned SQL migrations (migrations/*.sql), applied under an advisory lock so that several processes may start at once. */
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface MigrateOptions {
  readonly log?: (msg: string) => void;
  /** Another folder of migrations (tests). */
  readonly dir?: string;
  /** Apply only the next this many (tests: a database as an older Ordo left it). */
  readonly count?: number;
}

export async function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<string[]> {
  const log = options.log ?? (() => {});
  const applied = await runner({
    databaseUrl,
    dir: options.dir ?? MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'ordo_migrations',
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
