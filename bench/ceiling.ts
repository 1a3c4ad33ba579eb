/**
 * The raw PostgreSQL ceiling: the smallest write transaction (one INSERT, committed on its
 * own, one round trip), by plain `pg` clients on their own connections. What a lifecycle's
 * commits would cost if nothing but the commits themselves took time.
 */
import pg from 'pg';
import { randomUUID } from 'node:crypto';

/** The next transaction id: how many write transactions ran between two reads (read-only ones take none). */
export async function nextXid(db: pg.Client | pg.Pool): Promise<number> {
  const res = await db.query<{ x: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x');
  return Number(res.rows[0]!.x);
}

/** The table the minimal commits write (the bench's own, in the bench's database). */
export async function createCeilingTable(db: pg.Client): Promise<void> {
  await db.query('CREATE TABLE IF NOT EXISTS bench_ceiling (id uuid PRIMARY KEY, at timestamptz NOT NULL)');
}

/** One minimal write transaction: one INSERT, committed on its own, one round trip. */
export async function minimalCommit(db: pg.Client): Promise<void> {
  await db.query({ name: 'bench_commit', text: 'INSERT INTO bench_ceiling (id, at) VALUES ($1, now())', values: [randomUUID()] });
}

/** Runs `commits` minimal write transactions over `clients` connections; the seconds it took. */
export async function ceilingSeconds(databaseUrl: string, clients: number, commits: number): Promise<number> {
  const conns = await Promise.all(Array.from({ length: clients }, async () => {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    return c;
  }));
  try {
    await createCeilingTable(conns[0]!);
    let left = commits;
    const started = performance.now();
    await Promise.all(conns.map(async (c) => {
      while (left > 0) {
        left--;
        await minimalCommit(c);
      }
    }));
    return (performance.now() - started) / 1000;
  } finally {
    await Promise.allSettled(conns.map((c) => c.end()));
  }
}
