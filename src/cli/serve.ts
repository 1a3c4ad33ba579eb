/** `ordo serve`: the database (embedded unless DATABASE_URL), migrations, the HTTP API. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateKey } from '../engine/api-key-service.js';
import { ManualClock } from '../engine/clock.js';
import { createOrdo, type Ordo } from '../engine/ordo.js';
import { buildServer } from '../http/server.js';
import type { Config } from './config.js';

/** The admin key: ORDO_ADMIN_KEY, else the one made on an earlier start, else a new one kept for next time. */
async function adminKey(config: Config): Promise<{ key: string; source: string }> {
  if (config.adminKey) return { key: config.adminKey, source: 'ORDO_ADMIN_KEY' };
  const file = path.join(config.dataDir, 'admin.key');
  if (existsSync(file)) return { key: (await readFile(file, 'utf8')).trim(), source: file };
  const key = generateKey('admin');
  await mkdir(config.dataDir, { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return { key, source: `new, kept in ${file}` };
}

export async function serve(config: Config): Promise<void> {
  const ordo = await createOrdo({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    dataDir: config.dataDir,
    ...(config.pgPort ? { pgPort: config.pgPort } : {}),
    ...(config.clock === 'test' ? { clock: new ManualClock() } : {}),
  });
  const admin = await adminKey(config);
  await ordo.apiKeys.ensure(admin.key, { role: 'admin', name: 'admin' });
  const app = await buildServer(ordo, { logger: { level: config.logLevel } as never });
  // With the system clock, due timers fire on their own; a test clock fires them when advanced.
  const stopSweeping = config.clock === 'system' ? ordo.sweeper.start(1000, (err) => app.log.error(err)) : async () => {};
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    await stopSweeping();
    await app.close();
    await ordo.close();
    process.exit(0);
  };
  // This process shuts down in order (sweeper, HTTP, pool, database) and exits 0. The embedded
  // server's package installs signal handlers of its own that exit mid-way; ours replace them.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(signal));
  }
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await stopSweeping();
    await ordo.close();
    throw err;
  }
  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  console.log(`Ordo is serving ${base}  (API docs: ${base}/docs)`);
  console.log(`Database: ${ordo.embedded ? `embedded PostgreSQL, data in ${config.dataDir}` : 'DATABASE_URL'}`);
  if (config.clock === 'test') console.log(`Test clock at ${ordo.clock.now().toISOString()}: move it with POST /v1/clock/advance { "seconds": N }`);
  console.log(`Admin key (${admin.source}): ${admin.key}`);
}

/** Opens Ordo on the configured database for a one-off command, and closes it afterwards. */
export async function withOrdo<T>(config: Config, work: (ordo: Ordo) => Promise<T>, at?: Date): Promise<T> {
  const ordo = await createOrdo({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    dataDir: config.dataDir,
    ...(config.pgPort ? { pgPort: config.pgPort } : {}),
    ...(at ? { clock: new ManualClock(at) } : {}),
  });
  try {
    return await work(ordo);
  } finally {
    await ordo.close();
  }
}
