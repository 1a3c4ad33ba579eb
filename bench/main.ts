/**
 * `npm run bench -- <section>`: Ordo's benchmarks. Each section prints its figures and keeps
 * them in bench/results/<section>.json; `report` runs them all and writes bench/REPORT.md.
 * A bad option or value ends it with one plain line on stderr and exit code 2.
 */
import { Command, CommanderError, Option } from 'commander';
import { BenchInputError, databaseUrl, seconds, wholeNumber, wholeNumbers } from './input.js';
import type { SectionReport } from './section.js';

const env = (name: string) => process.env[name];

const program = new Command('bench')
  .description("Ordo's benchmarks; see bench/README.md")
  .exitOverride()
  // Commander's complaints, as one line in the bench's own words.
  .configureOutput({ writeErr: (s) => process.stderr.write(`${(s.split('\n').find((l) => l.trim()) ?? s).replace(/^error: /, 'bench: ')}\n`) })
  .showSuggestionAfterError(false);

const dbOption = () => new Option('--database-url <url>', 'create the bench database on this PostgreSQL server (and drop it after) instead of an embedded one').argParser(databaseUrl);

/** Prints what a section measured. */
const print = (r: SectionReport) => console.log(r.text ?? r.markdown);

program.command('status-change', { isDefault: true })
  .description('in-process status changes per second against the raw pg ceiling')
  .option('--duration <s>', 'seconds per run', seconds('duration'), Number(env('BENCH_DURATION') ?? 5))
  .option('--runs <n>', 'runs per side', wholeNumber('runs'), Number(env('BENCH_RUNS') ?? 5))
  .option('--clients <n>', 'concurrent clients', wholeNumber('clients'), Number(env('BENCH_CLIENTS') ?? 8))
  .option('--warmup <s>', 'warm-up seconds per side', seconds('warmup'), Number(env('BENCH_WARMUP') ?? 3))
  .addOption(dbOption())
  .action(async (o: { duration: number; runs: number; clients: number; warmup: number; databaseUrl?: string }) => {
    const { runStatusChange } = await import('./status-change.js');
    print(await runStatusChange({ durationSeconds: o.duration, runs: o.runs, clients: o.clients, warmupSeconds: o.warmup, ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}) }));
  });

program.command('lifecycle')
  .description('checkout, fulfil, ship, deliver over HTTP against `ordo serve` in its own process')
  .option('--clients <list>', 'client counts, comma-separated', wholeNumbers('clients'), [1, 8])
  .option('--duration <s>', 'seconds per run', seconds('duration'), 10)
  .option('--runs <n>', 'runs per client count', wholeNumber('runs'), 3)
  .option('--warmup <s>', 'warm-up seconds per client count', seconds('warmup'), 3)
  .option('--servers <n>', 'Ordo processes sharing the database', wholeNumber('servers'), 1)
  .option('--status-changes <n>', 'single status changes over HTTP at 1 client (0: skip)', wholeNumber('status-changes', 0), 1000)
  .option('--cpu-prof', 'profile the server (V8 --cpu-prof) and say where its time goes', false)
  .addOption(dbOption())
  .action(async (o: { clients: number[]; duration: number; runs: number; warmup: number; servers: number; statusChanges: number; cpuProf: boolean; databaseUrl?: string }) => {
    const { runLifecycle } = await import('./sections/lifecycle.js');
    print(await runLifecycle(o));
  });

program.command('contention')
  .description('concurrent buyers of a SKU with few units on hand, over HTTP: exactly that many sold')
  .option('--buyers <n>', 'concurrent buyers', wholeNumber('buyers'), 1000)
  .option('--units <n>', 'units on hand', wholeNumber('units'), 5)
  .option('--runs <n>', 'runs', wholeNumber('runs'), 3)
  .addOption(dbOption())
  .action(async (o: { buyers: number; units: number; runs: number; databaseUrl?: string }) => {
    const { runContention } = await import('./sections/contention.js');
    print(await runContention(o));
  });

program.command('scale')
  .description('list, search, order page, history and per-status counts at 10k, 100k and 1M bulk-loaded orders')
  .option('--sizes <list>', 'order counts, comma-separated, ascending', wholeNumbers('sizes', 1000), [10_000, 100_000, 1_000_000])
  .option('--repeat <n>', 'timings per query and size', wholeNumber('repeat'), 15)
  .addOption(dbOption())
  .action(async (o: { sizes: number[]; repeat: number; databaseUrl?: string }) => {
    const { runScale } = await import('./sections/scale.js');
    print(await runScale(o));
  });

