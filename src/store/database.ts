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
 * Runs `work` in a transaction on a client of its own. `opening`: statements without
 * parameters sent with BEGIN in the same round trip (a lock to try, a prepared statement to
 * execute), given as text or made for the client; `work` gets their results, in order. What
 * `work` puts in `closing` (statements without parameters) goes with the COMMIT, in its round
 * trip: if one fails, the transaction is rolled back.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (tx: pg.PoolClient, opened: pg.QueryResult[], closing: string[]) => Promise<T>,
  opening?: string | ((client: pg.PoolClient) => Promise<string>),
): Promise<T> {
  return onConnection(pool, async (client) => {
    try {
      const sql = typeof opening === 'function' ? await opening(client) : opening;
      // Several statements in one simple query answer with one result each.
      const begun = await client.query(sql ? `BEGIN; ${sql}` : 'BEGIN');
      const closing: string[] = [];
      const result = await work(client, sql ? (begun as unknown as pg.QueryResult[]).slice(1) : [], closing);
      await client.query(closing.length ? `${closing.join('; ')}; COMMIT` : 'COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    }
  });
}

/**
 * Runs `work` on a connection checked out of the pool for it: for work that must run on one
 * connection, or that decides what to send only once it has one.
 */
export async function onConnection<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A checked-out client whose server dies emits 'error' (the pool listens only while it is
  // idle): unheard, that ends the process. The statement under way fails with it anyway.
  let broken: Error | undefined;
  const onError = (err: Error) => void (broken = err);
  client.on('error', onError);
  try {
    return await work(client);
  } finally {
    client.removeListener('error', onError);
    // A broken connection is dropped, not handed out again.
    client.release(broken);
  }
}

/** The statements prepared (SQL PREPARE) on each connection: a connection lives as long as its client. */
const preparedOn = new WeakMap<pg.ClientBase, Set<string>>();

/**
 * Prepares `text` as `name` on this client's connection once (a statement of its own, the first
 * time only), so that a simple query may EXECUTE it: planned once, and sent along with other
 * statements in one round trip, which a statement with bound parameters cannot be.
 */
export async function preparedOnce(client: pg.ClientBase, name: string, types: readonly string[], text: string): Promise<void> {
  let names = preparedOn.get(client);
  if (names?.has(name)) return;
  await client.query(`PREPARE ${name} (${types.join(', ')}) AS ${text}`);
  if (!names) preparedOn.set(client, (names = new Set()));
  names.add(name);
}

/**
 * `text` as an SQL literal for such a simple query, dollar-quoted: nothing inside is escaped,
 * so the literal costs one search and one concatenation, where escaping character by character
 * (the driver's escapeLiteral) allocates a string per character of a message's HTML. The tag is
 * one that first appears where it closes the literal: neither in the text, nor made by the text's
 * end and the closing tag together (a text ending in `$ordo`).
 */
export function dollarQuoted(text: string): string {
  let tag = '$ordo$';
  for (let n = 1; `${text}${tag}`.indexOf(tag) < text.length; n++) tag = `$ordo${n}$`;
  return `${tag}${text}${tag}`;
}
