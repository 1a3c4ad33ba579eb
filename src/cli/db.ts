/** `ordo db distribute`: lays out a Citus database for Ordo (docs/scaling.md). */
import { createPool } from '../store/database.js';
import { hasCitus } from '../store/dialect.js';
import { distribute, NoCitus } from '../store/distribute.js';
import { migrate } from '../store/migrate.js';
import type { Config } from './config.js';

export async function distributeDatabase(config: Config): Promise<void> {
  // The embedded server has no Citus; only a coordinator named by DATABASE_URL can be laid out.
  if (!config.databaseUrl) throw new Error('ordo db distribute needs DATABASE_URL, the Citus coordinator to lay out');
  const pool = createPool(config.databaseUrl, 1);
  try {
    // Refuse before migrating: a plain database is left exactly as it was.
    if (!(await hasCitus(pool))) throw new NoCitus();
    await migrate(config.databaseUrl);
    const report = await distribute(pool);
    for (const line of report.done) console.log(line);
    if (report.skipped.length > 0) console.log(`already laid out: ${report.skipped.join(', ')}`);
    if (report.unplaced.length > 0) console.log(`left on the coordinator (not in Ordo's layout): ${report.unplaced.join(', ')}`);
  } finally {
    await pool.end();
  }
}
