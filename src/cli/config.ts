/** Settings from the environment, read in one place. */
import path from 'node:path';

export interface Config {
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly pgPort: number | undefined;
  readonly port: number;
  readonly host: string;
  readonly adminKey: string | undefined;
  readonly logLevel: string;
  /** `test`: time moves only through POST /v1/clock/advance. */
  readonly clock: 'system' | 'test';
  /** The embedded server's database: a rehearsal on the test clock keeps its orders out of the real one. */
  readonly embeddedDatabase: string;
}

/** The embedded database a rehearsal (ORDO_CLOCK=test) uses, on the same server as the real `ordo`. */
export const REHEARSAL_DATABASE = 'ordo_rehearsal';

function integer(name: string, value: string | undefined, fallback?: number): number | undefined {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, not '${value}'`);
  return n;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const clock = clockOf(env.ORDO_CLOCK);
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.ORDO_DATA_DIR || '.ordo'),
    pgPort: integer('ORDO_PG_PORT', env.ORDO_PG_PORT),
    port: integer('PORT', env.PORT, 3000)!,
    host: env.HOST || '127.0.0.1',
    adminKey: env.ORDO_ADMIN_KEY || undefined,
    logLevel: env.LOG_LEVEL || 'warn',
    clock,
    embeddedDatabase: clock === 'test' ? REHEARSAL_DATABASE : 'ordo',
  };
}

function clockOf(value: string | undefined): 'system' | 'test' {
  if (value === undefined || value === '' || value === 'system') return 'system';
  if (value === 'test') return 'test';
  throw new Error(`ORDO_CLOCK must be 'system' or 'test', not '${value}'`);
}
