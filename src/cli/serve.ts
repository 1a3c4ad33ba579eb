/** `ordo serve`: the database (embedded unless DATABASE_URL), migrations, the HTTP API. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateKey } from '../engine/api-key-service.js';
import { createOrdo } from '../engine/ordo.js';
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
  });
  const admin = await adminKey(config);
  await ordo.apiKeys.ensure(admin.key, { role: 'admin', name: 'admin' });
  const app = await buildServer(ordo, { logger: { level: config.logLevel } as never });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    await app.close();
    await ordo.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await ordo.close();
    throw err;
  }
  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  console.log(`Ordo is serving ${base}  (API docs: ${base}/docs)`);
  console.log(`Database: ${ordo.embedded ? `embedded PostgreSQL, data in ${config.dataDir}` : 'DATABASE_URL'}`);
  console.log(`Admin key (${admin.source}): ${admin.key}`);
}
