/**
 * Contention: many buyers at once for a SKU with a few units on hand, over HTTP against
 * `ordo serve` in its own process. Exactly `units` checkouts may succeed (201); every other
 * one is refused for want of stock (409). Reported: the wall time from the first request sent
 * to the last answer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ownDatabaseOn } from '../database.js';
import { OrdoClient } from '../http-client.js';
import { ensureBuild, startOrdoServer } from '../ordo-server.js';
import { keep, say, type Common, type SectionReport } from '../section.js';
import { showSpread, spread, type Spread } from '../stats.js';

export interface ContentionOptions extends Common {
  readonly buyers: number;
  readonly units: number;
  readonly runs: number;
}

interface Rush { readonly sold: number; readonly refused: number; readonly seconds: number; readonly available: number }

async function rush(client: OrdoClient, sku: string, buyers: number, units: number): Promise<Rush> {
  await client.call('stock', 'PUT', `/v1/inventory/${sku}`, { onHand: units, reason: 'bench delivery' }, 200);
  const checkout = { currency: 'EUR', lines: [{ sku, quantity: 1, unitPrice: 2500 }], payment: { method: 'card' } };
  const started = performance.now();
  const answers = await Promise.all(Array.from({ length: buyers }, () => client.call('buy', 'POST', '/v1/orders', checkout, [201, 409])));
  const seconds = (performance.now() - started) / 1000;
  const sold = answers.filter((a) => a.status === 201).length;
  const { json } = await client.call<{ available: number }>('stock', 'GET', `/v1/inventory/${sku}`, undefined, 200);
  // Overselling, or stock left on the shelf while buyers were turned away, is a failure, not a figure.
  if (sold !== units || json.available !== 0) throw new Error(`${buyers} buyers of ${units} units: ${sold} sold, ${json.available} left available`);
  return { sold, refused: buyers - sold, seconds, available: json.available };
}

export async function runContention(opts: ContentionOptions): Promise<SectionReport> {
  ensureBuild(say);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'ordo-bench-contention-'));
  const own = opts.databaseUrl ? await ownDatabaseOn(opts.databaseUrl) : undefined;
  const rushes: Rush[] = [];
  let firstSeconds = 0;
  try {
    const server = await startOrdoServer(own ? { databaseUrl: own.url } : { dataDir: path.join(tmp, 'data') });
    const client = new OrdoClient(server.base, server.adminKey, opts.buyers);
    try {
      // The first rush also opens the buyers' connections (1,000 TCP handshakes on the same cores,
      // as a proxy in front would have open already): timed and shown apart from the runs.
      say(`${opts.buyers} buyers of ${opts.units} units, opening the connections`);
      firstSeconds = Math.round((await rush(client, 'FIRST', opts.buyers, opts.units)).seconds * 100) / 100;
      for (let i = 0; i < opts.runs; i++) {
        say(`${opts.buyers} buyers of ${opts.units} units, run ${i + 1}/${opts.runs}`);
        rushes.push(await rush(client, `RUSH-${i + 1}`, opts.buyers, opts.units));
      }
    } finally {
      await client.close();
      await server.stop();
    }
  } finally {
    await own?.dispose();
    await rm(tmp, { recursive: true, force: true });
  }
  const seconds: Spread = spread(rushes.map((r) => r.seconds), 2);
  const figures = { buyers: opts.buyers, units: opts.units, sold: rushes.map((r) => r.sold), seconds, rushes, firstSeconds };
  const markdown = `${opts.buyers} concurrent buyers (checkout with a card payment) of a SKU with ${opts.units} units on hand, over HTTP, ${opts.runs} runs: sold ${rushes.map((r) => r.sold).join(', ')} (exactly ${opts.units} asserted, the rest refused 409), all answered in ${showSpread(seconds, ' s')} (median, min–max). A first rush, which also opened the ${opts.buyers} connections, took ${firstSeconds} s (not in the runs).`;
  return keep({ section: 'contention', markdown, figures });
}
