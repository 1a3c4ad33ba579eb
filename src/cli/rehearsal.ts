/**
 * Rehearsals on the test clock date their orders in a future of their own. They stay out of the
 * real orders: on the embedded server a rehearsal has its own database (ordo_rehearsal); a
 * database named by DATABASE_URL is marked as a rehearsal's, and refused if it already holds
 * orders made on the system clock.
 */
import type pg from 'pg';
import { createOrdo, type Ordo, type OrdoOptions } from '../engine/ordo.js';
import { inTransaction } from '../store/database.js';
import { startEmbedded } from '../store/embedded.js';
import type { Config } from './config.js';

/** Ordo on a database of the data directory's embedded server (`log` hears the server's output); closing it stops the server. */
export async function openOnEmbeddedDatabase(config: Config, more: OrdoOptions, log?: (line: string) => void): Promise<Ordo> {
  const server = await startEmbedded({ dataDir: config.dataDir, database: config.embeddedDatabase, ...(config.pgPort ? { port: config.pgPort } : {}), ...(log ? { log } : {}) });
  let ordo: Ordo;
  try {
    ordo = await createOrdo({ ...more, databaseUrl: server.url });
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    ...ordo,
    embedded: true,
    close: async () => {
      await ordo.close();
      await server.stop();
    },
  };
}

/** Marks the database as a rehearsal's, unless it already holds orders made on the system clock. */
export async function claimForRehearsal(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, async (tx) => {
    // Two rehearsals starting at once on an empty database: one marks it, the other finds the mark.
    await tx.query('LOCK TABLE ordo_clock IN EXCLUSIVE MODE');
    const marked = await tx.query<{ clock: string }>('SELECT clock FROM ordo_clock');
    if (marked.rows[0]?.clock === 'test') return;
    const orders = await tx.query('SELECT 1 FROM orders LIMIT 1');
    if (orders.rowCount) throw new Error('the database at DATABASE_URL holds orders made on the real clock; rehearse on the test clock with a database of its own (an empty one, e.g. createdb ordo_rehearsal)');
    await tx.query(`INSERT INTO ordo_clock (clock) VALUES ('test') ON CONFLICT (one_row) DO UPDATE SET clock = 'test', since = now()`);
  });
}
