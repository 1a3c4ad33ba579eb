/** A database of a suite's own, cloned from the migrated template: suites run in parallel, in any order. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

const TEMPLATE = 'ordo_template';

export function freshDatabase(): Promise<string> {
  return createDatabase(TEMPLATE);
}

/** A database with no tables at all, for the migrations themselves. */
export function emptyDatabase(): Promise<string> {
  return createDatabase('template0');
}

async function createDatabase(template: string): Promise<string> {
  const serverUrl = inject('pgServerUrl');
  const name = `ordo_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
