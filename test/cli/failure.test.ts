/** The one line `ordo` prints on failure says what went wrong: never `undefined`. */
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { failureLine } from '../../src/cli/failure.js';
import { freePort } from '../../src/store/embedded.js';
import { runOrdo } from '../support/cli.js';

const run = runOrdo;

describe('failureLine', () => {
  it('prints the first line of the message', () => {
    expect(failureLine(new Error('PORT must be a port number\nmore'))).toBe('ordo: PORT must be a port number');
  });

  it('prints the code of an error without a message', () => {
    expect(failureLine(Object.assign(new Error(''), { code: 'EACCES' }))).toBe('ordo: EACCES');
  });

  it('says that the database cannot be reached, with what the connection said', () => {
    const refused = new AggregateError([Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })], '');
    expect(failureLine(Object.assign(refused, { code: 'ECONNREFUSED' }))).toBe('ordo: cannot reach the database (ECONNREFUSED): is it running, and is DATABASE_URL right?');
  });

  it.each([undefined, null, {}, new Error(''), '  '])('prints a generic line for %j', (err) => {
    expect(failureLine(err)).toBe('ordo: the command failed without saying why');
  });
});

describe('ordo failing', () => {
  it('says the database cannot be reached when DATABASE_URL points at nothing', async () => {
    const res = await run(['migrate'], { DATABASE_URL: `postgres://ordo:ordo@127.0.0.1:${await freePort()}/ordo` });
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/^ordo: cannot reach the database \(.*ECONNREFUSED.*\)/);
  });

  it('says why the embedded PostgreSQL did not start', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordo-fail-'));
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = busy.address() as net.AddressInfo;
      const res = await run(['check', 'stock'], { DATABASE_URL: '', ORDO_DATA_DIR: dataDir, ORDO_PG_PORT: String(port) });
      expect(res.code).toBe(1);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).not.toContain('undefined');
      expect(res.stderr).toMatch(/^ordo: PostgreSQL did not start in .*: could not (bind|create any TCP\/IP sockets)/);
    } finally {
      busy.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
