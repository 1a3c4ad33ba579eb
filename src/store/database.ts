/**
 * The database handle the rest of the store takes: either the pool or a client inside a
 * transaction, so that one query function serves both.
 */
import pg from 'pg';

export type Db = pg.Pool | pg.PoolClient;

// bigint columns (order codes, counts) fit in a JS number for any realistic shop.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    // Waiting for a connection (a free one, or a new one to a database that is down or hung) fails
    // in seconds, answered 503, rather than holding the request.
    connectionTimeoutMillis: 5000,
    // Dead peers are noticed on idle connections too, so they are dropped rather than handed out.
    keepAlive: true,
  });
  // An idle client's error (e.g. the server restarting) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

/**
 * Runs `work` in a transaction on a client of its own. `opening`: a statement without
 * parameters sent with BEGIN in the same round trip (a lock to try, say); `work` gets its result.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (tx: pg.PoolClient, opened: pg.QueryResult | undefined) => Promise<T>, opening?: string): Promise<T> {
  const client = await pool.connect();
  // A checked-out client whose server dies emits 'error' (the pool listens only while it is
  // idle): unheard, that ends the process. The statement under way fails with it anyway.
  let broken: Error | undefined;
  const onError = (err: Error) => void (broken = err);
  client.on('error', onError);
  try {
    // Two statements in one simple query answer with one result each.
    const begun = await client.query(opening ? `BEGIN; ${opening}` : 'BEGIN');
    const result = await work(client, opening ? (begun as unknown as pg.QueryResult[])[1] : undefined);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.removeListener('error', onError);
    // A broken connection is dropped, not handed out again.
    client.release(broken);
  }
}
