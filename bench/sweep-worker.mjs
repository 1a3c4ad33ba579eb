// A sweeping Ordo process for the timers bench: opens Ordo (compiled build) on the database and
// clock it is given, says when it is ready, sweeps on "go", and reports what it fired.
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { createOrdo } from '../dist/engine/ordo.js';
import { ManualClock } from '../dist/engine/clock.js';

// Batch size and concurrency may be given, to compare with other settings (the defaults otherwise).
const [databaseUrl, at, batch, concurrency] = process.argv.slice(2);
const ordo = await createOrdo({ databaseUrl, clock: new ManualClock(new Date(at)), migrate: false, onError: () => {} });
process.send({ ready: true });
process.once('message', async () => {
  const started = performance.now();
  const result = await ordo.sweeper.sweep(undefined, batch ? Number(batch) : undefined, concurrency ? Number(concurrency) : undefined);
  const seconds = (performance.now() - started) / 1000;
  await ordo.close();
  process.send({ ...result, seconds }, () => process.exit(0));
});
