/** A text written into a simple query as a dollar-quoted literal reads back exactly as it was. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dollarQuoted } from '../../src/store/database.js';
import { emptyDatabase } from '../support/database.js';

describe('a dollar-quoted literal', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: await emptyDatabase() });
    await client.connect();
  });
  afterAll(() => client.end());

  const texts = [
    `it's O'Brien's order`,
    'a back\\slash, \\n and \\\\ kept as typed',
    '$$ and $ordo$ and $ordo1$ inside: the tag is one the text does not hold',
    'ends as a tag begins: $ordo',
    '{"html":"<p>Hello \\"you\\"</p>"}',
    '',
  ];

  it('reads back as the same text, whatever quotes, backslashes or tags it holds', async () => {
    for (const text of texts) {
      const res = await client.query<{ t: string }>(`SELECT ${dollarQuoted(text)}::text AS t`);
      expect(res.rows[0]!.t).toBe(text);
    }
  });

  it('cannot be closed early by the text: what follows a would-be tag stays inside', async () => {
    const hostile = `$ordo$; DROP TABLE x; SELECT $ordo$`;
    expect(dollarQuoted(hostile).startsWith('$ordo1$')).toBe(true);
    const res = await client.query<{ t: string }>(`SELECT ${dollarQuoted(hostile)}::text AS t`);
    expect(res.rows).toEqual([{ t: hostile }]);
  });
});