program.command('timers')
  .description('due timers fired by the sweeper, with one process and with two')
  .option('--timers <n>', 'due timers per run', wholeNumber('timers'), 100_000)
  .option('--runs <n>', 'runs per process count', wholeNumber('runs'), 3)
  .option('--batch <n>', "timers claimed at a time (default: the sweeper's)", wholeNumber('batch'))
  .option('--concurrency <n>', "orders fired at once per sweeper (default: the sweeper's)", wholeNumber('concurrency'))
  .addOption(dbOption())
  .action(async (o: { timers: number; runs: number; batch?: number; concurrency?: number; databaseUrl?: string }) => {
    const { runTimers } = await import('./sections/timers.js');
    print(await runTimers(o));
  });

program.command('startup')
  .description('`npm start` (node scripts/start.mjs) until /healthz answers 200, on an existing and on a fresh data directory')
  .option('--runs <n>', 'starts per case', wholeNumber('runs'), 5)
  .action(async (o: { runs: number }) => {
    const { runStartup } = await import('./sections/startup.js');
    print(await runStartup(o));
  });

program.command('events')
  .description('webhook deliveries: a backlog with one and two relay processes, and commit-to-endpoint latency at a steady rate')
  .option('--backlog <n>', 'events in the backlog', wholeNumber('backlog'), 100_000)
  .option('--runs <n>', 'runs', wholeNumber('runs'), 3)
  .option('--rate <n>', 'changes per second in the latency run', wholeNumber('rate'), 200)
  .option('--seconds <s>', 'length of the latency run', seconds('seconds'), 15)
  .addOption(dbOption())
  .action(async (o: { backlog: number; runs: number; rate: number; seconds: number; databaseUrl?: string }) => {
    const { runEvents } = await import('./sections/events.js');
    print(await runEvents(o));
  });

program.command('indexes')
  .description("what the indexes cost a status change (every index, without the search's trigram index on order_search, without the status-tags GIN too), the HOT share and the order_search rows written")
  .option('--runs <n>', 'runs per case', wholeNumber('runs'), 3)
  .option('--duration <s>', 'seconds per run', seconds('duration'), 5)
  .option('--clients <n>', 'concurrent clients', wholeNumber('clients'), 8)
  .option('--orders <n>', 'fresh orders per run', wholeNumber('orders'), 400)
  .addOption(dbOption())
  .action(async (o: { runs: number; duration: number; clients: number; orders: number; databaseUrl?: string }) => {
    const { runIndexes } = await import('./sections/indexes.js');
    print(await runIndexes(o));
  });

program.command('soak')
  .description('server memory under the lifecycle load for some minutes: RSS after the warm-up, highest, at the end, and its trend')
  .option('--minutes <n>', 'minutes of load after a 30 s warm-up', wholeNumber('minutes'), 10)
  .option('--clients <n>', 'concurrent clients', wholeNumber('clients'), 8)
  .addOption(dbOption())
  .action(async (o: { minutes: number; clients: number; databaseUrl?: string }) => {
    const { runSoak } = await import('./sections/soak.js');
    print(await runSoak(o));
  });

program.command('report')
  .description('runs every section and writes bench/REPORT.md')
  .option('--quick', 'fewer and shorter runs (about 15 minutes on 2 cores)', false)
  .addOption(dbOption())
  .action(async (o: { quick: boolean; databaseUrl?: string }) => {
    const { runReport } = await import('./report.js');
    console.log(await runReport(o));
  });

function failure(err: unknown): string {
  if (err instanceof BenchInputError) return err.message;
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0] ?? String(err);
}

// A first word that is no section would otherwise be taken as an argument of the default one.
const first = process.argv[2];
if (first !== undefined && !first.startsWith('-') && !program.commands.some((c) => c.name() === first) && first !== 'help') {
  console.error(`bench: unknown section '${first}' (sections: ${program.commands.map((c) => c.name()).join(', ')})`);
  process.exit(2);
}

program.parseAsync().then(
  // Lingering handles (the embedded server's exit hooks) must not keep a finished bench alive.
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2); // commander said it already, in one line
    // An argument parser's refusal comes wrapped by commander in its own error; either way, one line.
    console.error(`bench: ${failure(err)}`);
    if (process.env.BENCH_DEBUG) console.error(err);
    process.exit(err instanceof BenchInputError ? 2 : 1);
  },
);
