/**
 * `ordo demo [--orders N]`: fills the database with realistic orders in every workflow, through
 * the engine's own calls, spread over the last two days, with a progress bar.
 */
import { ManualClock } from '../engine/clock.js';
import { makeDemo } from '../demo/make-demo.js';
import type { Config } from './config.js';
import { progressBar } from './progress.js';
import { withOrdo } from './serve.js';

export const MAX_DEMO_ORDERS = 1_000_000;

/** `--orders` as given: a whole number from 1 to a million, or an error saying so. */
export function demoOrderCount(text: string | undefined): number {
  if (text === undefined) return 120;
  if (!/^[1-9][0-9]*$/.test(text) || Number(text) > MAX_DEMO_ORDERS) throw new Error(`--orders must be a whole number from 1 to ${MAX_DEMO_ORDERS}, not '${text}'`);
  return Number(text);
}

export async function runDemo(config: Config, orders: number): Promise<void> {
  const spread = 2 * 86_400;
  const start = new Date(Date.now() - spread * 1000);
  await withOrdo(config, async (ordo) => {
    const clock = ordo.clock instanceof ManualClock ? ordo.clock : undefined;
    const bar = progressBar('demo orders', orders);
    const made = await makeDemo(ordo, {
      orders, spread, concurrency: orders > 1000 ? 8 : 2,
      ...(clock ? { advance: (seconds: number) => void clock.advance(seconds) } : {}),
      onProgress: (done) => bar.update(done),
    });
    bar.stop();
    for (const why of made.refusals ?? []) console.log(`refused: ${why}`);
    console.log(`made ${made.orders} demo order(s) in every workflow; stock tracked for ${made.skus.length} SKUs${made.refused ? ` (${made.refused} stopped early where the engine refused a step)` : ''}`);
  }, start);
}
