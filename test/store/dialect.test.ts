/** Which statement forms Ordo uses: the Citus ones only on Citus, unless a setting says otherwise. */
import { afterEach, describe, expect, it } from 'vitest';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import type { Db } from '../../src/store/database.js';
import { CITUS, PLAIN, statementsSetting, storeDialect } from '../../src/store/dialect.js';
import { freshDatabase } from '../support/database.js';

const opened: Ordo[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
  delete process.env.ORDO_STATEMENTS;
});

async function open(options: Parameters<typeof createOrdo>[0] = {}): Promise<Ordo> {
  const ordo = await createOrdo({ databaseUrl: await freshDatabase(), migrate: false, poolSize: 2, ...options });
  opened.push(ordo);
  return ordo;
}

/** A database that answers every query as one row: what pg_extension says on a Citus coordinator. */
const asIfCitus = (asked: string[]) => ({
  query: async (text: string) => {
    asked.push(text);
    return { rows: [{ '?column?': 1 }], rowCount: 1 };
  },
}) as unknown as Db;

describe('the store dialect', () => {
  it('auto takes the plain forms on plain PostgreSQL', async () => {
    expect((await open()).dialect).toEqual(PLAIN);
    expect((await open({ statements: 'auto' })).dialect).toEqual(PLAIN);
  });

  it('auto takes the Citus forms where the citus extension is installed', async () => {
    const asked: string[] = [];
    expect(await storeDialect(asIfCitus(asked), 'auto')).toEqual(CITUS);
    expect(asked).toEqual(["SELECT 1 FROM pg_extension WHERE extname = 'citus'"]);
  });

  it('auto takes the Citus forms, correct on both, when the database does not answer at start', async () => {
    const down = { query: async () => { throw new Error('connect ECONNREFUSED'); } } as unknown as Db;
    expect(await storeDialect(down, 'auto')).toEqual(CITUS);
  });

  it('a setting forces either form, without asking the database', async () => {
    const asked: string[] = [];
    expect(await storeDialect(asIfCitus(asked), 'plain')).toEqual(PLAIN);
    expect((await open({ statements: 'citus' })).dialect).toEqual(CITUS);
    expect(asked).toEqual([]);
  });

  it('ORDO_STATEMENTS=citus forces the Citus forms on plain PostgreSQL; the option wins over it', async () => {
    process.env.ORDO_STATEMENTS = 'citus';
    expect((await open()).dialect).toEqual(CITUS);
    expect((await open({ statements: 'plain' })).dialect).toEqual(PLAIN);
  });

  it('reads the setting from the environment, refusing what it does not know', () => {
    expect(statementsSetting(undefined)).toBe('auto');
    expect(statementsSetting('')).toBe('auto');
    expect(statementsSetting('citus')).toBe('citus');
    expect(statementsSetting('plain')).toBe('plain');
    expect(() => statementsSetting('Citus')).toThrow("ORDO_STATEMENTS must be 'auto', 'citus' or 'plain', not 'Citus'");
  });

  it('a wrong ORDO_STATEMENTS stops createOrdo before it opens anything', async () => {
    process.env.ORDO_STATEMENTS = 'sharded';
    await expect(createOrdo({ databaseUrl: 'postgres://nowhere.invalid/none', migrate: false })).rejects.toThrow("ORDO_STATEMENTS must be 'auto', 'citus' or 'plain', not 'sharded'");
  });
});
