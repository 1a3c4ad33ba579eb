/** `ordo serve`: the database (embedded unless DATABASE_URL), migrations, the HTTP API. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateKey } from '../engine/api-key-service.js';
import { ManualClock } from '../engine/clock.js';
import { createOrdo, type Ordo, type OrdoOptions } from '../engine/ordo.js';
import { DataDirInUseError } from '../store/embedded.js';
import type { Config } from './config.js';
import { boundHeapGrowth } from './heap-growth.js';
import { claimForRehearsal, openOnEmbeddedDatabase } from './rehearsal.js';

/** However the database behaves, a signal ends the process within this. */
const STOP_LIMIT_MS = 3000;

/** The admin key: ORDO_ADMIN_KEY, else the one made on an earlier start, else a new one kept for next time. */
async function adminKey(config: Config): Promise<{ key: string; source: string; made: boolean }> {
  if (config.adminKey) return { key: config.adminKey, source: 'ORDO_ADMIN_KEY', made: false };
  const file = path.join(config.dataDir, 'admin.key');
  if (existsSync(file)) return { key: (await readFile(file, 'utf8')).trim(), source: file, made: false };
  const key = generateKey('admin');
  await mkdir(config.dataDir, { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return { key, source: file, made: true };
}

export async function serve(config: Config): Promise<void> {
  boundHeapGrowth();
  // The HTTP layer (a third of the start's module loading) loads while PostgreSQL starts up:
  // once the server has printed its first line, its process runs; on DATABASE_URL, at once.
  let loadHttp = () => {};
  const http = new Promise<void>((resolve) => (loadHttp = resolve)).then(() => import('../http/server.js'));
  // Awaited once Ordo is open; a failure to open is the error to report.
  http.catch(() => {});
  let ordo: Ordo;
  try {
    ordo = await openOrdo(config, config.clock === 'test' ? { clock: new ManualClock() } : {}, false, () => loadHttp());
    if (config.clock === 'test') await claimForRehearsal(ordo.pool).catch(async (err: unknown) => {
      await ordo.close();
      throw err;
    });
  } catch (err) {
    if (!(err instanceof DataDirInUseError)) throw err;
    throw new Error(`another Ordo (pid ${err.pid}) is already running on the data directory ${err.dataDir}: stop it, or give this one its own with ORDO_DATA_DIR=<dir>`);
  }
  loadHttp(); // if the server said nothing
  const admin = await adminKey(config);
  await ordo.apiKeys.ensure(admin.key, { role: 'admin', name: 'admin' });
  const { buildServer } = await http;
  const app = await buildServer(ordo, { logger: { level: config.logLevel } as never });
  // With the system clock, due timers fire on their own; a test clock fires them when advanced.
  const stopSweeping = config.clock === 'system' ? ordo.sweeper.start(1000, (err) => app.log.error(err)) : async () => {};
  // Events go out from every server; deliveries cut short by a stop are retried once their claims lapse.
  const stopRelay = ordo.relay.start();
  const stopBackground = () => Promise.all([stopSweeping(), Promise.race([stopRelay(), new Promise((resolve) => setTimeout(resolve, 1000).unref())])]);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    // Each step is bounded on its own; this bounds them all, whatever state the database is in.
    setTimeout(() => {
      console.error(`ordo: still stopping after ${STOP_LIMIT_MS / 1000} s; exiting without waiting further`);
      process.exit(1);
    }, STOP_LIMIT_MS);
    await stopBackground();
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
    await stopBackground();
    await ordo.close();
    throw err;
  }
  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  console.log(`Ordo is serving ${base}  (API docs: ${base}/docs)`);
  console.log(`Database: ${ordo.embedded ? `embedded PostgreSQL, data in ${config.dataDir}` : 'DATABASE_URL'}`);
  if (config.clock === 'test') console.log(`Test clock at ${ordo.clock.now().toISOString()}: move it with POST /v1/clock/advance { "seconds": N }${ordo.embedded ? `; rehearsal orders go to the database ${config.embeddedDatabase}, apart from the real ones` : ''}`);
  if (ordo.access.simulation) console.log('Payments are simulated (the built-in simulated gateway is on): no money moves. Plug in a real gateway and set ORDO_GATEWAYS for live payments.');
  // The secret is shown once, when it is made; later starts say only where it is.
  console.log(admin.made ? `Admin key (new, kept in ${admin.source}): ${admin.key}` : `Admin key: from ${admin.source}`);
}

/**
 * Opens Ordo on DATABASE_URL, else on the data directory's embedded server: started here, or,
 * when another Ordo already runs it (a server, say), that one's database rather than a second server.
 */
async function openOrdo(config: Config, more: OrdoOptions = {}, shareRunning = false, starting?: () => void): Promise<Ordo> {
  if (config.databaseUrl) {
    starting?.();
    return createOrdo({ ...more, databaseUrl: config.databaseUrl });
  }
  try {
    // Started here rather than by createOrdo, to hear when it starts; a rehearsal's database sits
    // beside the real one on the same server (rehearsal.ts).
    return await openOnEmbeddedDatabase(config, more, starting);
  } catch (err) {
    if (!(shareRunning && err instanceof DataDirInUseError)) throw err;
    return createOrdo({ ...more, databaseUrl: err.databaseUrl });
  }
}

/** Opens Ordo for a one-off command, and closes it afterwards. */
export async function withOrdo<T>(config: Config, work: (ordo: Ordo) => Promise<T>, at?: Date): Promise<T> {
  const ordo = await openOrdo(config, at ? { clock: new ManualClock(at) } : {}, true);
  try {
    return await work(ordo);
  } finally {
    await ordo.close();
  }
}
