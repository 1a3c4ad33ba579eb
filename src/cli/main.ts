#!/usr/bin/env node
/** The `ordo` command. Errors end in one plain line on stderr and a non-zero exit. */
import { Command } from 'commander';
import { readConfig } from './config.js';
import { failureLine } from './failure.js';

// Each command loads only what it uses: the HTTP server and its schemas, the engine and the
// migration runner take a second or so to load, which `workflow list` has no need to wait for.
const serving = () => import('./serve.js');

// A usage error is one plain line (commander's own, e.g. "error: unknown option '--x'"); --help shows the rest.
const program = new Command('ordo').description('Ordo, a headless order-processing engine');

program.command('serve').description('start the HTTP API (and the embedded PostgreSQL unless DATABASE_URL is set)').action(async () => {
  const { serve } = await serving();
  await serve(readConfig());
});

program.command('migrate').description('apply pending database migrations and exit').action(async () => {
  // Opening Ordo applies the migrations; say what the database now has.
  const { withOrdo } = await serving();
  await withOrdo(readConfig(), async (ordo) => {
    const res = await ordo.pool.query<{ name: string }>('SELECT name FROM ordo_migrations ORDER BY id');
    console.log(`the database is up to date: ${res.rows.map((r) => r.name).join(', ')}`);
  });
});

program.command('sweep').description('fire the timers that are due, once, and exit')
  .option('--at <iso-time>', 'fire what is due at this time instead of now')
  .action(async (opts: { at?: string }) => {
    const at = opts.at === undefined ? undefined : new Date(opts.at);
    if (at && Number.isNaN(at.getTime())) throw new Error(`--at must be an ISO time such as 2026-01-31T12:00:00Z, not '${opts.at}'`);
    const [{ withOrdo }, { progressBar }] = await Promise.all([serving(), import('./progress.js')]);
    await withOrdo(readConfig(), async (ordo) => {
      const bar = progressBar('timers fired', await ordo.sweeper.countDue());
      const result = await ordo.sweeper.sweep((done) => bar.update(done));
      bar.stop();
      const recovered = await ordo.payments.recover();
      if (recovered > 0) console.log(`finished ${recovered} gateway call(s) left unanswered`);
      console.log(`fired ${result.fired} timer(s) due by ${ordo.clock.now().toISOString()}${result.stale ? `; dropped ${result.stale} that no longer applied` : ''}${result.failed ? `; ${result.failed} refused, to be retried` : ''}`);
      if (result.failed > 0) process.exitCode = 1;
    }, at);
  });

program.command('relay').description('run the event relay alone: events to webhooks and notifications')
  .option('--once', 'send what is due now and exit')
  .action(async (opts: { once?: boolean }) => {
    const { relay } = await import('./relay.js');
    await relay(readConfig(), opts.once === true);
  });

program.command('db').description('the database layout').command('distribute')
  .description('lay out a Citus database: order tables by order id, stock by SKU, the small shared tables on every node; tables already laid out are skipped')
  .action(async () => {
    const { distributeDatabase } = await import('./db.js');
    await distributeDatabase(readConfig());
  });

program.command('check').description('check invariants').command('stock').description('check that every SKU\'s levels equal the sum of its stock movements')
  .action(async () => {
    const { withOrdo } = await serving();
    await withOrdo(readConfig(), async (ordo) => {
      const { checked, mismatches } = await ordo.stock.check();
      for (const m of mismatches) console.log(`${m.sku}: on hand ${m.onHand} (ledger ${m.ledgerOnHand}), reserved ${m.reserved} (ledger ${m.ledgerReserved})`);
      console.log(`${checked} SKU(s) checked, ${mismatches.length} inconsistent`);
      if (mismatches.length > 0) process.exitCode = 1;
    });
  });

program.command('demo').description('fill the database with realistic demo orders in every workflow').showHelpAfterError(false).option('--orders <n>', 'how many orders (default 120)')
  .action(async (opts: { orders?: string }) => {
    const { demoOrderCount, runDemo } = await import('./demo.js');
    await runDemo(readConfig(), demoOrderCount(opts.orders));
  });

const workflow = program.command('workflow').description('show the workflows');
workflow.command('list').description('list the workflows').action(async () => {
  const { presets } = await import('../workflows/index.js');
  for (const wf of presets.values()) console.log(`${wf.name.padEnd(12)} ${wf.label} — tracks: ${wf.tracks.map((t) => t.id).join(', ')}`);
});
workflow.command('show <name>').description("print a workflow as this deployment runs it (with DATABASE_URL, or beside a running ordo serve), as JSON, a Mermaid diagram, or a Markdown page")
  .option('--mermaid', 'print a Mermaid state diagram')
  .option('--markdown', 'print the documentation page (diagram, statuses, who may do what, timers)')
  .option('--shipped', "print the workflow as Ordo ships it, without this deployment's changes")
  .action(async (name: string, opts: { mermaid?: boolean; markdown?: boolean; shipped?: boolean }) => {
    const [{ workflowToShow }, { toMermaid }, { toMarkdown }] = await Promise.all([import('./workflow-show.js'), import('../domain/workflow/mermaid.js'), import('../domain/workflow/markdown.js')]);
    const { workflow: wf, note } = await workflowToShow(readConfig(), name, opts.shipped === true);
    if (note) console.error(`ordo: ${note}`);
    process.stdout.write(opts.mermaid ? toMermaid(wf) : opts.markdown ? toMarkdown(wf) : `${JSON.stringify(wf, null, 2)}\n`);
  });

program.parseAsync().then(
  () => {
    // The embedded server's package exits 0 from its own exit hook once the loop is idle: a
    // command's failure code (check stock, sweep) must not be lost to it.
    if (process.exitCode) process.exit(process.exitCode);
  },
  (err: unknown) => {
    console.error(failureLine(err));
    process.exit(1);
  },
);
