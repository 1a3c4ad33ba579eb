/**
 * The store's dialect: which form of the few statements that distributed PostgreSQL (Citus)
 * cannot run as written. Plain PostgreSQL locks many SKUs, or claims many timers, in one
 * statement; Citus needs statements that each stay on one shard. Both forms run on plain
 * PostgreSQL, so the Citus forms are tested there too (docs/scaling.md).
 */
import type { Db } from './database.js';

export interface StoreDialect {
  readonly name: 'plain' | 'citus';
}

/** What createOrdo({ statements }) and ORDO_STATEMENTS take: `auto` looks for Citus at start. */
export type StatementsSetting = 'auto' | StoreDialect['name'];

export const PLAIN: StoreDialect = { name: 'plain' };
export const CITUS: StoreDialect = { name: 'citus' };

export async function hasCitus(db: Db): Promise<boolean> {
  const res = await db.query("SELECT 1 FROM pg_extension WHERE extname = 'citus'");
  return (res.rowCount ?? 0) > 0;
}

/**
 * The forms for this database. A database that does not answer yet (Ordo may start before it)
 * gets the Citus forms: they are correct on plain PostgreSQL too, only slower there.
 */
export async function storeDialect(db: Db, setting: StatementsSetting): Promise<StoreDialect> {
  if (setting !== 'auto') return setting === 'citus' ? CITUS : PLAIN;
  try {
    return (await hasCitus(db)) ? CITUS : PLAIN;
  } catch {
    return CITUS;
  }
}

/** Reads the setting from the environment's text (ORDO_STATEMENTS); unset means auto. */
export function statementsSetting(value: string | undefined): StatementsSetting {
  if (value === undefined || value === '') return 'auto';
  if (value === 'auto' || value === 'citus' || value === 'plain') return value;
  throw new Error(`ORDO_STATEMENTS must be 'auto', 'citus' or 'plain', not '${value}'`);
}
